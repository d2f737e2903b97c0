using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Models;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;
using EvalLoop.Core.Workspace;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Planning;
using EvalLoop.Suggestions.Strategies;
using EvalLoop.Suggestions.Strategies.Dataset;
using EvalLoop.Suggestions.Strategies.Prompt;
using EvalLoop.Suggestions.Strategies.Scorer;
using EvalLoop.Suggestions.Text;
using EvalLoop.Suggestions.Verification;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalLoop.Suggestions;

/// <summary>
/// Produces verified suggestions for a run: plans which cases it may look at (<see cref="SplitPlanner"/>), runs the
/// current prompt on the analysis half of the working split and clusters its failures, lets every strategy propose, and
/// proves each proposal before storing it: a prompt candidate is run as a real experiment (the experiment's own model)
/// on the verification half, minus every case recorded in its provenance, and compared with the current prompt on the
/// same cases; a scorer candidate re-scores stored outputs; a dataset candidate shows its rows and the baseline with and
/// without them. Nothing is applied: every suggestion is stored pending a human decision.
/// </summary>
public sealed partial class Suggester
{
    private readonly ExperimentRunner _runner;
    private readonly IRunStore _runs;
    private readonly IRunResultStore _results;
    private readonly IDatasetStore _datasets;
    private readonly IFailureAnalyzer _analyzer;
    private readonly IClusterStore _clusters;
    private readonly ISuggestionStore _suggestions;
    private readonly IScorerFactory _scorers;
    private readonly IChatClientFactory _chatClients;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddings;
    private readonly WorkspaceLayout _workspace;
    private readonly SuggesterOptions _options;
    private readonly IReadOnlyList<ISuggestionStrategy> _strategies;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public Suggester(
        ExperimentRunner runner,
        IRunStore runs,
        IRunResultStore results,
        IDatasetStore datasets,
        IFailureAnalyzer analyzer,
        IClusterStore clusters,
        ISuggestionStore suggestions,
        IScorerFactory scorers,
        IChatClientFactory chatClients,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        WorkspaceLayout workspace,
        SuggesterOptions? options = null,
        IReadOnlyList<ISuggestionStrategy>? strategies = null,
        TimeProvider? timeProvider = null,
        ILogger<Suggester>? logger = null)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
        _results = results ?? throw new ArgumentNullException(nameof(results));
        _datasets = datasets ?? throw new ArgumentNullException(nameof(datasets));
        _analyzer = analyzer ?? throw new ArgumentNullException(nameof(analyzer));
        _clusters = clusters ?? throw new ArgumentNullException(nameof(clusters));
        _suggestions = suggestions ?? throw new ArgumentNullException(nameof(suggestions));
        _scorers = scorers ?? throw new ArgumentNullException(nameof(scorers));
        _chatClients = chatClients ?? throw new ArgumentNullException(nameof(chatClients));
        _embeddings = embeddings ?? throw new ArgumentNullException(nameof(embeddings));
        _workspace = workspace ?? throw new ArgumentNullException(nameof(workspace));
        _options = options ?? new SuggesterOptions();
        SuggesterOptionsValidator.ThrowIfInvalid(_options);
        _strategies = strategies ?? DefaultStrategies();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Every strategy, prompt strategies first.</summary>
    public static IReadOnlyList<ISuggestionStrategy> DefaultStrategies() =>
    [
        new FewShotExamplesStrategy(),
        new AllowedAnswersStrategy(),
        new IgnoredInstructionStrategy(),
        new CritiqueRewriteStrategy(),
        new SuspectLabelStrategy(),
        new DuplicateCasesStrategy(),
        new PatternCoverageStrategy(),
        new SyntheticVariantsStrategy(),
        new NormalizedMatchStrategy(),
        new ThresholdBandStrategy(),
        new JudgeConsistencyStrategy(),
        new GoalCoverageStrategy(),
    ];

    /// <summary>Proposes, verifies and stores suggestions for run <paramref name="runId"/>.</summary>
    /// <exception cref="RunNotFoundException">No run has that id.</exception>
    /// <exception cref="InvalidOperationException">The run did not complete, or its dataset is too small to split.</exception>
    public async Task<SuggestOutcome> SuggestAsync(string runId, IProgress<SuggestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var requested = await _runs.GetRunAsync(runId, cancellationToken) ?? throw new RunNotFoundException(runId);
        var root = await RootRunAsync(requested, cancellationToken);
        if (root.Status != RunStatus.Completed)
        {
            throw new InvalidOperationException($"Run {root.Id} is {root.Status}; suggestions need a completed run (resume it with: evalloop run --resume {root.Id}).");
        }

        var experiment = ExperimentSnapshot.Of(root);
        var dataset = await _datasets.FindAsync(root.DatasetName, root.DatasetVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Dataset version {root.DatasetVersion} of run {root.Id} is not stored.");
        var allCases = new List<DatasetCase>(dataset.CaseCount);
        await foreach (var c in _datasets.ReadCasesAsync(dataset.Version, null, cancellationToken))
        {
            allCases.Add(c);
        }

        var plan = SplitPlanner.Plan(allCases, root.Split);
        if (plan.Analysis.Count == 0 || plan.Verification.Count == 0)
        {
            throw new InvalidOperationException($"Dataset {dataset.Name} has too few cases outside the example pool to analyse some and verify on others ({plan.Analysis.Count + plan.Verification.Count}).");
        }

        var notes = new List<string>(plan.Notes);
        // The suggester's runs carry their own experiment name, so reports, trends and "latest run" views of the
        // experiment never mistake a run on half of dev for one of the user's runs.
        var working = experiment with { Name = experiment.Name + RunModes.SuggesterNameSuffix, Split = null, Limit = null };
        var runner = new CaseRunner(this, root, dataset, working, progress);

        progress?.Report(new SuggestProgress("analysis-run", $"running the current prompt on {plan.DescribeAnalysis()}"));
        var analysisRun = await runner.RunAsync(plan.Analysis, AnalysisSuffix, RunModes.SuggestAnalysis, working, root.Id, cancellationToken);
        var analysis = await _clusters.GetAsync(analysisRun.Id, cancellationToken);
        var analysed = await AnalysedCasesAsync(analysisRun.Id, plan.Analysis, cancellationToken);
        if (analysis is null && analysed.Any(a => !a.Passed))
        {
            progress?.Report(new SuggestProgress("analysis", $"clustering the {analysed.Count(a => !a.Passed)} failing analysis cases"));
            analysis = await _analyzer.AnalyzeAsync(analysisRun.Id, null, cancellationToken);
        }

        var labels = LabelVocabulary.Learn(plan.Pool.Concat(plan.Analysis).Select(c => c.ExpectedText));
        var leaking = plan.PoolSplit is null ? new HashSet<string>(StringComparer.Ordinal) : await LeakingPoolCasesAsync(plan, allCases, cancellationToken);
        if (leaking.Count > 0)
        {
            notes.Add($"{leaking.Count} '{plan.PoolSplit}' case(s) are never used as examples or rows: their input (nearly) duplicates an evaluated case's.");
        }

        var file = await ReadExperimentFileAsync(root, experiment.Prompt, notes, cancellationToken);
        var goal = await ReadGoalFileAsync(experiment, notes, cancellationToken);
        using var writer = experiment.Model.Provider == ModelProviders.Offline
            ? null
            : _chatClients.Create(experiment.Model with { MaxTokens = null, Temperature = 0 }, new ChatClientCreationOptions { UseCache = true });
        var context = new SuggestionContext
        {
            RequestedRun = root,
            AnalysisRun = analysisRun,
            Experiment = experiment,
            Dataset = dataset,
            Plan = plan,
            AllCases = allCases,
            Analysed = analysed,
            Clusters = analysis?.Clusters ?? [],
            Labels = labels,
            LeakingPoolCaseIds = leaking,
            ExperimentFile = file,
            Goal = goal,
            PrimaryScorer = PrimaryScorer(experiment),
            Embeddings = _embeddings,
            Writer = writer,
            Options = _options,
        };

        var candidates = new List<SuggestionCandidate>();
        progress?.Report(new SuggestProgress("strategies", $"proposing changes ({string.Join(", ", _strategies.Select(s => s.Name))})"));
        foreach (var strategy in _strategies)
        {
            await foreach (var candidate in strategy.ProposeAsync(context, cancellationToken))
            {
                candidates.Add(candidate);
            }
        }

        var existing = await _suggestions.ListAsync(new SuggestionQuery { ExperimentName = experiment.Name, Limit = 100_000 }, cancellationToken);
        var superseded = await SupersedeStaleAsync(existing, cancellationToken);
        var seen = Fingerprints(existing.Where(s => !superseded.Any(x => x.Id == s.Id)).ToList());
        var created = new List<Suggestion>();
        var already = new List<Suggestion>();
        var verification = new VerificationRound(this, context, runner, analysisRun, progress);

        var fresh = new List<(SuggestionCandidate Candidate, string Fingerprint)>();
        var thisRound = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            var fingerprint = Fingerprint(context, candidate);
            if (seen.TryGetValue(fingerprint, out var earlier))
            {
                if (!already.Contains(earlier))
                {
                    already.Add(earlier);
                }
            }
            else if (thisRound.Add(fingerprint))
            {
                fresh.Add((candidate, fingerprint));
            }
        }

        var prompts = fresh.Where(f => f.Candidate is PromptCandidate).Select(f => ((PromptCandidate)f.Candidate, f.Fingerprint)).ToList();
        if (prompts.Count > 0)
        {
            created.Add(await verification.VerifyPromptsAsync(prompts, cancellationToken));
        }

        foreach (var (candidate, fingerprint) in fresh.Where(f => f.Candidate is not PromptCandidate))
        {
            created.Add(candidate switch
            {
                DatasetCandidate d => await verification.DescribeDatasetAsync(d, fingerprint, cancellationToken),
                ScorerCandidate s => await verification.RescoreAsync(s, fingerprint, cancellationToken),
                _ => throw new InvalidOperationException($"Unknown candidate kind {candidate.Kind}."),
            });
        }

        notes.AddRange(context.Notes);
        LogSuggested(_logger, created.Count, analysisRun.Id, runId);
        return new SuggestOutcome(root, analysisRun, analysis, plan, created, already, notes) { Superseded = superseded };
    }

    internal const string AnalysisSuffix = ".suggest-analysis";
    internal const string VerificationSuffix = ".suggest-verify";
    internal const string RowsSuffix = ".suggest-rows";

    /// <summary>
    /// Whether a dataset is one the suggester snapshots for its own runs (the analysis half, the verification half, the
    /// rows a dataset suggestion adds) rather than one of the user's files.
    /// </summary>
    public static bool IsSuggesterDataset(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.EndsWith(AnalysisSuffix, StringComparison.Ordinal)
            || name.EndsWith(VerificationSuffix, StringComparison.Ordinal)
            || name.EndsWith(RowsSuffix, StringComparison.Ordinal);
    }

    internal ExperimentRunner Runner => _runner;

    internal IRunStore Runs => _runs;

    internal IRunResultStore Results => _results;

    internal IDatasetStore Datasets => _datasets;

    internal ISuggestionStore Suggestions => _suggestions;

    internal IScorerFactory Scorers => _scorers;

    internal SuggesterOptions Options => _options;

    internal TimeProvider Time => _time;

    internal WorkspaceLayout Workspace => _workspace;

    /// <summary>The scorer figures are about: the first scorer with a target, else the first scorer.</summary>
    public static string PrimaryScorer(ExperimentDefinition experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return experiment.Scorers.FirstOrDefault(s => experiment.Targets.ContainsKey(s.Name))?.Name ?? experiment.Scorers[0].Name;
    }

    internal static string NewId() => "s-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>
    /// Pool cases whose input is an exact or near duplicate (embedding similarity at or above
    /// <see cref="SuggesterOptions.NearDuplicateSimilarity"/>) of a case outside the pool: as an example or a moved row
    /// such a case would hand the model an evaluated answer, so no strategy may use it.
    /// </summary>
    private async Task<HashSet<string>> LeakingPoolCasesAsync(SplitPlan plan, IReadOnlyList<DatasetCase> allCases, CancellationToken cancellationToken)
    {
        var poolIds = plan.Pool.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var outside = allCases.Where(c => !poolIds.Contains(c.Id)).ToList();
        var outsideKeys = outside.Select(c => TextKey.Normalize(c.InputText)).ToHashSet(StringComparer.Ordinal);
        var leaking = plan.Pool.Where(c => outsideKeys.Contains(TextKey.Normalize(c.InputText))).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var poolVectors = await Embedded.EmbedAsync(_embeddings, plan.Pool.Select(c => c.InputText).ToList(), cancellationToken);
        var outsideVectors = await Embedded.EmbedAsync(_embeddings, outside.Select(c => c.InputText).ToList(), cancellationToken);
        var threshold = (float)_options.NearDuplicateSimilarity;
        for (var i = 0; i < poolVectors.Length; i++)
        {
            foreach (var vector in outsideVectors)
            {
                if (Embedded.Dot(poolVectors[i], vector) >= threshold)
                {
                    leaking.Add(plan.Pool[i].Id);
                    break;
                }
            }
        }

        return leaking;
    }

    /// <summary>The user's run behind a run the suggester made (its analysis or verification runs point back to it).</summary>
    private async Task<RunRecord> RootRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var current = run;
        for (var depth = 0; depth < 8 && RunModes.Suggester.Contains(current.Mode) && current.ParentRunId is { } parent; depth++)
        {
            current = await _runs.GetRunAsync(parent, cancellationToken) ?? current;
        }

        return current;
    }

    private async Task<IReadOnlyList<AnalysedCase>> AnalysedCasesAsync(string runId, IReadOnlyList<DatasetCase> cases, CancellationToken cancellationToken)
    {
        var byCase = new Dictionary<string, List<CaseResult>>(StringComparer.Ordinal);
        await foreach (var result in _results.ReadAsync(runId, cancellationToken))
        {
            if (!byCase.TryGetValue(result.CaseId, out var list))
            {
                byCase[result.CaseId] = list = [];
            }

            list.Add(result);
        }

        var analysed = new List<AnalysedCase>(cases.Count);
        foreach (var c in cases)
        {
            if (byCase.TryGetValue(c.Id, out var results))
            {
                results.Sort((a, b) => a.Trial.CompareTo(b.Trial));
                analysed.Add(new AnalysedCase(c, results.All(r => r.Passed), results[0].Output, results[0].ErrorKind, results));
            }
        }

        return analysed;
    }

    private async Task<ExperimentFile?> ReadExperimentFileAsync(RunRecord run, PromptDefinition ran, List<string> notes, CancellationToken cancellationToken)
    {
        if (run.ExperimentPath is not { } path || !File.Exists(path))
        {
            notes.Add($"The experiment file of run {run.Id} ({run.ExperimentPath ?? "unknown"}) is not there; no prompt suggestions, since none could be applied.");
            return null;
        }

        var content = await File.ReadAllTextAsync(path, cancellationToken);
        var relative = Path.GetRelativePath(_workspace.Root, path).Replace('\\', '/');
        PromptDefinition prompt;
        try
        {
            prompt = YamlTextEditor.ReadPrompt(content);
        }
        catch (FormatException ex)
        {
            notes.Add($"{relative} cannot be read ({ex.Message}); no prompt suggestions.");
            return null;
        }

        if (prompt != ran)
        {
            notes.Add($"The prompt in {relative} has changed since run {run.Id}; prompt suggestions need a run of the current prompt: run the experiment again and suggest on that run.");
            return null;
        }

        return new ExperimentFile(path, relative, content, FileContentHash.Compute(content), prompt);
    }

    /// <summary>The goal file the experiment names, or null (free-text goal, no goal, or a file that does not load: noted).</summary>
    private async Task<GoalFile?> ReadGoalFileAsync(ExperimentDefinition experiment, List<string> notes, CancellationToken cancellationToken)
    {
        if (GoalReference.GoalName(experiment.Goal) is not { } name)
        {
            return null;
        }

        var path = new GoalLoader(_workspace).PathOf(name);
        if (!File.Exists(path))
        {
            notes.Add($"The goal file of {experiment.Name} (experiments/{GoalLoader.DirectoryName}/{name}.yaml) is not there; no scorer suggestions for its uncovered requirements.");
            return null;
        }

        var content = await File.ReadAllTextAsync(path, cancellationToken);
        var relative = Path.GetRelativePath(_workspace.Root, path).Replace('\\', '/');
        try
        {
            return new GoalFile(path, relative, content, FileContentHash.Compute(content), GoalLoader.Parse(path, content));
        }
        catch (WorkspaceFileException ex)
        {
            notes.Add($"{relative} does not load ({ex.Message}); no scorer suggestions for its uncovered requirements.");
            return null;
        }
    }

    /// <summary>
    /// Marks <see cref="SuggestionStatus.Superseded"/> every pending suggestion whose base file changed since it was made
    /// (by hand, or by another approved suggestion): approval refuses it, so it can never be approved, and left pending it
    /// would stop this round from proposing its change afresh on the current file. The reason names the file.
    /// </summary>
    private async Task<List<Suggestion>> SupersedeStaleAsync(IReadOnlyList<Suggestion> suggestions, CancellationToken cancellationToken)
    {
        var superseded = new List<Suggestion>();
        foreach (var suggestion in suggestions.Where(s => s.Status == SuggestionStatus.Pending))
        {
            if (await SuggestionBase.FirstChangedFileAsync(suggestion, _workspace, cancellationToken) is not { } path)
            {
                continue;
            }

            try
            {
                superseded.Add(await _suggestions.SaveAsync(
                    suggestion with
                    {
                        Status = SuggestionStatus.Superseded,
                        DecidedAt = _time.GetUtcNow(),
                        DecisionReason = $"{path} changed since this suggestion was made, so it no longer applies; suggest runs from now on propose the change afresh on the current file when it still helps.",
                    },
                    cancellationToken));
                LogSuperseded(_logger, suggestion.Id, path);
            }
            catch (Exception ex) when (ex is SuggestionConcurrencyException or InvalidOperationException)
            {
                // Someone decided it meanwhile; their decision stands. (The other way round, an approval that had just
                // written its file when this marked it superseded, fails to record its decision and puts the file back.)
            }
        }

        return superseded;
    }

    /// <summary>
    /// Every fingerprint that blocks a candidate, with the suggestion that recorded it: the change of every suggestion
    /// still pending (on its unchanged base), approved or rejected (a rejection blocks the same change on any base), and
    /// the runners-up a prompt suggestion beat, only while that winner is pending or approved: once it is rejected or
    /// superseded they may be proposed again. Superseded suggestions block nothing.
    /// </summary>
    private static Dictionary<string, Suggestion> Fingerprints(IReadOnlyList<Suggestion> suggestions)
    {
        var fingerprints = new Dictionary<string, Suggestion>(StringComparer.Ordinal);
        foreach (var suggestion in suggestions.Where(s => s.Status != SuggestionStatus.Superseded))
        {
            try
            {
                using var document = JsonDocument.Parse(suggestion.ChangeJson);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (document.RootElement.TryGetProperty("fingerprint", out var f) && f.ValueKind == JsonValueKind.String)
                {
                    fingerprints.TryAdd(f.GetString()!, suggestion);
                }

                var winnerStands = suggestion.Status is SuggestionStatus.Pending or SuggestionStatus.Approved;
                if (winnerStands && document.RootElement.TryGetProperty("considered_fingerprints", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in list.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String))
                    {
                        fingerprints.TryAdd(item.GetString()!, suggestion);
                    }
                }
            }
            catch (JsonException)
            {
                // A suggestion written by something else; it has no fingerprint to match.
            }
        }

        return fingerprints;
    }

    /// <summary>What makes two candidates "the same suggestion": kind, target and the change itself, not the run.</summary>
    internal static string Fingerprint(SuggestionContext context, SuggestionCandidate candidate)
    {
        var text = new StringBuilder(candidate.Kind).Append('\n').Append(context.Experiment.Name).Append('\n');
        switch (candidate)
        {
            case PromptCandidate p:
                text.Append(ExperimentRunner.PromptVersion(context.ExperimentFile?.Prompt ?? context.Experiment.Prompt)).Append('\n')
                    .Append(p.Proposed.System ?? "\u0001").Append("\n\u0000\n").Append(p.Proposed.User);
                break;
            case DatasetCandidate d:
                text.Append(context.Dataset.Name).Append('\n');
                foreach (var op in d.Operations.OrderBy(o => o.Op, StringComparer.Ordinal).ThenBy(o => o.CaseId, StringComparer.Ordinal))
                {
                    text.Append(op.Op).Append('|').Append(op.CaseId).Append('|').Append(op.ExpectedAfter).Append('|').Append(op.SplitAfter).Append('|').Append(op.Line).Append('\n');
                }

                break;
            case ScorerCandidate s:
                text.Append(s.Proposed.Name).Append('|').Append(s.Proposed.Type).Append('|')
                    .Append(s.Proposed.Threshold?.ToString("R", CultureInfo.InvariantCulture)).Append('|')
                    .Append(s.Proposed.Options?.GetRawText());
                break;
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..24];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Superseded suggestion {SuggestionId}: {Path} changed since it was made")]
    private static partial void LogSuperseded(ILogger logger, string suggestionId, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored {Count} suggestions from analysis run {AnalysisRunId} (requested for run {RunId})")]
    private static partial void LogSuggested(ILogger logger, int count, string analysisRunId, string runId);
}
