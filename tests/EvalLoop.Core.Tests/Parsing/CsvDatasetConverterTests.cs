using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Workspace;

namespace EvalLoop.Core.Tests.Parsing;

public sealed class CsvDatasetConverterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ReadsQuotedFieldsContainingCommasQuotesAndNewlines()
    {
        // Arrange
        var path = _temp.Write(
            "data.csv",
            "id,text,label\n" +
            "a,\"Hello, world\",greeting\n" +
            "b,\"first line\nsecond line\",multi\n" +
            "c,\"she said \"\"hi\"\"\",quote\n");

        // Act
        var cases = await CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", "label", IdColumn: "id"));

        // Assert
        cases.Select(c => c.Id).Should().Equal("a", "b", "c");
        cases.Select(c => c.InputText).Should().Equal("Hello, world", "first line\nsecond line", "she said \"hi\"");
        cases.Select(c => c.ExpectedText).Should().Equal("greeting", "multi", "quote");
        cases.Should().AllSatisfy(c =>
        {
            c.Input.ValueKind.Should().Be(JsonValueKind.String);
            c.Expected!.Value.ValueKind.Should().Be(JsonValueKind.String);
        });
    }

    [Fact]
    public async Task PutsEveryUnmappedColumnIntoMetadataByDefault()
    {
        // Arrange
        var path = _temp.Write("data.csv", "text,label,source,row\nhi,greeting,web,7\n");

        // Act
        var cases = await CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", "label"));

        // Assert
        var metadata = cases[0].Metadata!.Value;
        metadata.EnumerateObject().Select(p => p.Name).Should().Equal("source", "row");
        metadata.GetProperty("source").GetString().Should().Be("web");
        metadata.GetProperty("row").GetString().Should().Be("7", "CSV cells are text");
    }

    [Fact]
    public async Task UsesOnlyTheNamedMetadataColumnsWhenGiven()
    {
        // Arrange
        var path = _temp.Write("data.csv", "text,label,source,row\nhi,greeting,web,7\n");

        // Act
        var cases = await CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", "label", MetadataColumns: ["row"]));

        // Assert
        cases[0].Metadata!.Value.EnumerateObject().Select(p => p.Name).Should().Equal("row");
    }

    [Fact]
    public async Task LeavesMetadataOutWhenNoColumnsRemain()
    {
        // Arrange
        var path = _temp.Write("data.csv", "text,label\nhi,greeting\n");

        // Act
        var cases = await CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", "label"));

        // Assert
        cases[0].Metadata.Should().BeNull();
    }

    [Fact]
    public async Task ReadsTheSplitColumnAndNumbersRowsWithoutAnIdColumn()
    {
        // Arrange
        var path = _temp.Write("data.csv", "text,split\none,train\ntwo,\nthree,test\n");

        // Act
        var cases = await CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", null, SplitColumn: "split"));

        // Assert
        cases.Select(c => c.Id).Should().Equal("row-1", "row-2", "row-3");
        cases.Select(c => c.Split).Should().Equal("train", null, "test");
        cases.Should().AllSatisfy(c => c.Expected.Should().BeNull());
        cases.Should().AllSatisfy(c => c.Metadata.Should().BeNull());
    }

    [Fact]
    public async Task ReadsSemicolonSeparatedFiles()
    {
        // Arrange
        var path = _temp.Write("data.csv", "text;label\nhello, there;greeting\nbye;farewell\n");

        // Act
        var cases = await CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", "label"));

        // Assert
        cases.Select(c => c.InputText).Should().Equal("hello, there", "bye");
    }

    [Theory]
    [InlineData("txt", "label", "txt", "--input-column")]
    [InlineData("text", "labl", "labl", "--expected-column")]
    public async Task RejectsAMissingColumnNamingItAndListingTheColumns(string input, string expected, string missing, string option)
    {
        // Arrange
        var path = _temp.Write("data.csv", "id,text,label\n1,hi,greeting\n");

        // Act
        var act = () => CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping(input, expected));

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(1);
        ex.Field.Should().Be(missing);
        ex.Message.Should().StartWith($"{path}:1: {missing}: no such column").And.Contain(option).And.Contain("columns are: id, text, label");
    }

    [Fact]
    public async Task RejectsAMissingIdColumn()
    {
        // Arrange
        var path = _temp.Write("data.csv", "id,text\n1,hi\n");

        // Act
        var act = () => CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", null, IdColumn: "identifier"));

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.Field.Should().Be("identifier");
        ex.Message.Should().Contain("--id-column").And.Contain("columns are: id, text");
    }

    [Fact]
    public async Task RejectsAMissingMetadataColumn()
    {
        // Arrange
        var path = _temp.Write("data.csv", "text,label\nhi,greeting\n");

        // Act
        var act = () => CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", "label", MetadataColumns: ["topic"]));

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.Line.Should().Be(1);
        ex.Field.Should().Be("topic");
        ex.Message.Should().Contain("--metadata-columns").And.Contain("columns are: text, label");
    }

    [Fact]
    public async Task RejectsAnEmptyInputCellNamingTheLineAndColumn()
    {
        // Arrange
        var path = _temp.Write("data.csv", "text,label\nhi,greeting\n\"  \",blank\n");

        // Act
        var act = () => CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", "label"));

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(3);
        ex.Field.Should().Be("text");
        ex.Message.Should().Be($"{path}:3: text: empty input");
    }

    [Fact]
    public async Task CountsPhysicalLinesOfEarlierMultiLineFieldsInErrorLines()
    {
        // Arrange: the record with the empty input starts on physical line 4.
        var path = _temp.Write("data.csv", "text,label\n\"two\nlines\",a\n,b\n");

        // Act
        var act = () => CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", "label"));

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.Line.Should().Be(4);
        ex.Field.Should().Be("text");
    }

    [Fact]
    public async Task RejectsAnUnknownSplitValue()
    {
        // Arrange
        var path = _temp.Write("data.csv", "text,split\none,train\ntwo,validation\n");

        // Act
        var act = () => CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", null, SplitColumn: "split"));

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.Line.Should().Be(3);
        ex.Field.Should().Be("split");
        ex.Message.Should().Contain("validation");
    }

    [Fact]
    public async Task RejectsADuplicateIdNamingTheLine()
    {
        // Arrange
        var path = _temp.Write("data.csv", "id,text\nx,one\ny,two\nx,three\n");

        // Act
        var act = () => CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", null, IdColumn: "id"));

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.Line.Should().Be(4);
        ex.Field.Should().Be("id");
        ex.Message.Should().Contain("duplicate id 'x'");
    }

    [Fact]
    public async Task GivesRowsWithAnEmptyIdCellUniqueIds()
    {
        // Arrange: two rows leave the id blank, and one explicit id happens to look like a generated one.
        var path = _temp.Write("data.csv", "id,text\n,one\nrow-1,two\n,three\n");

        // Act
        var cases = await CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", null, IdColumn: "id"));

        // Assert
        cases.Should().HaveCount(3);
        cases.Select(c => c.Id).Should().OnlyHaveUniqueItems().And.Contain("row-1");
    }

    [Fact]
    public async Task RejectsARowWithTooFewColumnsNamingTheLine()
    {
        // Arrange
        var path = _temp.Write("data.csv", "text,label\nhi,greeting\nshort\n");

        // Act
        var act = () => CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", "label"));

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(3);
        ex.Field.Should().Be("label");
    }

    [Fact]
    public async Task RejectsAnEmptyFileAsHavingNoHeaderOnLineOne()
    {
        // Arrange
        var path = _temp.Write("empty.csv", string.Empty);

        // Act
        var act = () => CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", null));

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(1);
        ex.Message.Should().Be($"{path}:1: the CSV file has no header row");
    }

    [Fact]
    public async Task RejectsAHeaderWithoutRows()
    {
        // Arrange
        var path = _temp.Write("header-only.csv", "text,label\n");

        // Act
        var act = () => CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", "label"));

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Message.Should().Contain("no rows");
    }

    [Fact]
    public async Task RejectsAMissingFile()
    {
        // Arrange
        var path = _temp.PathOf("missing.csv");

        // Act
        var act = () => CsvDatasetConverter.ReadAsync(path, new CsvColumnMapping("text", null));

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(path);
        ex.Line.Should().BeNull();
        ex.Message.Should().Be($"{path}: CSV file not found");
    }

    [Fact]
    public async Task ConvertsToJsonlThatTheReaderAcceptsUnchanged()
    {
        // Arrange
        var csv = _temp.Write("data.csv", "id,text,label,split,source\nq1,\"Hi, there\",greeting,train,web\nq2,\"It's\nlate\",farewell,test,app\n");
        var jsonl = _temp.PathOf("datasets/data.jsonl");
        var cases = await CsvDatasetConverter.ReadAsync(csv, new CsvColumnMapping("text", "label", IdColumn: "id", SplitColumn: "split"));

        // Act
        await JsonlDatasetWriter.WriteAsync(jsonl, cases);
        var read = await JsonlDatasetReader.ReadAsync(jsonl);

        // Assert
        read.Select(c => (c.Id, c.InputText, c.ExpectedText, c.Split)).Should().Equal(
            ("q1", "Hi, there", "greeting", "train"),
            ("q2", "It's\nlate", "farewell", "test"));
        read.Select(c => c.Metadata!.Value.GetProperty("source").GetString()).Should().Equal("web", "app");
        File.ReadAllLines(jsonl).Should().HaveCount(2, "a newline inside a field is escaped, one case per line");
    }
}
