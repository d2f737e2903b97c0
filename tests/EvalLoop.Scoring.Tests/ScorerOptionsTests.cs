using EvalLoop.Core.Datasets;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Workspace;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests;

public sealed class ScorerOptionsTests
{
    [Fact]
    public void ReadsTypedValuesAndDefaults()
    {
        // Arrange
        var definition = Definition("t", """{"flag": true, "off": false, "text": "hi", "nothing": null}""");

        // Act
        var options = new ScorerOptions(definition, "flag", "off", "text", "nothing", "absent");

        // Assert
        options.GetBool("flag", false).Should().BeTrue();
        options.GetBool("off", true).Should().BeFalse();
        options.GetBool("nothing", true).Should().BeTrue();
        options.GetBool("absent", true).Should().BeTrue();
        options.GetString("text").Should().Be("hi");
        options.GetString("nothing").Should().BeNull();
        options.GetString("absent").Should().BeNull();
    }

    [Fact]
    public void AcceptsADefinitionWithoutOptions()
    {
        // Act
        var options = new ScorerOptions(Definition("t"), "flag");

        // Assert
        options.GetBool("flag", true).Should().BeTrue();
        options.GetString("flag").Should().BeNull();
    }

    [Fact]
    public void RejectsAnUnknownOptionListingTheAllowedOnes()
    {
        // Act
        var act = () => new ScorerOptions(Definition("my-type", """{"colour": "red"}""", name: "painter"), "size", "shape");

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.FilePath.Should().Be(SourcePath);
        ex.Line.Should().Be(Line);
        ex.Field.Should().Be("scorer 'painter' options.colour");
        ex.Message.Should().Be($"{SourcePath}:{Line}: scorer 'painter' options.colour: unknown option for scorer type 'my-type' (allowed: size, shape)");
    }

    [Fact]
    public void SaysWhenATypeTakesNoOptions()
    {
        // Act
        var act = () => new ScorerOptions(Definition("bare", """{"x": 1}"""));

        // Assert
        act.Should().ThrowExactly<WorkspaceFileException>().Which.Message.Should().Contain("scorer type 'bare' takes no options");
    }

    [Theory]
    [InlineData("""{"flag": "true"}""", "must be true or false, found \"true\"")]
    [InlineData("""{"flag": 1}""", "must be true or false, found 1")]
    public void RejectsABooleanOfTheWrongType(string json, string problem)
    {
        // Arrange
        var options = new ScorerOptions(Definition("t", json), "flag");

        // Act
        var act = () => options.GetBool("flag", false);

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.Field.Should().Be("scorer 'checker' options.flag");
        ex.Problem.Should().Be(problem);
    }

    [Theory]
    [InlineData("""{"text": 3}""", "must be text, found 3")]
    [InlineData("""{"text": {"a": 1}}""", "must be text, found {\"a\": 1}")]
    public void RejectsTextOfTheWrongType(string json, string problem)
    {
        // Arrange
        var options = new ScorerOptions(Definition("t", json), "text");

        // Act
        var act = () => options.GetString("text");

        // Assert
        act.Should().ThrowExactly<WorkspaceFileException>().Which.Problem.Should().Be(problem);
    }

    [Fact]
    public void NamesAPlaceholderFileForADefinitionBuiltInCode()
    {
        // Arrange
        var definition = new ScorerDefinition("s", "t", null, JsonText.Parse("""{"x": 1}"""));

        // Act
        var act = () => new ScorerOptions(definition);

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.FilePath.Should().Be("<experiment>");
        ex.Line.Should().BeNull();
    }
}
