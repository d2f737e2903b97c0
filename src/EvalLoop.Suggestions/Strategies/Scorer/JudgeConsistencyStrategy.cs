using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvalLoop.Core.Scoring;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Text;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions.Strategies.Scorer;

/// <summary>
/// For a run with more than one trial and a model-graded scorer whose instructions can be edited (<c>llm-rubric</c>'s
/// <c>rubric</c>, <c>closed-qa</c>'s <c>criteria</c>), measures how often the judge graded the same answer (equal up to
/// case, whitespace and punctuation) both ways across trials (<see cref="JudgeAgreement"/>). When at least
/// <see cref="SuggesterOptions.JudgeDisagreementThreshold"/> of the cases it graded more than once flip, proposes
/// tightening the instructions: surface differences never change the grade, partial answers fail (with the default
/// Y/N choices), and the flipping answers are quoted as the ones to grade by the rubric alone. The judge already runs at
/// temperature 0 and the scorers have no option to sample it several times, so the instructions are what can change.
/// Verification re-grades the stored outputs through the scorer's own judge path (cached) and reports the judge's
/// agreement before and after.
/// </summary>
public sealed class JudgeConsistencyStrategy : ISuggestionStrategy
{
    private const int MaxQuoted = 3;

    public string Name => "judge-consistency";

    public async IAsyncEnumerable<SuggestionCandidate> ProposeAsync(SuggestionContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await Task.CompletedTask;
        if (context.Experiment.Trials < 2)
        {
            yield break;
        }

        foreach (var scorer in context.Experiment.Scorers)
        {
            var key = InstructionKey(scorer.Type);
            if (key is null && !IsModelGraded(scorer.Type))
            {
                continue;
            }

            var grades = context.Analysed
                .SelectMany(a => a.Results)
                .Select(r => (Result: r, Score: r.Scores.FirstOrDefault(s => s.Scorer == scorer.Name)))
                .Where(t => t.Score is { Error: null })
                .Select(t => new JudgeAgreement.Grade(t.Result.CaseId, t.Result.Trial, t.Result.Output, t.Score!.Passed))
                .ToList();
            var figures = JudgeAgreement.Compute(grades);
            if (figures.ComparedCases == 0 || figures.FlippingCases < context.Options.MinJudgeFlips || figures.FlipRate < context.Options.JudgeDisagreementThreshold)
            {
                continue;
            }

            var measured = Describe(figures);
            if (key is null || scorer.Options is not { ValueKind: JsonValueKind.Object } o || !o.TryGetProperty(key, out var current) || current.ValueKind != JsonValueKind.String)
            {
                context.AddNote($"The judge of '{scorer.Name}' ({scorer.Type}) disagrees with itself: {measured}. Its type has no instructions the suggester can tighten; consider a judge model that grades more consistently.");
                continue;
            }

            var quoted = figures.Flips.Take(MaxQuoted).Select(f => (Flip: f, Case: context.Find(f.CaseId))).Where(q => q.Case is not null).Select(q => (q.Flip, Case: q.Case!)).ToList();
            var tightened = Tighten(current.GetString()!, scorer, quoted);
            var options = JsonNode.Parse(o.GetRawText())!.AsObject();
            options[key] = tightened;
            var flipIds = figures.Flips.Select(f => f.CaseId).ToList();
            yield return new ScorerCandidate
            {
                Strategy = Name,
                Title = string.Create(CultureInfo.InvariantCulture, $"Tighten the {key} of judge '{scorer.Name}': it graded {figures.FlippingCases} of {figures.ComparedCases} repeated answers both ways"),
                Summary = $"Across {context.Experiment.Trials} trials the judge of '{scorer.Name}' gave both a pass and a fail to the same answer (equal up to case, whitespace and punctuation): {measured}. "
                    + $"Flipping cases: {string.Join(", ", figures.Flips.Take(8).Select(f => $"{f.CaseId} ({f.Passed}/{f.Trials} passed)"))}{(figures.Flips.Count > 8 ? ", ..." : string.Empty)}. "
                    + $"The judge already runs at temperature 0 and '{scorer.Type}' has no option to sample it several times, so the proposal tightens its {key}: surface differences never change the grade{(HasDefaultChoices(scorer) ? ", a partial answer fails" : string.Empty)}, and {quoted.Count} flipping answer(s) are quoted. The stored outputs are re-graded below through the judge (cached) and its agreement is measured again.",
                ClusterIds = context.Clusters.Where(c => c.Members.Any(m => flipIds.Contains(m.CaseId, StringComparer.Ordinal))).Select(c => c.Id).ToList(),
                Provenance = new Provenance { MotivatingCaseIds = flipIds, SourceCaseIds = quoted.Select(q => q.Case.Case.Id).ToList() },
                Current = scorer,
                Proposed = scorer with { Options = JsonSerializer.SerializeToElement(options) },
                CallsJudge = true,
                MeasuresJudgeAgreement = true,
            };
        }
    }

    internal static string Describe(JudgeAgreementFigures figures) => string.Create(
        CultureInfo.InvariantCulture,
        $"{figures.FlippingCases} of {figures.ComparedCases} case(s) flip ({figures.FlipRate:P0}), pairwise agreement {figures.PairwiseAgreement:P1} over {figures.Pairs} pair(s) of equal answers, Fleiss' kappa {(figures.FleissKappa is { } k ? k.ToString("F2", CultureInfo.InvariantCulture) : "undefined")}");

    private static string? InstructionKey(string type) => type switch
    {
        "llm-rubric" => "rubric",
        "closed-qa" => "criteria",
        _ => null,
    };

    private static bool IsModelGraded(string type) => type is "llm-rubric" or "closed-qa" or "factuality";

    private static bool HasDefaultChoices(ScorerDefinition scorer) =>
        scorer.Type != "llm-rubric" || scorer.Options is not { ValueKind: JsonValueKind.Object } o || !o.TryGetProperty("choices", out _);

    private static string Tighten(string instructions, ScorerDefinition scorer, List<(JudgeFlip Flip, AnalysedCase Case)> quoted)
    {
        var text = new StringBuilder(instructions.TrimEnd()).Append("\n\n");
        text.Append("Grade consistently: the same answer must always get the same grade. Differences in letter case, whitespace or punctuation never change the grade.");
        if (HasDefaultChoices(scorer))
        {
            text.Append(" If the answer meets the rubric only in part, it does not meet it.");
        }

        if (quoted.Count > 0)
        {
            text.Append("\nThese answers were graded both ways before; grade answers like them by the rubric alone:");
            foreach (var (flip, @case) in quoted)
            {
                text.Append("\n- ").Append(string.Join(" / ", flip.Outputs.Select(o => $"\"{TextKey.OneLine(o)}\""))).Append(" for \"").Append(TextKey.OneLine(@case.Input)).Append('"');
            }
        }

        return text.Append('\n').ToString();
    }
}
