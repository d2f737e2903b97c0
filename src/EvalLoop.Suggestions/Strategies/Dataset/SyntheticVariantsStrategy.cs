using EvalLoop.Core.Prompts;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvalLoop.Core.Datasets;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Llm;
using EvalLoop.Suggestions.Text;
using Microsoft.Extensions.AI;

namespace EvalLoop.Suggestions.Strategies.Dataset;

/// <summary>
/// With a real model configured (<see cref="SuggestionContext.Writer"/>), asks it to write new cases covering each of the
/// largest failing clusters of a classification task (the prompt function <c>Llm/Prompts/synthetic-cases.yaml</c>, given
/// the cluster's cases and the known labels), and proposes adding them to the working split, marked
/// <c>"metadata": {"synthetic": true, "source": "llm", ...}</c>. A reply that is not the asked-for JSON gives no
/// suggestion for its cluster, with a note; a case whose label is not a known one is rejected, and so is one whose input
/// repeats (exactly, or as a near duplicate) a case of the dataset or another new case. The suggester runs the current
/// prompt on the rows for the baseline with and without them.
/// </summary>
public sealed class SyntheticVariantsStrategy : ISuggestionStrategy
{
    private static readonly Lazy<PromptFunction> Function = new(() => LlmPrompts.Load("synthetic-cases"));
    private static readonly JsonSerializerOptions RowJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Name => "synthetic-variants";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Writer is not { } writer || !context.Labels.IsClassification || context.Options.SyntheticClusters == 0)
        {
            yield break;
        }

        var prompt = context.ExperimentFile?.Prompt ?? context.Experiment.Prompt;
        var existingIds = context.AllCases.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var existingKeys = context.AllCases.Select(c => TextKey.Normalize(c.InputText)).ToHashSet(StringComparer.Ordinal);
        float[][]? existingVectors = null;
        var clusters = context.Clusters.Where(c => c.Kind != "error").OrderByDescending(c => c.Size).Take(context.Options.SyntheticClusters).ToList();
        foreach (var cluster in clusters)
        {
            var shown = cluster.Representatives.Concat(cluster.Members)
                .Select(m => m.CaseId)
                .Distinct(StringComparer.Ordinal)
                .Select(context.Find)
                .OfType<AnalysedCase>()
                .Take(context.Options.LlmExamplesPerCluster)
                .ToList();
            if (shown.Count == 0)
            {
                continue;
            }

            var variables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["system"] = prompt.System ?? "(none)",
                ["user"] = prompt.User,
                ["pattern"] = $"{cluster.Name}: {cluster.Description}",
                ["examples"] = string.Join('\n', shown.Select((c, i) => $"Case {i + 1}:\n  Input: {TextKey.OneLine(c.Input)}\n  Label: {TextKey.OneLine(c.Expected ?? "(none)")}")),
                ["labels"] = string.Join(", ", context.Labels.Labels),
                ["count"] = context.Options.SyntheticCasesPerCluster.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };

            IReadOnlyList<(string Input, string Expected)> written;
            try
            {
                var text = await Function.Value.RenderAsync(variables, cancellationToken);
                var response = await writer.GetResponseAsync(
                    [new ChatMessage(ChatRole.User, text)],
                    new ChatOptions { Temperature = Function.Value.Temperature, MaxOutputTokens = Function.Value.MaxTokens },
                    cancellationToken);
                written = SyntheticCasesReply.Parse(response.Text);
            }
            catch (FormatException ex)
            {
                context.AddNote($"{Name}: the model's cases for '{cluster.Name}' could not be used ({ex.Message}); no suggestion for it.");
                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A failing model call costs this cluster's rows, not the whole suggestion round.
                context.AddNote($"{Name}: the model call for '{cluster.Name}' failed ({ex.GetType().Name}: {ex.Message}); no suggestion for it.");
                continue;
            }

            var unknown = written.Where(w => !context.Labels.Contains(w.Expected)).ToList();
            var invented = unknown.Select(w => w.Expected).Distinct(StringComparer.Ordinal).ToList();
            var known = written.Where(w => context.Labels.Contains(w.Expected)).ToList();
            var labelled = known.Take(context.Options.SyntheticCasesPerCluster).ToList();
            var beyond = known.Count - labelled.Count;
            existingVectors ??= await Embedded.EmbedAsync(context.Embeddings, context.AllCases.Select(c => c.InputText).ToList(), cancellationToken);
            var vectors = await Embedded.EmbedAsync(context.Embeddings, labelled.Select(l => l.Input).ToList(), cancellationToken);
            var threshold = (float)context.Options.NearDuplicateSimilarity;
            var accepted = new List<(string Input, string Label, float[] Vector)>();
            var duplicates = 0;
            for (var i = 0; i < labelled.Count; i++)
            {
                var key = TextKey.Normalize(labelled[i].Input);
                if (key.Length == 0 || existingKeys.Contains(key)
                    || existingVectors.Any(v => Embedded.Dot(v, vectors[i]) >= threshold)
                    || accepted.Any(a => TextKey.Normalize(a.Input) == key || Embedded.Dot(a.Vector, vectors[i]) >= threshold))
                {
                    duplicates++;
                    continue;
                }

                accepted.Add((labelled[i].Input, context.Labels.Find(labelled[i].Expected)!, vectors[i]));
            }

            if (unknown.Count > 0 || duplicates > 0 || beyond > 0)
            {
                var extra = beyond > 0 ? $"; {beyond} more than the {context.Options.SyntheticCasesPerCluster} asked for were not used" : string.Empty;
                context.AddNote($"{Name}: of the model's {written.Count} case(s) for '{cluster.Name}', {unknown.Count} had a label that is not a known one ({string.Join(", ", invented.Take(5))}) and {duplicates} repeated a case; they were dropped{extra}.");
            }

            if (accepted.Count == 0)
            {
                continue;
            }

            var model = $"{context.Experiment.Model.Provider}/{context.Experiment.Model.Name}";
            var operations = new List<DatasetOperation>();
            var rows = new List<DatasetCase>();
            foreach (var (input, label, _) in accepted)
            {
                var id = NewId(input, existingIds);
                existingIds.Add(id);
                existingKeys.Add(TextKey.Normalize(input));
                var metadata = new JsonObject { ["synthetic"] = true, ["source"] = "llm", ["model"] = model, ["cluster"] = cluster.Name, ["strategy"] = Name };
                var row = new JsonObject { ["id"] = id, ["input"] = input, ["expected"] = label };
                if (context.Plan.WorkingSplit is { } split)
                {
                    row["split"] = split;
                }

                row["metadata"] = metadata;
                rows.Add(new DatasetCase(id, JsonSerializer.SerializeToElement(input), JsonSerializer.SerializeToElement(label), JsonSerializer.SerializeToElement(metadata), context.Plan.WorkingSplit));
                operations.Add(new DatasetOperation
                {
                    Op = DatasetOperation.Add,
                    CaseId = id,
                    Input = input,
                    ExpectedAfter = label,
                    SplitAfter = context.Plan.WorkingSplit,
                    Line = row.ToJsonString(RowJson),
                    Reason = $"written by {model} to cover '{cluster.Name}' (synthetic: review the input and its label before approving)",
                });
            }

            yield return new DatasetCandidate
            {
                Strategy = Name,
                Title = $"Add {operations.Count} model-written case(s) covering '{cluster.Name}' (synthetic)",
                Summary = $"{model} wrote {written.Count} case(s) like the {shown.Count} failing ones of '{cluster.Name}' ({cluster.Size} failing cases); {operations.Count} have a known label and repeat no case. Approving appends them to '{context.Plan.WorkingSplit ?? "the dataset"}', marked \"synthetic\": true, \"source\": \"llm\", so the pattern is measured on more cases. The current prompt is run on them below.",
                ClusterIds = [cluster.Id],
                Provenance = new Provenance
                {
                    MotivatingCaseIds = cluster.Members.Select(m => m.CaseId).Distinct(StringComparer.Ordinal).ToList(),
                    SourceCaseIds = shown.Select(s => s.Case.Id).ToList(),
                },
                Operations = operations,
                RowsToRun = rows,
            };
        }
    }

    /// <summary>A stable id from the input (so the same case gets the same id), unique in the dataset.</summary>
    private static string NewId(string input, HashSet<string> taken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input)));
        var id = "syn-" + hash[..10];
        for (var i = 2; taken.Contains(id); i++)
        {
            id = $"syn-{hash[..10]}-{i}";
        }

        return id;
    }
}
