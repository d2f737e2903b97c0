using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Llm;
using EvalLoop.Suggestions.Planning;
using EvalLoop.Suggestions.Strategies.Prompt;
using EvalLoop.Suggestions.Text;

namespace EvalLoop.Suggestions.Tests;

/// <summary>The text edits an approval makes, the diff a reviewer reads, and the split plan.</summary>
public sealed class TextEditingTests
{
    private const string Experiment = """
        # Routing experiment. Keep this comment.
        name: demo   # trailing comment
        dataset: demo
        prompt:
          system: |
            Classify the message.
            - a
            - b

          user: "{{input}}"  # the message itself
        model: { provider: offline }
        scorers: [exact-match]

        """;

    [Fact]
    public void ReplacingThePromptKeepsEverythingElseByteForByte()
    {
        // Arrange
        var proposed = new PromptDefinition("Classify the message.\n- a\n- b\n\nExamples:\n\nInput: x\nOutput: a\n", "Message: {{input}}");

        // Act
        var edited = YamlTextEditor.ReplacePrompt(Experiment, proposed);

        // Assert
        YamlTextEditor.ReadPrompt(edited).Should().Be(proposed);
        edited.Should().StartWith("# Routing experiment. Keep this comment.\nname: demo   # trailing comment\n");
        edited.Should().Contain("  user: \"Message: {{input}}\"  # the message itself\n");
        edited.Should().EndWith("model: { provider: offline }\nscorers: [exact-match]\n");
        edited.Should().Contain("    Examples:\n\n    Input: x\n");
    }

    [Theory]
    [InlineData("  indented first line\nsecond\n")]
    [InlineData("no trailing newline")]
    [InlineData("two trailing newlines\n\n")]
    [InlineData("tab\there and 'quotes' and \"double\" and # hash: colon")]
    [InlineData("control \u0001 character")]
    public void AnySystemMessageRoundTrips(string system)
    {
        // Act
        var edited = YamlTextEditor.ReplacePrompt(Experiment, new PromptDefinition(system, "{{input}}"));

        // Assert
        YamlTextEditor.ReadPrompt(edited).System.Should().Be(system);
    }

    [Fact]
    public void AddsAndRemovesASystemMessage()
    {
        // Arrange
        var withoutSystem = YamlTextEditor.ReplacePrompt(Experiment, new PromptDefinition(null, "{{input}}"));

        // Act
        var added = YamlTextEditor.ReplacePrompt(withoutSystem, new PromptDefinition("New system\nline two\n", "{{input}}"));

        // Assert
        withoutSystem.Should().NotContain("system:").And.NotContain("Classify the message.");
        YamlTextEditor.ReadPrompt(added).Should().Be(new PromptDefinition("New system\nline two\n", "{{input}}"));
        added.IndexOf("system:", StringComparison.Ordinal).Should().BeLessThan(added.IndexOf("user:", StringComparison.Ordinal));
    }

    [Fact]
    public void AppendsAnItemToAFlowOrBlockListAndSetsAKeyInAListItemKeepingTheRestOfTheFile()
    {
        // Arrange
        const string flow = "name: x\nscorers: [a, { name: \"b]\", type: regex }] # two\ntargets: { a: 1 }\n";
        const string block = "name: x\nscorers:\n  - a\n  - name: b\n    type: regex\n# trailing comment\ntargets: { a: 1 }\n";
        const string goal = "requirements:\n  - id: one\n    text: \"t\"\n  - id: two\n    text: \"u\"\n";

        // Act
        var flowEdited = YamlTextEditor.AppendItem(flow, ["scorers"], "c");
        var blockEdited = YamlTextEditor.AppendItem(block, ["scorers"], "{ name: c, type: one-of }");
        var goalEdited = YamlTextEditor.SetItemFlowValue(goal, ["requirements"], 1, "covered_by", "[{ experiment: e, scorer: c }]");

        // Assert
        flowEdited.Should().Be("name: x\nscorers: [a, { name: \"b]\", type: regex }, c] # two\ntargets: { a: 1 }\n");
        blockEdited.Should().Be("name: x\nscorers:\n  - a\n  - name: b\n    type: regex\n  - { name: c, type: one-of }\n# trailing comment\ntargets: { a: 1 }\n");
        goalEdited.Should().Be("requirements:\n  - id: one\n    text: \"t\"\n  - id: two\n    text: \"u\"\n    covered_by: [{ experiment: e, scorer: c }]\n");
    }

    [Fact]
    public void SetsScorerOptionsAndThresholdInAScorerFile()
    {
        // Arrange
        const string scorer = "# my scorer\ntype: exact-match\noptions:\n  trim: true\n# end\n";

        // Act
        var edited = YamlTextEditor.SetFlowValue(scorer, [], "options", YamlTextEditor.Flow(new System.Text.Json.Nodes.JsonObject { ["trim"] = true, ["case_sensitive"] = false }));
        edited = YamlTextEditor.SetFlowValue(edited, [], "threshold", YamlTextEditor.Number(0.75));

        // Assert
        edited.Should().Be("# my scorer\ntype: exact-match\noptions: { trim: true, case_sensitive: false }\nthreshold: 0.75\n# end\n");
    }

    [Fact]
    public void DatasetOperationsTouchOnlyTheirLines()
    {
        // Arrange
        var content = "{\"id\": \"a\", \"input\": \"x\", \"expected\": \"l1\", \"metadata\": {\"label\": \"l1\"}, \"split\": \"dev\"}\n\n{\"id\": \"b\", \"input\": \"y\", \"expected\": \"l2\"}\n{\"id\": \"c\", \"input\": \"z\", \"expected\": \"l2\", \"split\": \"train\"}\n";
        var cases = new[] { Case("a"), Case("b"), Case("c") };
        DatasetOperation[] operations =
        [
            new() { Op = DatasetOperation.Relabel, CaseId = "a", ExpectedAfter = "l2", Reason = "r" },
            new() { Op = DatasetOperation.Remove, CaseId = "b", Reason = "r" },
            new() { Op = DatasetOperation.Move, CaseId = "c", SplitAfter = "dev", Reason = "r" },
            new() { Op = DatasetOperation.Add, CaseId = "d", Line = "{\"id\": \"d\", \"input\": \"w\"}", Reason = "r" },
        ];

        // Act
        var edited = JsonlTextEditor.Apply(content, cases, operations);

        // Assert
        edited.Should().Be("{\"id\":\"a\",\"input\":\"x\",\"expected\":\"l2\",\"metadata\":{\"label\":\"l2\"},\"split\":\"dev\"}\n\n{\"id\":\"c\",\"input\":\"z\",\"expected\":\"l2\",\"split\":\"dev\"}\n{\"id\": \"d\", \"input\": \"w\"}\n");
        FluentActions.Invoking(() => JsonlTextEditor.Apply(content, cases, [new DatasetOperation { Op = DatasetOperation.Remove, CaseId = "gone", Reason = "r" }]))
            .Should().Throw<InvalidOperationException>().WithMessage("*no case 'gone'*");
    }

    [Fact]
    public void UnifiedDiffShowsAddedAndRemovedLinesWithHunkHeaders()
    {
        // Act
        var diff = LineDiff.Unified("a\nb\nc\nd\n", "a\nB\nc\nd\ne\n", context: 1);

        // Assert
        diff.Should().Be("--- current\n+++ proposed\n@@ -1,4 +1,5 @@\n a\n-b\n+B\n c\n d\n+e\n");
        LineDiff.Unified("same\n", "same\n").Should().BeEmpty();
    }

    [Fact]
    public void TheSplitPlanDrawsExamplesFromTrainHalvesDevStablyAndHoldsTestOut()
    {
        // Arrange
        var cases = TicketsWorkspace.Cases().Select(c => Case(c.Id, c.Split)).ToList();

        // Act
        var plan = SplitPlanner.Plan(cases, "test");
        var again = SplitPlanner.Plan(cases.AsEnumerable().Reverse().ToList(), "test");

        // Assert
        (plan.PoolSplit, plan.WorkingSplit, plan.HeldOutSplit).Should().Be(("train", "dev", "test"));
        plan.Pool.Should().OnlyContain(c => c.Split == "train");
        plan.Analysis.Concat(plan.Verification).Should().OnlyContain(c => c.Split == "dev").And.HaveCount(48);
        plan.Analysis.Select(c => c.Id).Should().NotIntersectWith(plan.Verification.Select(c => c.Id));
        again.Verification.Select(c => c.Id).Should().BeEquivalentTo(plan.Verification.Select(c => c.Id), "the halves depend on case ids only");
        plan.Notes.Should().ContainSingle().Which.Should().Contain("does not look at its results");

        var noDev = SplitPlanner.Plan(cases.Where(c => c.Split != "dev").ToList(), "test");
        noDev.WorkingSplit.Should().Be("test");
        noDev.HeldOutSplit.Should().BeNull();
        noDev.Notes.Should().Contain(n => n.Contains("no longer a held-out measure", StringComparison.Ordinal));

        var noDevEverySplit = SplitPlanner.Plan(cases.Where(c => c.Split != "dev").ToList(), null);
        noDevEverySplit.Analysis.Concat(noDevEverySplit.Verification).Should().Contain(c => c.Split == "test");
        noDevEverySplit.HeldOutSplit.Should().BeNull("test cases are analysed and verified on, so they are not held out");
    }

    [Fact]
    public void TheLabelListIsReplacedByTheDataLabelsAndTheFormatIsStated()
    {
        // Act
        var rewritten = AllowedAnswersStrategy.Rewrite(new PromptDefinition("Pick one of:\n- Billing issue\n- bug\n\nThanks.", "{{input}}"), ["billing", "bug", "feature_request"], out var what);

        // Assert
        rewritten.System.Should().Be("Pick one of:\n- bug\n- billing\n- feature_request\n\nThanks.\n" + AllowedAnswersStrategy.FormatInstruction + "\n");
        what.Should().Contain("1 not used by the data removed, 2 added");
    }

    [Theory]
    [InlineData("{\"system\": \"S\", \"user\": \"Q: {{input}}\"}", true)]
    [InlineData("```json\n{\"system\": null, \"user\": \"{{input}}\"}\n```", true)]
    [InlineData("Sure! Here is the prompt: {\"user\": \"{{input}}\"}", false)]
    [InlineData("{\"system\": \"S\", \"user\": \"no placeholder\"}", false)]
    [InlineData("{\"system\": \"S\"}", false)]
    [InlineData("{\"system\": \"S\", \"user\": \"{{input}\"}", false)]
    [InlineData("{\"system\": 3, \"user\": \"{{input}}\"}", false)]
    [InlineData("", false)]
    public void TheRewriteReplyIsParsedStrictly(string reply, bool valid)
    {
        // Arrange
        var original = new PromptDefinition("old", "{{input}}");

        // Act
        var parse = () => RewriteReply.Parse(reply, original);

        // Assert
        if (valid)
        {
            parse.Should().NotThrow();
        }
        else
        {
            parse.Should().Throw<FormatException>();
        }
    }

    private static DatasetCase Case(string id, string? split = null) =>
        new(id, System.Text.Json.JsonSerializer.SerializeToElement("x " + id), null, null, split);
}
