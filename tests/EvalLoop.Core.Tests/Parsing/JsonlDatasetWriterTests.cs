using System.Text.Json;
using EvalLoop.Core.Datasets;

namespace EvalLoop.Core.Tests.Parsing;

public sealed class JsonlDatasetWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static DatasetCase[] SampleCases() =>
    [
        new("q1", JsonText.Parse("\"What is the capital of France?\""), JsonText.Parse("\"Paris\""), JsonText.Parse("""{"topic":"geo","n":2}"""), "train"),
        new("q2", JsonText.Parse("""{"question":"2+2?","context":["math"]}"""), JsonText.Parse("4"), null, "dev"),
        new("q3", JsonText.Parse("\"List two primes\""), JsonText.Parse("[2,3]"), null, null),
        new("q4", JsonText.Parse("\"Is water wet?\""), JsonText.Parse("true"), null, "test"),
        new("q5", JsonText.Parse("\"No reference\""), null, null, null),
    ];

    [Fact]
    public async Task RoundTripsEveryFieldThroughTheReader()
    {
        // Arrange
        var path = _temp.PathOf("datasets/out.jsonl");
        var cases = SampleCases();

        // Act
        await JsonlDatasetWriter.WriteAsync(path, cases);
        var read = await JsonlDatasetReader.ReadAsync(path);

        // Assert: the same JSON values (escaping may differ, so compare values, not raw text).
        read.Should().HaveCount(cases.Length);
        for (var i = 0; i < cases.Length; i++)
        {
            read[i].Id.Should().Be(cases[i].Id);
            JsonElement.DeepEquals(read[i].Input, cases[i].Input).Should().BeTrue($"input of {cases[i].Id}");
            SameJson(read[i].Expected, cases[i].Expected).Should().BeTrue($"expected of {cases[i].Id}");
            SameJson(read[i].Metadata, cases[i].Metadata).Should().BeTrue($"metadata of {cases[i].Id}");
            read[i].Split.Should().Be(cases[i].Split);
        }

        read[4].Expected.Should().BeNull();
    }

    private static bool SameJson(JsonElement? a, JsonElement? b) =>
        a is null ? b is null : b is not null && JsonElement.DeepEquals(a.Value, b.Value);

    [Fact]
    public async Task WritesOneCaseObjectPerLineAndOmitsAbsentFields()
    {
        // Arrange
        var path = _temp.PathOf("out.jsonl");

        // Act
        await JsonlDatasetWriter.WriteAsync(path, SampleCases());

        // Assert
        var lines = await File.ReadAllLinesAsync(path);
        lines.Should().HaveCount(5);
        lines[4].Should().Be("""{"id":"q5","input":"No reference"}""");
    }

    [Fact]
    public async Task LeavesNoTempFileBehind()
    {
        // Arrange
        var path = _temp.PathOf("datasets/out.jsonl");

        // Act
        await JsonlDatasetWriter.WriteAsync(path, SampleCases());

        // Assert
        Directory.GetFiles(Path.GetDirectoryName(path)!).Should().Equal(path);
    }

    [Fact]
    public async Task ReplacesAnExistingFileWhole()
    {
        // Arrange
        var path = _temp.Write("out.jsonl", "old content that is much longer than what replaces it\nsecond old line\nthird\n");
        var replacement = new[] { new DatasetCase("only", JsonText.Parse("\"new\""), null, null, null) };

        // Act
        await JsonlDatasetWriter.WriteAsync(path, replacement);

        // Assert
        (await File.ReadAllTextAsync(path)).Should().Be("{\"id\":\"only\",\"input\":\"new\"}\n");
        Directory.GetFiles(_temp.Root).Should().Equal(path);
    }

    [Fact]
    public async Task LeavesTheOriginalFileUntouchedWhenWritingFails()
    {
        // Arrange: the sequence throws part-way, after some cases were written to the temp file.
        var path = _temp.Write("out.jsonl", "{\"id\":\"old\",\"input\":\"kept\"}\n");
        static IEnumerable<DatasetCase> Failing()
        {
            yield return new DatasetCase("a", JsonText.Parse("\"x\""), null, null, null);
            throw new InvalidOperationException("source broke");
        }

        // Act
        var act = () => JsonlDatasetWriter.WriteAsync(path, Failing());

        // Assert
        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("source broke");
        (await File.ReadAllTextAsync(path)).Should().Be("{\"id\":\"old\",\"input\":\"kept\"}\n");
        Directory.GetFiles(_temp.Root).Should().Equal(path);
    }

    [Fact]
    public async Task LeavesTheOriginalFileUntouchedWhenCancelled()
    {
        // Arrange
        var path = _temp.Write("out.jsonl", "{\"id\":\"old\",\"input\":\"kept\"}\n");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        // Act
        var act = () => JsonlDatasetWriter.WriteAsync(path, SampleCases(), cancellation.Token);

        // Assert
        await act.Should().ThrowAsync<OperationCanceledException>();
        (await File.ReadAllTextAsync(path)).Should().Be("{\"id\":\"old\",\"input\":\"kept\"}\n");
        Directory.GetFiles(_temp.Root).Should().Equal(path);
    }

    [Fact]
    public async Task SucceedsWhenAStaleTempFileFromACrashedWriteExists()
    {
        // Arrange: a killed earlier write (same PID, as is usual for PID 1 in a container) left its temp file behind.
        var path = _temp.PathOf("out.jsonl");
        _temp.Write($"out.jsonl.{Environment.ProcessId}.tmp", "{\"id\":\"half\",\"inp");

        // Act
        await JsonlDatasetWriter.WriteAsync(path, SampleCases());

        // Assert
        (await JsonlDatasetReader.ReadAsync(path)).Should().HaveCount(5);
    }

    [Fact]
    public async Task WritesTextReadablyWithoutEscapingApostrophesOrAccents()
    {
        // Arrange: a dataset is a file the user diffs and edits by hand.
        var path = _temp.PathOf("out.jsonl");
        var cases = new[] { new DatasetCase("a", JsonText.Parse("\"I can't pay in caf\u00e9s\""), JsonText.Parse("\"card_not_working\""), null, null) };

        // Act
        await JsonlDatasetWriter.WriteAsync(path, cases);

        // Assert
        (await File.ReadAllTextAsync(path)).Should().Contain("I can't pay in caf\u00e9s");
    }
}
