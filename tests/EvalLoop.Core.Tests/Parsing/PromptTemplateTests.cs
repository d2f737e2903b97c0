using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;

namespace EvalLoop.Core.Tests.Parsing;

public sealed class PromptTemplateTests
{
    private static DatasetCase Case(string inputJson, string? expectedJson = null, string? metadataJson = null, string id = "case-7") =>
        new(id, JsonText.Parse(inputJson), JsonText.ParseOrNull(expectedJson), JsonText.ParseOrNull(metadataJson), null);

    [Fact]
    public void RendersTheInputString()
    {
        // Arrange
        var template = PromptTemplate.Parse("Classify: {{input}}");

        // Act
        var rendered = template.Render(Case("\"my card is lost\""));

        // Assert
        rendered.Should().Be("Classify: my card is lost");
    }

    [Theory]
    [InlineData("{{ input }}")]
    [InlineData("{{input }}")]
    [InlineData("{{  input}}")]
    [InlineData("{{\tinput\t}}")]
    public void AllowsSpacesInsideTheBraces(string tag)
    {
        // Arrange
        var template = PromptTemplate.Parse($"<{tag}>");

        // Act
        var rendered = template.Render(Case("\"hi\""));

        // Assert
        rendered.Should().Be("<hi>");
    }

    [Fact]
    public void RendersNestedInputFields()
    {
        // Arrange
        var template = PromptTemplate.Parse("Q: {{input.question}} / user {{input.user.name}} ({{input.user.tier}})");
        var @case = Case("""{"question": "Where is my refund?", "user": {"name": "Ada", "tier": "gold"}}""");

        // Act
        var rendered = template.Render(@case);

        // Assert
        rendered.Should().Be("Q: Where is my refund? / user Ada (gold)");
    }

    [Fact]
    public void RendersExpectedMetadataAndId()
    {
        // Arrange
        var template = PromptTemplate.Parse("[{{id}}] {{input}} -> {{expected}} ({{metadata.topic}}, {{metadata.source}})");
        var @case = Case("\"lost card\"", "\"lost_or_stolen_card\"", """{"topic": "cards", "source": "web"}""", id: "b77-1");

        // Act
        var rendered = template.Render(@case);

        // Assert
        rendered.Should().Be("[b77-1] lost card -> lost_or_stolen_card (cards, web)");
    }

    [Fact]
    public void RendersExpectedFields()
    {
        // Arrange
        var template = PromptTemplate.Parse("{{expected.label}}");

        // Act
        var rendered = template.Render(Case("\"x\"", """{"label": "refund"}"""));

        // Assert
        rendered.Should().Be("refund");
    }

    [Fact]
    public void WritesALiteralDoubleBraceForAnEscapedTag()
    {
        // Arrange
        var template = PromptTemplate.Parse("""Write \{{input}} literally, then {{input}}.""");

        // Act
        var rendered = template.Render(Case("\"hello\""));

        // Assert
        rendered.Should().Be("Write {{input}} literally, then hello.");
        template.Variables.Should().Equal("input");
    }

    [Fact]
    public void KeepsSingleBracesAndJsonExamplesAsText()
    {
        // Arrange
        var template = PromptTemplate.Parse("""Answer as {"intent": "..."} for {{input}} }}""");

        // Act
        var rendered = template.Render(Case("\"x\""));

        // Assert
        rendered.Should().Be("""Answer as {"intent": "..."} for x }}""");
    }

    [Fact]
    public void RendersNonStringValuesAsCompactJson()
    {
        // Arrange: values as a user would format them by hand in the JSONL file.
        var template = PromptTemplate.Parse("{{input}} | {{input.tags}} | {{input.n}} | {{input.ok}} | {{expected}}");
        var @case = Case("""{"tags": ["a", "b"], "n": 3.5, "ok": true}""", """{ "label": "x", "scores": [1, 2] }""");

        // Act
        var rendered = template.Render(@case);

        // Assert
        rendered.Should().Be("""{"tags":["a","b"],"n":3.5,"ok":true} | ["a","b"] | 3.5 | true | {"label":"x","scores":[1,2]}""");
    }

    [Fact]
    public void KeepsNonAsciiTextReadableInsideJsonValues()
    {
        // Arrange
        var template = PromptTemplate.Parse("{{input}}");

        // Act
        var rendered = template.Render(Case("{\"q\":\"caf\u00e9 <b> & it's\"}"));

        // Assert
        rendered.Should().Be("{\"q\":\"caf\u00e9 <b> & it's\"}");
    }

    [Fact]
    public void DoesNotExpandTagsThatComeFromTheCaseData()
    {
        // Arrange
        var template = PromptTemplate.Parse("{{input}}");

        // Act
        var rendered = template.Render(Case("\"please print {{expected}}\"", "\"secret\""));

        // Assert
        rendered.Should().Be("please print {{expected}}");
    }

    [Fact]
    public void ListsTheVariablesItUses()
    {
        // Arrange / Act
        var template = PromptTemplate.Parse("{{input.q}} {{ metadata.topic }} {{id}} {{expected}}");

        // Assert
        template.Variables.Should().Equal("input.q", "metadata.topic", "id", "expected");
        template.Text.Should().Be("{{input.q}} {{ metadata.topic }} {{id}} {{expected}}");
    }

    [Fact]
    public void RendersATemplateWithoutTagsUnchanged()
    {
        // Arrange
        var template = PromptTemplate.Parse("Just text.\nTwo lines.");

        // Act
        var rendered = template.Render(Case("\"ignored\""));

        // Assert
        rendered.Should().Be("Just text.\nTwo lines.");
        template.Variables.Should().BeEmpty();
    }

    [Theory]
    [InlineData("Hello {{input", 0)]
    [InlineData("line one\nline two\nHello {{input\nmore", 2)]
    [InlineData("a\n{{input}}\nb\n{{ expected", 3)]
    public void RejectsAnUnclosedTagWithItsLineOffset(string text, int lineOffset)
    {
        // Act
        var act = () => PromptTemplate.Parse(text);

        // Assert
        var ex = act.Should().ThrowExactly<PromptTemplateException>().Which;
        ex.LineOffset.Should().Be(lineOffset);
        ex.Message.Should().Contain("unclosed");
    }

    [Theory]
    [InlineData("{{question}}", "question")]
    [InlineData("{{inputs}}", "inputs")]
    [InlineData("{{id.x}}", "id.x")]
    [InlineData("{{Input}}", "Input")]
    public void RejectsAnUnknownVariableNamingIt(string tag, string name)
    {
        // Act
        var act = () => PromptTemplate.Parse("first line\n" + tag);

        // Assert
        var ex = act.Should().ThrowExactly<PromptTemplateException>().Which;
        ex.LineOffset.Should().Be(1);
        ex.Message.Should().Contain("unknown variable").And.Contain(name);
    }

    [Fact]
    public void RejectsMetadataWithoutAKey()
    {
        // Act
        var act = () => PromptTemplate.Parse("Topic: {{metadata}}");

        // Assert
        var ex = act.Should().ThrowExactly<PromptTemplateException>().Which;
        ex.LineOffset.Should().Be(0);
        ex.Message.Should().Contain("{{metadata}}").And.Contain("metadata.key");
    }

    [Theory]
    [InlineData("{{}}")]
    [InlineData("{{ input name }}")]
    [InlineData("{{input..x}}")]
    [InlineData("{{input.}}")]
    [InlineData("{{ {{input}} }}")]
    public void RejectsATagThatIsNotAVariableName(string text)
    {
        // Act
        var act = () => PromptTemplate.Parse(text);

        // Assert
        act.Should().ThrowExactly<PromptTemplateException>().Which.Message.Should().Contain("not a valid variable");
    }

    [Theory]
    [InlineData("{{input.missing}}", "\"plain\"", null, null, "input.missing")]
    [InlineData("{{input.a.b}}", """{"a": "not an object"}""", null, null, "input.a.b")]
    [InlineData("{{expected}}", "\"x\"", null, null, "expected")]
    [InlineData("{{expected.label}}", "\"x\"", "\"flat\"", null, "expected.label")]
    [InlineData("{{metadata.topic}}", "\"x\"", null, null, "metadata.topic")]
    [InlineData("{{metadata.topic}}", "\"x\"", null, """{"source": "web"}""", "metadata.topic")]
    public void RejectsAFieldTheCaseDoesNotHaveAtRenderTime(string text, string input, string? expected, string? metadata, string variable)
    {
        // Arrange
        var template = PromptTemplate.Parse(text);

        // Act
        var act = () => template.Render(Case(input, expected, metadata, id: "case-42"));

        // Assert
        var ex = act.Should().ThrowExactly<PromptTemplateException>().Which;
        ex.LineOffset.Should().BeNull();
        ex.Message.Should().Contain("case-42").And.Contain($"{{{{{variable}}}}}");
    }
}
