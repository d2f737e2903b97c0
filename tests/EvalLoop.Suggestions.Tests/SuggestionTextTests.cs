using EvalLoop.Core.Experiments;
using EvalLoop.Core.Suggestions;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Goals;
using EvalLoop.Suggestions.Presentation;
using EvalLoop.Suggestions.Verification;

namespace EvalLoop.Suggestions.Tests;

public sealed class SuggestionTextTests
{
    [Fact]
    public void AGoalDraftReRunsOnlyTheExperimentFilesItWrites()
    {
        var draft = new GoalDraft("routing", "Route right", null, [new DraftFile("experiments/goals/routing.yaml", ""), new DraftFile("experiments/routing-a.yaml", ""), new DraftFile("scorers/polite.yaml", ""), new DraftFile("experiments/routing-b.yaml", "")], [], "offline");

        SuggestionText.DraftedExperiments(draft).Should().Equal("routing-a", "routing-b");
    }

    [Fact]
    public void ThePromptDiffShowsTheSystemLinesAddedUnderTheirFileAndVersion()
    {
        var change = new PromptChange
        {
            Strategy = "test",
            ExperimentPath = "experiments/e.yaml",
            BaseFileSha256 = "0",
            BasePromptVersion = "p1",
            Base = new PromptDefinition("Classify.\n", "{{input}}"),
            Proposed = new PromptDefinition("Classify.\nLabel only.\n", "{{input}}"),
            ProposedPromptVersion = "p2",
            Fingerprint = "f",
            Provenance = new Provenance(),
        };

        var diff = SuggestionText.PromptDiff(change).Split('\n');

        diff.Should().Contain("--- experiments/e.yaml prompt.system (version p1)").And.Contain("+Label only.").And.Contain(" Classify.");
        diff.Should().NotContain(l => l.StartsWith("--- experiments/e.yaml prompt.user", StringComparison.Ordinal), "the user template did not change");
    }

    [Fact]
    public void TheVerdictOfUnreadableEvidenceIsNoneAndItsEffectSaysSo()
    {
        var suggestion = new Suggestion { Id = "s", RunId = "r", ExperimentName = "e", Kind = SuggestionKinds.Prompt, Title = "t", Summary = "", ChangeJson = "{}", EvidenceJson = "[1,", CreatedAt = DateTimeOffset.UnixEpoch };

        SuggestionText.Verdict(suggestion).Should().BeNull();
        SuggestionText.Effect(suggestion).Should().Be("(evidence unreadable)");
        SuggestionText.VerdictText(Verdicts.NotSignificant).Should().Be("not significant");
        SuggestionText.PValue(0.00001).Should().Be("1.0e-5");
    }
}
