using System.Collections.Concurrent;
using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Runs;
using EvalLoop.Suggestions.Planning;
using EvalLoop.Suggestions.Text;
using Microsoft.Extensions.AI;

namespace EvalLoop.Suggestions;

/// <summary>
/// Everything a strategy may look at, and nothing it may not: the analysed cases (the analysis half of the working
/// split) with their results and failure clusters, the example pool, and the experiment as it ran. The verification
/// cases' results and the held-out split are not here.
/// </summary>
public sealed class SuggestionContext
{
    private readonly ConcurrentQueue<string> _notes = new();
    private Dictionary<string, AnalysedCase>? _byId;

    /// <summary>The user's run suggestions were asked for (when asked on a run the suggester made, the run behind it).</summary>
    public required RunRecord RequestedRun { get; init; }

    /// <summary>The run of the current prompt on the analysis cases; its failures are what the strategies address.</summary>
    public required RunRecord AnalysisRun { get; init; }

    /// <summary>The experiment exactly as the requested run ran it.</summary>
    public required ExperimentDefinition Experiment { get; init; }

    public required DatasetVersion Dataset { get; init; }

    public required SplitPlan Plan { get; init; }

    /// <summary>Every case of the dataset version. Only inputs and labels may be read from it (duplicate and leak checks).</summary>
    public required IReadOnlyList<DatasetCase> AllCases { get; init; }

    /// <summary>The analysis cases with their results in <see cref="AnalysisRun"/>, in dataset order.</summary>
    public required IReadOnlyList<AnalysedCase> Analysed { get; init; }

    /// <summary>The failure clusters of <see cref="AnalysisRun"/>; empty when it had no failures.</summary>
    public required IReadOnlyList<FailureCluster> Clusters { get; init; }

    /// <summary>The labels of a classification-like task (from the pool's and the analysis cases' expected values).</summary>
    public required LabelVocabulary Labels { get; init; }

    /// <summary>Pool cases whose input is also the input of a case outside the pool; never used as examples or rows.</summary>
    public required IReadOnlySet<string> LeakingPoolCaseIds { get; init; }

    /// <summary>The experiment file as it is now, when its prompt is still the one that ran; null otherwise (no prompt suggestions).</summary>
    public ExperimentFile? ExperimentFile { get; init; }

    /// <summary>The goal file the experiment names (<c>goal: NAME</c>), when it exists and loads; null otherwise.</summary>
    public GoalFile? Goal { get; init; }

    /// <summary>The scorer the figures are about: the first scorer with a target, else the first scorer.</summary>
    public required string PrimaryScorer { get; init; }

    public required IEmbeddingGenerator<string, Embedding<float>> Embeddings { get; init; }

    /// <summary>A real model that can write prompts (the experiment's own); null offline.</summary>
    public IChatClient? Writer { get; init; }

    public required SuggesterOptions Options { get; init; }

    /// <summary>Things a strategy wants the user to know (e.g. a model's reply it could not use).</summary>
    public IReadOnlyCollection<string> Notes => _notes;

    public IEnumerable<AnalysedCase> Failures => Analysed.Where(c => !c.Passed);

    public AnalysedCase? Find(string caseId)
    {
        _byId ??= Analysed.ToDictionary(c => c.Case.Id, StringComparer.Ordinal);
        return _byId.GetValueOrDefault(caseId);
    }

    public void AddNote(string note) => _notes.Enqueue(note);
}

/// <summary>An analysis case and its result (the first trial's output; passed only when every trial passed).</summary>
public sealed record AnalysedCase(DatasetCase Case, bool Passed, string? Output, string? ErrorKind, IReadOnlyList<CaseResult> Results)
{
    public string Input => Case.InputText;

    public string? Expected => Case.ExpectedText;
}

/// <summary>The experiment file: where it is, its content and hash now, and the prompt it defines.</summary>
public sealed record ExperimentFile(string FullPath, string RelativePath, string Content, string Sha256, PromptDefinition Prompt);

/// <summary>The goal file an experiment names: where it is, its content and hash now, and what it defines.</summary>
public sealed record GoalFile(string FullPath, string RelativePath, string Content, string Sha256, Core.Goals.GoalDefinition Definition);
