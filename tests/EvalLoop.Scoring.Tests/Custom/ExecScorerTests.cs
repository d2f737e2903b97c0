using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Workspace;
using EvalLoop.Scoring.Custom;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests.Custom;

/// <summary>The <c>exec</c> scorer against small shell scripts (POSIX sh, present on every machine these tests run on).</summary>
public sealed class ExecScorerTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("evalloop-exec-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    [Fact]
    public async Task RunsTheCommandInTheWorkspaceWithTheCaseOnStdinAndReadsTheScore()
    {
        // Arrange: a script that saves what it read and scores 1 when the output matches the expected value.
        await File.WriteAllTextAsync(Path.Combine(_workspace, "check.sh"), """
            payload=$(cat)
            printf '%s' "$payload" > seen.json
            case "$payload" in
              *'"output":"Paris"'*) echo '{"score": 1, "rationale": "named the capital"}' ;;
              *) echo '{"score": 0.25}' ;;
            esac
            """);
        var scorer = new ExecScorer(Definition("exec", """{"command": "sh check.sh"}"""), _workspace);
        var @case = new DatasetCase("c1", JsonText.Parse("""{"q": "capital?"}"""), JsonText.Parse("\"Paris\""), JsonText.Parse("""{"lang": "en"}"""), null);

        // Act
        var good = await scorer.ScoreAsync(new ScoringInput(@case, "Paris"));
        var seen = await File.ReadAllTextAsync(Path.Combine(_workspace, "seen.json"));
        var weak = await scorer.ScoreAsync(new ScoringInput(@case, "Lyon"));

        // Assert
        good.Should().BeEquivalentTo(new { Score = (double?)1, Passed = true, Rationale = "named the capital", Error = (string?)null });
        using var payload = JsonDocument.Parse(seen);
        payload.RootElement.GetProperty("input").GetProperty("q").GetString().Should().Be("capital?");
        payload.RootElement.GetProperty("output").GetString().Should().Be("Paris");
        payload.RootElement.GetProperty("expected").GetString().Should().Be("Paris");
        payload.RootElement.GetProperty("metadata").GetProperty("lang").GetString().Should().Be("en");
        weak.Score.Should().Be(0.25);
        weak.Passed.Should().BeFalse();
        weak.Rationale.Should().Contain("scored 0.25");
    }

    [Theory]
    [InlineData("echo boom >&2; exit 3", "exited with code 3: boom")]
    [InlineData("echo not json", "it is not JSON")]
    [InlineData("echo '[1]'", "not a JSON object")]
    [InlineData("echo '{\"score\": \"high\"}'", "\"score\" must be a number")]
    [InlineData("echo '{\"score\": 1.5}'", "between 0 and 1")]
    [InlineData("echo '{\"score\": 1, \"rationale\": 7}'", "\"rationale\" must be text")]
    [InlineData("true", "printed nothing")]
    public async Task ABadExitOrBadOutputIsAnErrorOnTheCase(string command, string problem)
    {
        var scorer = new ExecScorer(Definition("exec", JsonSerializer.Serialize(new { command })), _workspace);

        var result = await scorer.ScoreAsync(Input("x", JsonString("y")));

        result.Score.Should().BeNull();
        result.Passed.Should().BeFalse();
        result.Error.Should().Contain(problem);
    }

    [Fact]
    public async Task ATimeoutKillsTheCommandAndIsAnErrorOnTheCase()
    {
        var scorer = new ExecScorer(Definition("exec", """{"command": "sleep 20", "timeout_seconds": 0.3}"""), _workspace);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var result = await scorer.ScoreAsync(Input("x", null));

        result.Error.Should().Contain("timed out after 0.3 s");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(null, "options.command")]
    [InlineData("""{"command": "  "}""", "options.command")]
    [InlineData("""{"command": "x", "timeout_seconds": 0}""", "options.timeout_seconds")]
    public void RejectsAMissingCommandOrBadTimeoutWhenLoaded(string? options, string field)
    {
        var act = () => new ExecScorer(Definition("exec", options));

        act.Should().ThrowExactly<WorkspaceFileException>().Which.Field.Should().Be($"scorer 'checker' {field}");
    }
}
