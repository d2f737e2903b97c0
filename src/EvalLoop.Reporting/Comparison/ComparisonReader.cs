using System.Globalization;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Statistics;
using EvalLoop.Reporting.Runs;
using EvalLoop.Reporting.Text;

namespace EvalLoop.Reporting.Comparison;

/// <summary>
/// Pairs the results of two runs by (case id, trial): the baseline's are held in memory in compact form, the
/// candidate's stream past them once, joined with the candidate's dataset cases for inputs and expected values.
/// </summary>
internal sealed class ComparisonReader(ReportSources sources, ReportOptions options, TimeProvider time)
{
    public async Task<ComparisonModel> ReadAsync(string baselineRunId, string candidateRunId, CancellationToken cancellationToken)
    {
        var baseline = await ReadSideAsync(baselineRunId, cancellationToken);
        var candidate = await ReadSideAsync(candidateRunId, cancellationToken);
        var scorers = (candidate.Experiment?.Scorers.Select(s => s.Name) ?? [])
            .Concat(baseline.Experiment?.Scorers.Select(s => s.Name) ?? [])
            .Concat(candidate.Summary.Scorers.Select(s => s.Scorer))
            .Concat(baseline.Summary.Scorers.Select(s => s.Scorer))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var before = new Dictionary<(string, int), CaseSide>();
        await foreach (var result in sources.Results.ReadAsync(baseline.Run.Id, cancellationToken))
        {
            before[(result.CaseId, result.Trial)] = Side(result);
        }

        var perScorer = scorers.ToDictionary(s => s, _ => new ScorerPairs(), StringComparer.Ordinal);
        var fixedCases = new List<ChangedCase>();
        var brokenCases = new List<ChangedCase>();
        var changedCases = new List<ChangedCase>();
        int pairs = 0, fixedCount = 0, brokenCount = 0, unchangedPass = 0, unchangedFail = 0, outputChanged = 0, onlyInCandidate = 0;
        await using (var cursor = await DatasetCursor.OpenAsync(sources.Datasets, candidate.Run, cancellationToken))
        {
            await foreach (var result in sources.Results.ReadAsync(candidate.Run.Id, cancellationToken))
            {
                var key = (result.CaseId, result.Trial);
                if (!before.Remove(key, out var old))
                {
                    onlyInCandidate++;
                    continue;
                }

                pairs++;
                var now = Side(result);
                foreach (var (scorer, collected) in perScorer)
                {
                    collected.Add(CaseTableJson.FindScore(old.Scores, scorer), CaseTableJson.FindScore(now.Scores, scorer));
                }

                var wasPass = old.Status == "pass";
                var isPass = now.Status == "pass";
                List<ChangedCase>? list;
                if (wasPass == isPass)
                {
                    if (isPass)
                    {
                        unchangedPass++;
                    }
                    else
                    {
                        unchangedFail++;
                    }

                    if (string.Equals(old.Output, now.Output, StringComparison.Ordinal) && old.Status == now.Status)
                    {
                        continue;
                    }

                    outputChanged++;
                    list = changedCases;
                }
                else if (isPass)
                {
                    fixedCount++;
                    list = fixedCases;
                }
                else
                {
                    brokenCount++;
                    list = brokenCases;
                }

                if (list.Count < options.MaxChangedCases)
                {
                    var @case = await cursor.CaseAtAsync(result.Ordinal, result.CaseId);
                    list.Add(new ChangedCase(result.CaseId, result.Trial, Cut(@case?.InputText), Cut(@case?.ExpectedText), old, now));
                }
            }
        }

        var comparisons = scorers.Select(name => perScorer[name].Compare(name, baseline, candidate, pairs, options)).ToList();
        return new ComparisonModel
        {
            Baseline = baseline,
            Candidate = candidate,
            Pairs = pairs,
            Fixed = fixedCount,
            Broken = brokenCount,
            UnchangedPass = unchangedPass,
            UnchangedFail = unchangedFail,
            OutputChanged = outputChanged,
            OnlyInBaseline = before.Count,
            OnlyInCandidate = onlyInCandidate,
            Overall = McNemarTest.Compute(fixedCount, brokenCount),
            Scorers = comparisons,
            FixedCases = fixedCases,
            BrokenCases = brokenCases,
            OutputChangedCases = changedCases,
            Settings = Settings(baseline, candidate),
            SystemPromptDiff = PromptDiff(baseline.Experiment?.Prompt.System, candidate.Experiment?.Prompt.System),
            UserPromptDiff = PromptDiff(baseline.Experiment?.Prompt.User, candidate.Experiment?.Prompt.User),
            Warnings = Warnings(baseline, candidate, pairs),
            GeneratedAt = time.GetUtcNow(),
        };

        CaseSide Side(CaseResult result) => new(
            CaseTableJson.Status(result),
            result.Output is null ? null : Cut(result.Output),
            result.ErrorKind is null ? null : Cut($"{result.ErrorKind}: {result.ErrorMessage}"),
            result.Scores.Select(s => s with { Rationale = s.Rationale is null ? null : Cut(s.Rationale) }).ToArray());

        string? Cut(string? text) => text is null ? null : CellText.Truncate(text, options.MaxCellCharacters);
    }

    private async Task<RunSide> ReadSideAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await sources.Runs.GetRunAsync(runId, cancellationToken) ?? throw new RunNotFoundException(runId);
        var experiment = RunReportReader.TryReadExperiment(run);
        var summary = await sources.Results.SummarizeAsync(run.Id, cancellationToken);
        return new RunSide(run, experiment, summary, experiment is null ? new ExperimentEvaluation([]) : ExperimentEvaluation.Evaluate(experiment, summary));
    }

    private static IReadOnlyList<DiffLine>? PromptDiff(string? before, string? after) =>
        string.Equals(before ?? string.Empty, after ?? string.Empty, StringComparison.Ordinal) ? null : LineDiff.Compute(before, after);

    private static List<string> Warnings(RunSide baseline, RunSide candidate, int pairs)
    {
        var warnings = new List<string>();
        if (baseline.Run.Id == candidate.Run.Id)
        {
            warnings.Add("Both sides are the same run: nothing can have changed.");
        }

        if (baseline.Run.DatasetVersion != candidate.Run.DatasetVersion || baseline.Run.Split != candidate.Run.Split)
        {
            warnings.Add("The runs used different data (dataset version or split): only cases present in both are compared, and a case with the same id may have changed.");
        }

        if (baseline.Run.ExperimentName != candidate.Run.ExperimentName)
        {
            warnings.Add($"The runs belong to different experiments ({baseline.Run.ExperimentName}, {candidate.Run.ExperimentName}).");
        }

        foreach (var side in new[] { baseline, candidate })
        {
            if (side.Run.Status != RunStatus.Completed)
            {
                warnings.Add($"Run {side.Run.Id} is {side.Run.Status}: only its stored results are compared.");
            }
        }

        if (pairs == 0)
        {
            warnings.Add("The runs have no case in common: there is nothing to pair.");
        }

        return warnings;
    }

    private static List<SettingChange> Settings(RunSide baseline, RunSide candidate)
    {
        var changes = new List<SettingChange>();
        Add("experiment", baseline.Run.ExperimentName, candidate.Run.ExperimentName);
        Add("prompt version", baseline.Run.PromptVersion, candidate.Run.PromptVersion);
        Add("model", $"{baseline.Run.Provider} / {baseline.Run.Model}", $"{candidate.Run.Provider} / {candidate.Run.Model}");
        Add("temperature", Invariant(baseline.Experiment?.Model.Temperature), Invariant(candidate.Experiment?.Model.Temperature));
        Add("max tokens", Invariant(baseline.Experiment?.Model.MaxTokens), Invariant(candidate.Experiment?.Model.MaxTokens));
        Add("dataset", $"{baseline.Run.DatasetName} @ {baseline.Run.DatasetVersion}", $"{candidate.Run.DatasetName} @ {candidate.Run.DatasetVersion}");
        Add("split", baseline.Run.Split, candidate.Run.Split);
        Add("scorers", Scorers(baseline.Experiment), Scorers(candidate.Experiment));
        Add("targets", Targets(baseline.Experiment), Targets(candidate.Experiment));
        Add("trials", Invariant(baseline.Experiment?.Trials), Invariant(candidate.Experiment?.Trials));
        return changes;

        void Add(string name, string? before, string? after)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                changes.Add(new SettingChange(name, before, after));
            }
        }

        static string? Invariant(IFormattable? value) => value?.ToString(null, CultureInfo.InvariantCulture);

        static string? Scorers(ExperimentDefinition? e) => e is null ? null : string.Join(", ", e.Scorers.Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s.Name} ({s.Type}{(s.Threshold is { } t ? $", threshold {t}" : string.Empty)}{(s.Options is { } o ? ", " + Core.Datasets.JsonText.ToCompactJson(o) : string.Empty)})")));

        static string? Targets(ExperimentDefinition? e) => e is null ? null : string.Join(", ", e.Targets.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t =>
            string.Create(CultureInfo.InvariantCulture, $"{t.Key} ≥ {t.Value}")));
    }

    /// <summary>A scorer's paired scores and verdicts, collected while the results stream by.</summary>
    private sealed class ScorerPairs
    {
        private readonly List<double> _before = [];
        private readonly List<double> _after = [];
        private int _verdicts;
        private int _passedBefore;
        private int _passedAfter;
        private int _fixed;
        private int _broken;

        public void Add(ScoreRecord? before, ScoreRecord? after)
        {
            // A result the scorer never saw (no output) counts as not passing, as in the run summary.
            _verdicts++;
            var was = before?.Passed == true;
            var now = after?.Passed == true;
            _passedBefore += was ? 1 : 0;
            _passedAfter += now ? 1 : 0;
            _fixed += !was && now ? 1 : 0;
            _broken += was && !now ? 1 : 0;
            if (before?.Score is { } a && after?.Score is { } b && double.IsFinite(a) && double.IsFinite(b))
            {
                _before.Add(a);
                _after.Add(b);
            }
        }

        public ScorerComparison Compare(string name, RunSide baseline, RunSide candidate, int pairs, ReportOptions options)
        {
            var interval = PairedBootstrap.MeanDifference(_before, _after, options.BootstrapResamples, options.BootstrapSeed);
            return new ScorerComparison(
                name,
                _before.Count == 0 ? null : _before.Average(),
                _after.Count == 0 ? null : _after.Average(),
                interval,
                pairs == 0 ? 0 : (double)_passedBefore / pairs,
                pairs == 0 ? 0 : (double)_passedAfter / pairs,
                _verdicts,
                McNemarTest.Compute(_fixed, _broken),
                baseline.Evaluation.Scorers.FirstOrDefault(s => s.Figures.Scorer == name)?.Met,
                candidate.Evaluation.Scorers.FirstOrDefault(s => s.Figures.Scorer == name)?.Met);
        }
    }
}
