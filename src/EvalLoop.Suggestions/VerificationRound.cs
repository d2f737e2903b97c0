using System.Globalization;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Statistics;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions;

/// <summary>
/// The evidence-gathering half of one suggestion round: runs the baseline on the verification cases once, verifies each
/// candidate against it, and stores each suggestion with its evidence.
/// </summary>
internal sealed class VerificationRound(Suggester suggester, SuggestionContext context, CaseRunner runner, RunRecord analysisRun, IProgress<SuggestProgress>? progress)
{
    private RunRecord? _baseline;
    private Dictionary<string, CaseOutcome>? _baselineOutcomes;
    private ClusterSlices? _slices;

    private SuggesterOptions Options => suggester.Options;

    /// <summary>Verifies every prompt candidate on the verification cases and stores the best one, with the others as alternatives.</summary>
    public async Task<Suggestion> VerifyPromptsAsync(IReadOnlyList<(PromptCandidate Candidate, string Fingerprint)> candidates, CancellationToken cancellationToken)
    {
        var verified = new List<(PromptCandidate Candidate, string Fingerprint, PromptEvidence Evidence)>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var (candidate, fingerprint) = candidates[i];
            progress?.Report(new SuggestProgress("verify", $"verifying candidate {i + 1}/{candidates.Count}: {candidate.Title}"));
            verified.Add((candidate, fingerprint, await VerifyAsync(candidate, cancellationToken)));
        }

        var ranked = Ranked(verified, v => v.Evidence).ToList();
        var best = ranked[0];
        var alternatives = ranked.Skip(1).Select(v => new CandidateOutcome(v.Candidate.Strategy, v.Candidate.Title, v.Evidence.Delta, v.Evidence.McNemar.PValue, v.Evidence.Verdict, v.Evidence.CandidateRunId, v.Fingerprint)).ToList();
        var file = context.ExperimentFile!;
        var change = new PromptChange
        {
            Strategy = best.Candidate.Strategy,
            ExperimentPath = file.RelativePath,
            BaseFileSha256 = file.Sha256,
            BasePromptVersion = ExperimentRunner.PromptVersion(file.Prompt),
            Base = file.Prompt,
            Proposed = best.Candidate.Proposed,
            ProposedPromptVersion = ExperimentRunner.PromptVersion(best.Candidate.Proposed),
            Fingerprint = best.Fingerprint,
            ConsideredFingerprints = alternatives.Select(a => a.Fingerprint).ToList(),
            Provenance = best.Candidate.Provenance,
        };
        var evidence = best.Evidence with { Alternatives = alternatives };
        return await StoreAsync(best.Candidate, SuggestionJson.Serialize(change), SuggestionJson.Serialize(evidence), VerdictTitle(best.Candidate.Title, evidence.Verdict), cancellationToken);
    }

    /// <summary>
    /// Best first: one that loses overall last; then one that regresses no cluster by more than the allowed points before
    /// one that does (a regressing winner is not approved automatically and would hide a clean runner-up); then a
    /// significant gain, the largest gain, the smallest p, the cheapest prompt.
    /// </summary>
    internal static IEnumerable<T> Ranked<T>(IEnumerable<T> candidates, Func<T, PromptEvidence> evidence) => candidates
        .OrderBy(c => evidence(c).Verdict == Verdicts.Regression ? 1 : 0)
        .ThenBy(c => evidence(c).Regressions.Count > 0 ? 1 : 0)
        .ThenBy(c => evidence(c).Verdict == Verdicts.Significant ? 0 : evidence(c).Verdict == Verdicts.NotSignificant ? 1 : 2)
        .ThenByDescending(c => Math.Round(evidence(c).Delta, 6))
        .ThenBy(c => evidence(c).McNemar.PValue)
        .ThenBy(c => evidence(c).Usage.CandidateInputTokens);

    private async Task<PromptEvidence> VerifyAsync(PromptCandidate candidate, CancellationToken cancellationToken)
    {
        var baseline = await BaselineAsync(cancellationToken);
        var examples = Strategies.Prompt.PromptEditing.ExistingExampleInputs(candidate.Proposed)
            .Concat(Strategies.Prompt.PromptEditing.ExistingExampleInputs(context.ExperimentFile?.Prompt ?? context.Experiment.Prompt));
        var (kept, excluded) = ProvenanceFirewall.Apply(context.Plan.Verification, candidate.Provenance, context.AllCases, examples);
        if (kept.Count == 0)
        {
            throw new InvalidOperationException("Every verification case is in the suggestion's provenance; there is nothing left to verify on.");
        }

        var experiment = runner.Working with { Prompt = candidate.Proposed };
        var run = await runner.RunAsync(kept, Suggester.VerificationSuffix, RunModes.VerifyCandidate, experiment, analysisRun.Id, cancellationToken);
        var candidateOutcomes = await CaseOutcomes.ReadAsync(suggester.Results, run.Id, context.PrimaryScorer, cancellationToken);
        var ids = kept.Select(c => c.Id).Where(id => _baselineOutcomes!.ContainsKey(id) && candidateOutcomes.ContainsKey(id)).ToList();
        var before = ids.Select(id => _baselineOutcomes![id]).ToList();
        var after = ids.Select(id => candidateOutcomes[id]).ToList();
        var fixedIds = ids.Where((_, i) => !before[i].Passed && after[i].Passed).ToList();
        var brokenIds = ids.Where((_, i) => before[i].Passed && !after[i].Passed).ToList();
        var mcnemar = McNemarTest.Compute(fixedIds.Count, brokenIds.Count);
        var bootstrap = PairedBootstrap.MeanDifference(before.Select(b => b.Score).ToList(), after.Select(a => a.Score).ToList(), Options.BootstrapResamples, Options.Seed);
        var baselineRate = ids.Count == 0 ? 0 : (double)before.Count(b => b.Passed) / ids.Count;
        var candidateRate = ids.Count == 0 ? 0 : (double)after.Count(a => a.Passed) / ids.Count;
        var delta = candidateRate - baselineRate;

        _slices ??= await ClusterSlices.BuildAsync(context, context.Plan.Verification, cancellationToken);
        var clusters = new List<ClusterDelta>();
        var regressions = new List<string>();
        var idSet = ids.ToHashSet(StringComparer.Ordinal);
        foreach (var slice in _slices.Slices)
        {
            var members = slice.CaseIds.Where(idSet.Contains).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            var b = (double)members.Count(id => _baselineOutcomes![id].Passed) / members.Count;
            var a = (double)members.Count(id => candidateOutcomes[id].Passed) / members.Count;
            var regressed = (a - b) * 100 < -Options.MaxClusterRegressionPoints;
            clusters.Add(new ClusterDelta(slice.ClusterId, slice.Name, slice.Kind, members.Count, b, a, a - b, regressed));
            if (regressed)
            {
                regressions.Add(string.Create(CultureInfo.InvariantCulture, $"'{slice.Name}' regresses by {(b - a) * 100:F1} points on its {members.Count} verification cases ({b:P1} → {a:P1})"));
            }
        }

        var baselineSummary = await suggester.Results.SummarizeAsync(baseline.Id, cancellationToken);
        var candidateSummary = await suggester.Results.SummarizeAsync(run.Id, cancellationToken);
        var notes = new List<string>();
        if (excluded.Count > 0)
        {
            notes.Add($"{excluded.Count} verification case(s) left out by the provenance firewall (they, or a case with the same input, motivated or went into the suggestion).");
        }

        return new PromptEvidence
        {
            Verdict = Verdicts.FromTest(delta, mcnemar.PValue, Options.SignificanceLevel),
            RequestedRunId = context.RequestedRun.Id,
            AnalysisRunId = analysisRun.Id,
            BaselineRunId = baseline.Id,
            CandidateRunId = run.Id,
            VerificationSet = context.Plan.DescribeVerification(ids.Count),
            VerificationCases = ids.Count,
            ExcludedByFirewall = excluded,
            Scorer = context.PrimaryScorer,
            SignificanceLevel = Options.SignificanceLevel,
            BaselinePassRate = baselineRate,
            CandidatePassRate = candidateRate,
            Delta = delta,
            McNemar = mcnemar,
            ScoreDelta = bootstrap,
            FixedCaseIds = fixedIds,
            BrokenCaseIds = brokenIds,
            Clusters = clusters,
            Regressions = regressions,
            Usage = Usage(baselineSummary, candidateSummary),
            Notes = notes,
        };
    }

    private static UsageDelta Usage(RunSummary baseline, RunSummary candidate)
    {
        static double PerCase(long total, int results) => results == 0 ? 0 : (double)total / results;
        return new UsageDelta(
            PerCase(baseline.InputTokens, baseline.Results),
            PerCase(candidate.InputTokens, candidate.Results),
            PerCase(baseline.OutputTokens, baseline.Results),
            PerCase(candidate.OutputTokens, candidate.Results),
            baseline.Cost,
            candidate.Cost,
            baseline.LatencyP50Ms,
            candidate.LatencyP50Ms,
            baseline.CacheHits,
            candidate.CacheHits);
    }

    /// <summary>The current prompt on every verification case, run once per round and shared by every candidate.</summary>
    private async Task<RunRecord> BaselineAsync(CancellationToken cancellationToken)
    {
        if (_baseline is null)
        {
            progress?.Report(new SuggestProgress("baseline", $"running the current prompt on {context.Plan.DescribeVerification(context.Plan.Verification.Count)}"));
            _baseline = await runner.RunAsync(context.Plan.Verification, Suggester.VerificationSuffix, RunModes.VerifyBaseline, runner.Working, analysisRun.Id, cancellationToken);
            _baselineOutcomes = await CaseOutcomes.ReadAsync(suggester.Results, _baseline.Id, context.PrimaryScorer, cancellationToken);
        }

        return _baseline;
    }

    /// <summary>Stores a dataset suggestion with its rows and the baseline with and without them.</summary>
    public async Task<Suggestion> DescribeDatasetAsync(DatasetCandidate candidate, string fingerprint, CancellationToken cancellationToken)
    {
        var path = Relative(DatasetFilePath());
        var content = File.Exists(DatasetFilePath()) ? await File.ReadAllTextAsync(DatasetFilePath(), cancellationToken) : string.Empty;
        var change = new DatasetChange
        {
            Strategy = candidate.Strategy,
            DatasetName = context.Dataset.Name,
            DatasetPath = path,
            BaseFileSha256 = Core.Versions.FileContentHash.Compute(content),
            BaseDatasetVersion = context.Dataset.Version,
            Operations = candidate.Operations,
            Fingerprint = fingerprint,
            Provenance = candidate.Provenance,
        };

        var figures = new List<BaselineFigure>();
        var notes = new List<string>();
        string? rowsRunId = null;
        var analysisOutcomes = await CaseOutcomes.ReadAsync(suggester.Results, analysisRun.Id, context.PrimaryScorer, cancellationToken);
        var touched = candidate.Operations.Where(o => o.Op != DatasetOperation.Add).ToDictionary(o => o.CaseId, StringComparer.Ordinal);
        AddFigures(figures, "analysis half", analysisRun.Id, analysisOutcomes, touched);
        if (candidate.Strategy == "duplicates")
        {
            var baseline = await BaselineAsync(cancellationToken);
            AddFigures(figures, "verification half", baseline.Id, _baselineOutcomes!, touched);
            if (figures.Count == 2)
            {
                notes.Add("No evaluated case of the working split is removed: the copies removed are example-pool or held-out cases.");
            }
        }

        if (candidate.RowsToRun.Count > 0)
        {
            progress?.Report(new SuggestProgress("rows", $"running the current prompt on the {candidate.RowsToRun.Count} rows a dataset suggestion adds"));
            var rowsRun = await runner.RunAsync(candidate.RowsToRun, Suggester.RowsSuffix, RunModes.SuggestRows, runner.Working, analysisRun.Id, cancellationToken);
            rowsRunId = rowsRun.Id;
            var rows = await CaseOutcomes.ReadAsync(suggester.Results, rowsRun.Id, context.PrimaryScorer, cancellationToken);
            var rowsPassed = rows.Values.Count(r => r.Passed);
            figures.Add(new BaselineFigure("the rows to add", rowsRun.Id, rows.Count, rows.Count == 0 ? 0 : (double)rowsPassed / rows.Count));
            var all = analysisOutcomes.Count + rows.Count;
            figures.Add(new BaselineFigure("analysis half with the rows", analysisRun.Id, all, all == 0 ? 0 : (double)(analysisOutcomes.Values.Count(o => o.Passed) + rowsPassed) / all));
        }

        var evidence = new DatasetEvidence
        {
            RequestedRunId = context.RequestedRun.Id,
            AnalysisRunId = analysisRun.Id,
            Baseline = figures,
            RowsRunId = rowsRunId,
            Notes = notes,
        };
        return await StoreAsync(candidate, SuggestionJson.Serialize(change), SuggestionJson.Serialize(evidence), candidate.Title, cancellationToken);
    }

    /// <summary>"as is", "without the rows", and for relabelled rows "relabelled" (a relabelled row passes when the output equals its new label).</summary>
    private static void AddFigures(List<BaselineFigure> figures, string label, string runId, Dictionary<string, CaseOutcome> outcomes, Dictionary<string, DatasetOperation> touched)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        figures.Add(new BaselineFigure($"{label}, as it is", runId, outcomes.Count, (double)outcomes.Values.Count(o => o.Passed) / outcomes.Count));
        var affected = outcomes.Keys.Where(touched.ContainsKey).ToList();
        if (affected.Count == 0)
        {
            return;
        }

        var without = outcomes.Where(kv => !touched.ContainsKey(kv.Key)).ToList();
        figures.Add(new BaselineFigure($"{label}, without the {affected.Count} row(s)", runId, without.Count, without.Count == 0 ? 0 : (double)without.Count(kv => kv.Value.Passed) / without.Count));
        if (affected.All(id => touched[id].Op == DatasetOperation.Relabel))
        {
            var passing = outcomes.Count(kv => touched.TryGetValue(kv.Key, out var op)
                ? string.Equals(kv.Value.Results[0].Output?.Trim(), op.ExpectedAfter, StringComparison.OrdinalIgnoreCase)
                : kv.Value.Passed);
            figures.Add(new BaselineFigure($"{label}, with the {affected.Count} row(s) relabelled", runId, outcomes.Count, (double)passing / outcomes.Count));
        }
    }

    /// <summary>
    /// Stores a scorer suggestion after re-scoring stored outputs under the proposed scorer, with no model run of its own:
    /// the analysis run's, the requested run's (minus the held-out split, which the suggester never reads), and the
    /// verification baseline's when prompt candidates already ran it.
    /// </summary>
    public async Task<Suggestion> RescoreAsync(ScorerCandidate candidate, string fingerprint, CancellationToken cancellationToken)
    {
        var cases = context.AllCases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var scorer = candidate.ThresholdOnly ? null : suggester.Scorers.Create(candidate.Proposed);
        var runs = new List<RescoredRun>();
        var consistency = new List<JudgeConsistency>();
        var heldOut = context.Plan.HeldOutSplit;
        var sources = new List<(string RunId, string Description, Func<string, bool> Include)>
        {
            (analysisRun.Id, context.Plan.DescribeAnalysis(), _ => true),
        };
        var requested = context.RequestedRun;
        var without = heldOut is null ? string.Empty : $", without the held-out '{heldOut}' cases";
        sources.Add((requested.Id, $"the requested run (split {requested.Split ?? "all"}{without})", id => heldOut is null || (cases.TryGetValue(id, out var c) && c.Split != heldOut)));

        if (_baseline is { } baseline)
        {
            sources.Add((baseline.Id, context.Plan.DescribeVerification(context.Plan.Verification.Count), _ => true));
        }

        foreach (var (runId, description, include) in sources)
        {
            var gradesBefore = new List<JudgeAgreement.Grade>();
            var gradesAfter = new List<JudgeAgreement.Grade>();
            var flips = new List<Flip>();
            int results = 0, passedBefore = 0, passedAfter = 0;
            await foreach (var result in suggester.Results.ReadAsync(runId, cancellationToken))
            {
                if (!include(result.CaseId))
                {
                    continue;
                }

                if (candidate.Covers is not null)
                {
                    // A new scorer: a case passes only when every scorer passes, so adding one can only turn passing
                    // cases into failing ones; those are the flips.
                    if (!cases.TryGetValue(result.CaseId, out var covered))
                    {
                        continue;
                    }

                    results++;
                    var added = result.Output is null ? ScoreResult.Failure("no output") : await scorer!.ScoreAsync(new ScoringInput(covered, result.Output, Trial: result.Trial), cancellationToken);
                    var addedPassed = added.Passed && added.Error is null;
                    passedBefore += result.Passed ? 1 : 0;
                    passedAfter += result.Passed && addedPassed ? 1 : 0;
                    if (result.Passed && !addedPassed)
                    {
                        flips.Add(new Flip(result.CaseId, result.Trial, result.Output, covered.ExpectedText, true, false, null, added.Score));
                    }

                    continue;
                }

                var record = result.Scores.FirstOrDefault(s => s.Scorer == candidate.Current.Name);
                if (record is null || !cases.TryGetValue(result.CaseId, out var @case))
                {
                    continue;
                }

                results++;
                ScoreResult after;
                if (result.Output is null)
                {
                    after = ScoreResult.Failure("no output");
                }
                else if (scorer is null)
                {
                    after = record.Score is { } s ? new ScoreResult(s, s >= candidate.Proposed.Threshold!.Value && record.Error is null, record.Rationale) : ScoreResult.Failure(record.Error ?? "not scored");
                }
                else
                {
                    after = await scorer.ScoreAsync(new ScoringInput(@case, result.Output, Trial: result.Trial), cancellationToken);
                }

                var afterPassed = after.Passed && after.Error is null;
                if (candidate.MeasuresJudgeAgreement)
                {
                    // Errors are not grades: a case the judge could not grade says nothing about its consistency.
                    if (record.Error is null)
                    {
                        gradesBefore.Add(new JudgeAgreement.Grade(result.CaseId, result.Trial, result.Output, record.Passed));
                    }

                    if (after.Error is null)
                    {
                        gradesAfter.Add(new JudgeAgreement.Grade(result.CaseId, result.Trial, result.Output, afterPassed));
                    }
                }

                passedBefore += record.Passed ? 1 : 0;
                passedAfter += afterPassed ? 1 : 0;
                if (afterPassed != record.Passed)
                {
                    flips.Add(new Flip(result.CaseId, result.Trial, result.Output, @case.ExpectedText, record.Passed, afterPassed, record.Score, after.Score));
                }
            }

            if (results == 0 && runId != analysisRun.Id)
            {
                // E.g. a requested run on the held-out split only: nothing of it may be read.
                continue;
            }

            if (candidate.MeasuresJudgeAgreement)
            {
                consistency.Add(new JudgeConsistency(runId, description, JudgeAgreement.Compute(gradesBefore), JudgeAgreement.Compute(gradesAfter)));
            }

            runs.Add(new RescoredRun(runId, description, results, results == 0 ? 0 : (double)passedBefore / results, results == 0 ? 0 : (double)passedAfter / results, flips));
        }

        // A new scorer (no source file of its own) resolves to the experiment file, inline, where it is added.
        var (filePath, inline, sha) = await ScorerFileAsync(candidate.Covers is null ? candidate.Current : candidate.Proposed, cancellationToken);
        var change = new ScorerChange
        {
            Strategy = candidate.Strategy,
            ScorerName = candidate.Covers is null ? candidate.Current.Name : candidate.Proposed.Name,
            ScorerType = candidate.Covers is null ? candidate.Current.Type : candidate.Proposed.Type,
            FilePath = filePath,
            Inline = inline,
            BaseFileSha256 = sha,
            ThresholdBefore = candidate.Covers is null ? candidate.Current.Threshold : null,
            ThresholdAfter = candidate.Proposed.Threshold,
            OptionsBefore = candidate.Covers is null && candidate.Current.Options is { ValueKind: System.Text.Json.JsonValueKind.Object } o1 ? System.Text.Json.Nodes.JsonNode.Parse(o1.GetRawText())!.AsObject() : null,
            OptionsAfter = candidate.Proposed.Options is { ValueKind: System.Text.Json.JsonValueKind.Object } o2 ? System.Text.Json.Nodes.JsonNode.Parse(o2.GetRawText())!.AsObject() : null,
            Adds = candidate.Covers is not null,
            Goal = candidate.Covers is { } covers && context.Goal is { } goal ? new GoalCoverageChange
            {
                GoalName = covers.Goal,
                GoalPath = goal.RelativePath,
                BaseFileSha256 = goal.Sha256,
                RequirementId = covers.RequirementId,
                Experiment = context.Experiment.Name,
            } : null,
            Fingerprint = fingerprint,
            Provenance = candidate.Provenance,
        };
        var flipped = runs.Sum(r => r.Flips.Count);
        var notes = new List<string>
        {
            candidate.Covers is null
                ? $"{flipped} pass/fail decision(s) flip across {runs.Sum(r => r.Results)} stored results; {(candidate.CallsJudge ? "the judge was called through its cached path" : "no model was called")}."
                : $"Adding '{candidate.Proposed.Name}' turns {flipped} of {runs.Sum(r => r.Results)} stored results from passing to failing (a case passes only when every scorer passes); {(candidate.CallsJudge ? "the judge was called through its cached path" : "no model was called")}.",
        };
        foreach (var c in consistency)
        {
            notes.Add($"Judge self-agreement on {c.Description}: before {Strategies.Scorer.JudgeConsistencyStrategy.Describe(c.Before)}; after {Strategies.Scorer.JudgeConsistencyStrategy.Describe(c.After)}.");
        }

        var evidence = new ScorerEvidence
        {
            RequestedRunId = context.RequestedRun.Id,
            Runs = runs,
            Consistency = consistency,
            Notes = notes,
        };
        return await StoreAsync(candidate, SuggestionJson.Serialize(change), SuggestionJson.Serialize(evidence), candidate.Title, cancellationToken);
    }

    private async Task<(string Path, bool Inline, string Sha)> ScorerFileAsync(ScorerDefinition scorer, CancellationToken cancellationToken)
    {
        var experimentPath = context.RequestedRun.ExperimentPath ?? context.AnalysisRun.ExperimentPath;
        var source = scorer.SourcePath ?? experimentPath;
        var inline = source is null || (experimentPath is not null && Path.GetFullPath(source) == Path.GetFullPath(experimentPath));
        var path = inline ? experimentPath : source;
        if (path is null || !File.Exists(path))
        {
            return (path is null ? "(unknown)" : Relative(path), inline, string.Empty);
        }

        var content = await File.ReadAllTextAsync(path, cancellationToken);
        return (Relative(path), inline, Core.Versions.FileContentHash.Compute(content));
    }

    private string DatasetFilePath() => suggester.Workspace.ResolveDatasetPath(context.Experiment.Dataset);

    private string Relative(string path) => Path.GetRelativePath(suggester.Workspace.Root, path).Replace('\\', '/');

    private async Task<Suggestion> StoreAsync(SuggestionCandidate candidate, string changeJson, string evidenceJson, string title, CancellationToken cancellationToken)
    {
        var suggestion = new Suggestion
        {
            Id = Suggester.NewId(),

            // The user's run, so its report and the web UI list the suggestions made from it; the analysis run whose
            // failures were read is in the evidence (analysis_run_id).
            RunId = context.RequestedRun.Id,
            ExperimentName = context.Experiment.Name,
            Kind = candidate.Kind,
            Title = title,
            Summary = candidate.Summary,
            ChangeJson = changeJson,
            EvidenceJson = evidenceJson,
            ClusterIds = candidate.ClusterIds,
            CreatedAt = suggester.Time.GetUtcNow(),
        };
        return await suggester.Suggestions.SaveAsync(suggestion, cancellationToken);
    }

    private static string VerdictTitle(string title, string verdict) => verdict switch
    {
        Verdicts.NotSignificant => title + " [not significant]",
        Verdicts.Regression => title + " [regression]",
        _ => title,
    };
}
