using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Workspace;

namespace EvalLoop.Core.Tests.Parsing;

public sealed class JsonlDatasetReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ReadsEveryFieldOfAValidFileInOrder()
    {
        // Arrange
        var path = _temp.WriteLines(
            "data.jsonl",
            """{"id": "q1", "input": "What is the capital of France?", "expected": "Paris", "metadata": {"topic": "geo", "difficulty": 2}, "split": "train"}""",
            """{"id": "q2", "input": {"question": "2+2?", "context": ["math"]}, "expected": 4, "split": "dev"}""",
            """{"id": "q3", "input": "Is water wet?", "expected": true, "split": "test"}""",
            """{"id": "q4", "input": "List two primes", "expected": [2, 3]}""",
            """{"id": "q5", "input": "Extract", "expected": {"name": "Ada", "born": 1815}}""",
            """{"id": "q6", "input": "No reference answer"}""");

        // Act
        var cases = await JsonlDatasetReader.ReadAsync(path);

        // Assert
        cases.Select(c => c.Id).Should().Equal("q1", "q2", "q3", "q4", "q5", "q6");

        cases[0].Input.ValueKind.Should().Be(JsonValueKind.String);
        cases[0].InputText.Should().Be("What is the capital of France?");
        cases[0].ExpectedText.Should().Be("Paris");
        cases[0].Metadata!.Value.GetProperty("topic").GetString().Should().Be("geo");
        cases[0].Metadata!.Value.GetProperty("difficulty").GetInt32().Should().Be(2);
        cases[0].Split.Should().Be("train");

        cases[1].Input.ValueKind.Should().Be(JsonValueKind.Object);
        cases[1].Input.GetProperty("question").GetString().Should().Be("2+2?");
        cases[1].Expected!.Value.ValueKind.Should().Be(JsonValueKind.Number);
        cases[1].Expected!.Value.GetInt32().Should().Be(4);
        cases[1].Metadata.Should().BeNull();
        cases[1].Split.Should().Be("dev");

        cases[2].Expected!.Value.ValueKind.Should().Be(JsonValueKind.True);
        cases[2].Split.Should().Be("test");

        cases[3].Expected!.Value.ValueKind.Should().Be(JsonValueKind.Array);
        cases[3].Expected!.Value.EnumerateArray().Select(e => e.GetInt32()).Should().Equal(2, 3);
        cases[3].Split.Should().BeNull();

        cases[4].Expected!.Value.ValueKind.Should().Be(JsonValueKind.Object);
        cases[4].Expected!.Value.GetProperty("name").GetString().Should().Be("Ada");

        cases[5].Expected.Should().BeNull();
        cases[5].ExpectedText.Should().BeNull();
    }

    [Fact]
    public async Task SkipsBlankAndWhitespaceOnlyLines()
    {
        // Arrange
        var path = _temp.Write("data.jsonl", "\n{\"id\": \"a\", \"input\": \"one\"}\n   \n\t\n{\"id\": \"b\", \"input\": \"two\"}\n\n");

        // Act
        var cases = await JsonlDatasetReader.ReadAsync(path);

        // Assert
        cases.Select(c => c.Id).Should().Equal("a", "b");
    }

    [Fact]
    public async Task CountsSkippedBlankLinesInTheLineNumbersOfLaterErrors()
    {
        // Arrange: the bad line is the 4th physical line, after two blank ones.
        var path = _temp.Write("data.jsonl", "{\"input\": \"one\"}\n\n\n{\"input\": 7}\n");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.Line.Should().Be(4);
    }

    [Fact]
    public async Task ReadsWindowsLineEndingsAndAByteOrderMark()
    {
        // Arrange
        var path = _temp.PathOf("data.jsonl");
        await File.WriteAllTextAsync(path, "{\"id\": \"a\", \"input\": \"caf\u00e9\"}\r\n{\"id\": \"b\", \"input\": \"two\"}\r\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        // Act
        var cases = await JsonlDatasetReader.ReadAsync(path);

        // Assert
        cases.Select(c => c.InputText).Should().Equal("caf\u00e9", "two");
    }

    [Fact]
    public async Task TreatsNullMetadataAndNullSplitAsAbsent()
    {
        // Arrange
        var path = _temp.WriteLines("data.jsonl", """{"input": "x", "metadata": null, "split": null}""");

        // Act
        var cases = await JsonlDatasetReader.ReadAsync(path);

        // Assert
        cases[0].Metadata.Should().BeNull();
        cases[0].Split.Should().BeNull();
    }

    [Fact]
    public async Task AcceptsANumericIdAsItsText()
    {
        // Arrange
        var path = _temp.WriteLines("data.jsonl", """{"id": 42, "input": "x"}""");

        // Act
        var cases = await JsonlDatasetReader.ReadAsync(path);

        // Assert
        cases[0].Id.Should().Be("42");
    }

    [Fact]
    public async Task DerivesAnIdFromTheContentWhenTheLineHasNone()
    {
        // Arrange
        var path = _temp.WriteLines(
            "data.jsonl",
            """{"input": "hello", "expected": "world"}""",
            """{"input": "hello"}""");

        // Act
        var cases = await JsonlDatasetReader.ReadAsync(path);

        // Assert: pinned values, so a change to the derivation (which would orphan every stored result) is noticed.
        cases[0].Id.Should().Be("c-026c00b38c7c");
        cases[1].Id.Should().Be("c-8401b33b7d15");
    }

    [Fact]
    public async Task KeepsDerivedIdsWhenLinesAreReorderedOrInserted()
    {
        // Arrange
        var a = """{"input": "alpha", "expected": "A"}""";
        var b = """{"input": {"q": "beta"}, "expected": ["B"]}""";
        var c = """{"input": "gamma"}""";
        var original = _temp.WriteLines("original.jsonl", a, b, c);
        var edited = _temp.WriteLines("edited.jsonl", c, """{"input": "new case"}""", a, b);

        // Act
        var before = await JsonlDatasetReader.ReadAsync(original);
        var after = await JsonlDatasetReader.ReadAsync(edited);

        // Assert
        var byInput = after.ToDictionary(x => x.Input.GetRawText(), x => x.Id, StringComparer.Ordinal);
        foreach (var @case in before)
        {
            byInput[@case.Input.GetRawText()].Should().Be(@case.Id);
        }
    }

    [Fact]
    public async Task DerivesTheIdFromInputAndExpectedButNotMetadataOrSplit()
    {
        // Arrange
        var path = _temp.WriteLines(
            "data.jsonl",
            """{"input": "same", "expected": "one"}""",
            """{"input": "same", "expected": "two"}""",
            """{"input": "other", "expected": "one"}""");
        var relabelled = _temp.WriteLines(
            "relabelled.jsonl",
            """{"input": "same", "expected": "one", "metadata": {"reviewed": true}, "split": "test"}""");

        // Act
        var cases = await JsonlDatasetReader.ReadAsync(path);
        var relabelledCases = await JsonlDatasetReader.ReadAsync(relabelled);

        // Assert
        cases.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        cases.Should().AllSatisfy(c => c.Id.Should().MatchRegex("^c-[0-9a-f]{12}$"));
        relabelledCases[0].Id.Should().Be(cases[0].Id);
    }

    [Fact]
    public async Task DerivesTheSameIdWhateverTheJsonFormattingOfTheContent()
    {
        // Arrange: the same case, hand-formatted two ways (a user editing the file adds spaces).
        var compact = _temp.WriteLines("compact.jsonl", """{"input":{"q":"beta","n":1},"expected":[1,2]}""");
        var spaced = _temp.WriteLines("spaced.jsonl", """{"input": {"q": "beta", "n": 1}, "expected": [1, 2]}""");

        // Act
        var fromCompact = await JsonlDatasetReader.ReadAsync(compact);
        var fromSpaced = await JsonlDatasetReader.ReadAsync(spaced);

        // Assert
        fromSpaced[0].Id.Should().Be(fromCompact[0].Id, "an id derived from the content must not depend on whitespace between JSON tokens");
    }

    [Fact]
    public async Task SuffixesDerivedIdsOfDuplicateCases()
    {
        // Arrange
        var line = """{"input": "dup", "expected": "x"}""";
        var path = _temp.WriteLines("data.jsonl", line, line, """{"input": "other"}""", line);

        // Act
        var cases = await JsonlDatasetReader.ReadAsync(path);

        // Assert
        var first = cases[0].Id;
        cases.Select(c => c.Id).Should().Equal(first, first + "-2", cases[2].Id, first + "-3");
        cases.Select(c => c.Id).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task NamesFileAndLineForInvalidJson()
    {
        // Arrange
        var path = _temp.WriteLines(
            "data.jsonl",
            """{"input": "one"}""",
            """{"input": "two"}""",
            """{"input": "three",}""");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(3);
        ex.Field.Should().BeNull();
        ex.Message.Should().StartWith($"{path}:3: ").And.Contain("not valid JSON");
        ex.InnerException.Should().BeAssignableTo<JsonException>();
    }

    [Fact]
    public async Task RejectsALineThatIsAnArray()
    {
        // Arrange
        var path = _temp.WriteLines("data.jsonl", """{"input": "ok"}""", """["input", "x"]""");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(2);
        ex.Field.Should().BeNull();
        ex.Message.Should().StartWith($"{path}:2: ").And.Contain("must be a JSON object").And.Contain("an array");
    }

    [Fact]
    public async Task RejectsALineWithoutInputNamingTheField()
    {
        // Arrange
        var path = _temp.WriteLines("data.jsonl", """{"id": "a", "expected": "x"}""");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(1);
        ex.Field.Should().Be("input");
        ex.Message.Should().Be($"{path}:1: input: missing required field");
    }

    [Theory]
    [InlineData("42", "a number")]
    [InlineData("[\"a\"]", "an array")]
    [InlineData("true", "a boolean")]
    [InlineData("null", "null")]
    public async Task RejectsAnInputThatIsNeitherStringNorObject(string input, string described)
    {
        // Arrange
        var path = _temp.WriteLines("data.jsonl", """{"input": "ok"}""", $$"""{"input": {{input}}}""");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(2);
        ex.Field.Should().Be("input");
        ex.Message.Should().StartWith($"{path}:2: input: ").And.Contain(described);
    }

    [Theory]
    [InlineData("\"tags\"", "a string")]
    [InlineData("[1, 2]", "an array")]
    [InlineData("3", "a number")]
    public async Task RejectsMetadataThatIsNotAnObject(string metadata, string described)
    {
        // Arrange
        var path = _temp.WriteLines("data.jsonl", $$"""{"input": "x", "metadata": {{metadata}}}""");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(1);
        ex.Field.Should().Be("metadata");
        ex.Message.Should().StartWith($"{path}:1: metadata: must be an object").And.Contain(described);
    }

    [Theory]
    [InlineData("\"validation\"")]
    [InlineData("\"Test\"")]
    [InlineData("1")]
    public async Task RejectsAnUnknownSplitShowingWhatWasFound(string split)
    {
        // Arrange
        var path = _temp.WriteLines("data.jsonl", """{"input": "a"}""", $$"""{"input": "b", "split": {{split}}}""");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(2);
        ex.Field.Should().Be("split");
        ex.Message.Should().StartWith($"{path}:2: split: ").And.Contain("train, dev, test").And.Contain(split);
    }

    [Fact]
    public async Task RejectsAnUnknownFieldListingTheKnownOnes()
    {
        // Arrange
        var path = _temp.WriteLines("data.jsonl", """{"input": "a", "expectd": "typo"}""");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(1);
        ex.Field.Should().Be("expectd");
        ex.Message.Should().StartWith($"{path}:1: expectd: unknown field")
            .And.Contain("id").And.Contain("input").And.Contain("expected").And.Contain("metadata").And.Contain("split");
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("null")]
    [InlineData("{\"a\": 1}")]
    public async Task RejectsAnEmptyOrNonTextId(string id)
    {
        // Arrange
        var path = _temp.WriteLines("data.jsonl", $$"""{"id": {{id}}, "input": "x"}""");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.Line.Should().Be(1);
        ex.Field.Should().Be("id");
        ex.Message.Should().StartWith($"{path}:1: id: must be a non-empty string");
    }

    [Fact]
    public async Task RejectsADuplicateExplicitIdNamingTheFirstLine()
    {
        // Arrange
        var path = _temp.WriteLines(
            "data.jsonl",
            """{"id": "a", "input": "one"}""",
            """{"id": "b", "input": "two"}""",
            "",
            """{"id": "a", "input": "three"}""");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(4);
        ex.Field.Should().Be("id");
        ex.Message.Should().StartWith($"{path}:4: id: duplicate id 'a'").And.Contain("first used on line 1");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n   \n")]
    public async Task RejectsAFileWithNoCases(string content)
    {
        // Arrange
        var path = _temp.Write("empty.jsonl", content);

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().BeNull();
        ex.Field.Should().BeNull();
        ex.Message.Should().Be($"{path}: the dataset has no cases");
    }

    [Fact]
    public async Task RejectsAMissingFileNamingIt()
    {
        // Arrange
        var path = _temp.PathOf("nowhere.jsonl");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().BeNull();
        ex.Field.Should().BeNull();
        ex.Message.Should().Be($"{path}: dataset file not found");
    }

    [Fact]
    public async Task ReportsTheFirstBadLineAndReturnsNothing()
    {
        // Arrange: two bad lines; the first one is reported.
        var path = _temp.WriteLines(
            "data.jsonl",
            """{"input": "ok"}""",
            """{"input": 1}""",
            """not json""");

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.Line.Should().Be(2);
        ex.Field.Should().Be("input");
    }

    [Fact]
    public async Task StopsWhenCancelled()
    {
        // Arrange
        var path = _temp.WriteLines("data.jsonl", """{"input": "ok"}""");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        // Act
        var act = () => JsonlDatasetReader.ReadAsync(path, cancellation.Token);

        // Assert
        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}
