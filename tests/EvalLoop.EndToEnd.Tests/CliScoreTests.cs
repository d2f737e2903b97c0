using System.Text.Json;
using EvalLoop.TestUtilities;

namespace EvalLoop.EndToEnd.Tests;

/// <summary><c>evalloop score</c> and the scorer statistics of <c>run</c>, through the real <c>./evalloop</c> script.</summary>
[Collection("cli")]
public sealed class CliScoreTests
{
    [Fact]
    public async Task ScoresAJsonlFileLineByLineInOrderWithAutoevalsScores()
    {
        // Arrange
        using var workspace = new TempWorkspace();
        workspace.Write("cases.jsonl", """
            {"output": "abc", "expected": "axc"}
            {"output": "xabxcdxxefxgx", "expected": "1ab2cd34ef5g6", "input": "q", "metadata": {"k": 1}}

            {"output": {"a": 1}, "expected": "[object Object]"}
            {"output": "no expected"}
            """);

        // Act
        var result = await CliProcess.RunAsync(workspace.Path, "score", "--scorer", "levenshtein", "--input", "cases.jsonl");

        // Assert
        result.ExitCode.Should().Be(0, result.ToString());
        var lines = Lines(result.Stdout);
        lines.Should().HaveCount(4, "one line per case, blank lines skipped");
        lines[0].GetProperty("score").GetDouble().Should().Be(0.6666666666666667);
        lines[0].GetProperty("pass").GetBoolean().Should().BeTrue();
        lines[0].GetProperty("rationale").GetString().Should().Contain("1 edit");
        lines[0].GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);
        lines[1].GetProperty("score").GetDouble().Should().Be(0.5384615384615384);
        lines[2].GetProperty("score").GetDouble().Should().Be(1, "a non-string output becomes text as JavaScript's `${value}` does");
        lines[3].GetProperty("score").ValueKind.Should().Be(JsonValueKind.Null);
        lines[3].GetProperty("pass").ValueKind.Should().Be(JsonValueKind.Null);
        lines[3].GetProperty("error").GetString().Should().Contain("no expected value");
    }

    [Fact]
    public async Task TakesParamsAndScorerFilesAndRunsExecScorers()
    {
        // Arrange
        using var workspace = new TempWorkspace();
        workspace.Write("cases.jsonl", "{\"output\": \" PARIS \", \"expected\": \"paris\"}\n{\"output\": \"{\\\"n\\\": 2}\", \"expected\": 2}\n");
        workspace.Write("scorers/shape.yaml", """
            type: json-schema
            options:
              schema: { type: object, required: [n], properties: { n: { type: integer } } }
            """);
        workspace.Write("scorers/length.yaml", """
            type: exec
            threshold: 0.9
            options: { command: "sh length.sh" }
            """);
        workspace.Write("length.sh", """
            payload=$(cat)
            case "$payload" in *'"output":" PARIS "'*) echo '{"score": 1, "rationale": "seven"}' ;; *) echo '{"score": 0.5}' ;; esac
            """);

        // Act
        var exact = await CliProcess.RunAsync(workspace.Path, "score", "-s", "exact-match", "-i", "cases.jsonl", "--param", "case_sensitive=false", "--param", "trim=true");
        var shape = await CliProcess.RunAsync(workspace.Path, "score", "--scorer", "shape", "--input", "cases.jsonl");
        var exec = await CliProcess.RunAsync(workspace.Path, "score", "--scorer", "length", "--input", "cases.jsonl");

        // Assert
        exact.ExitCode.Should().Be(0, exact.ToString());
        Lines(exact.Stdout).Select(l => l.GetProperty("score").GetDouble()).Should().Equal(1, 0);
        shape.ExitCode.Should().Be(0, shape.ToString());
        Lines(shape.Stdout).Select(l => l.GetProperty("score").GetDouble()).Should().Equal(0, 1);
        exec.ExitCode.Should().Be(0, exec.ToString());
        var execLines = Lines(exec.Stdout);
        execLines.Select(l => l.GetProperty("score").GetDouble()).Should().Equal(1, 0.5);
        execLines.Select(l => l.GetProperty("pass").GetBoolean()).Should().Equal(true, false);
        execLines[0].GetProperty("rationale").GetString().Should().Be("seven");
    }

    [Fact]
    public async Task GradesWithTheJudgeOfAScorerFileThroughTheModelStack()
    {
        // Arrange: a loopback OpenAI-compatible judge; a local endpoint needs no key.
        await using var server = await LoopbackOpenAiServer.StartAsync();
        server.Responder = request => request.LastUserMessage.Contains("[Submission]: Paris", StringComparison.Ordinal)
            ? """{"reasoning": "Correct city.", "choice": "C"}"""
            : "I think it is fine.";
        using var workspace = new TempWorkspace();
        workspace.Write("scorers/facts.yaml", $$"""
            type: factuality
            judge: { provider: openai, name: judge-model, base_url: "{{server.OpenAiBaseUrl}}", max_retries: 0 }
            """);
        workspace.Write("cases.jsonl", """
            {"input": "Capital of France?", "output": "Paris", "expected": "Paris"}
            {"input": "Capital of Italy?", "output": "Rome, I believe", "expected": "Rome"}
            """);

        // Act
        var result = await CliProcess.RunAsync(workspace.Path, "score", "--scorer", "facts", "--input", "cases.jsonl");

        // Assert
        result.ExitCode.Should().Be(0, result.ToString());
        var lines = Lines(result.Stdout);
        lines[0].GetProperty("score").GetDouble().Should().Be(1);
        lines[0].GetProperty("rationale").GetString().Should().Be("C: Correct city.");
        lines[1].GetProperty("score").ValueKind.Should().Be(JsonValueKind.Null);
        lines[1].GetProperty("error").GetString().Should().StartWith("unparseable judge reply");
    }

    [Fact]
    public async Task AMalformedLineOrAMissingJudgeIsAnInputErrorAndNothingIsPrinted()
    {
        // Arrange
        using var workspace = new TempWorkspace();
        workspace.Write("cases.jsonl", "{\"output\": \"a\", \"expected\": \"a\"}\n{\"output\": \"b\", \"expectd\": \"b\"}\n");
        workspace.Write("good.jsonl", "{\"output\": \"a\", \"expected\": \"a\"}\n");

        // Act
        var malformed = await CliProcess.RunAsync(workspace.Path, "score", "--scorer", "exact-match", "--input", "cases.jsonl");
        var noJudge = await CliProcess.RunAsync(workspace.Path, "score", "--scorer", "factuality", "--input", "good.jsonl");
        var unknown = await CliProcess.RunAsync(workspace.Path, "score", "--scorer", "no-such", "--input", "good.jsonl");

        // Assert
        malformed.ExitCode.Should().Be(2, malformed.ToString());
        malformed.Stdout.Should().BeEmpty();
        malformed.Stderr.Should().Contain("cases.jsonl:2").And.Contain("expectd").And.Contain("unknown key");
        noJudge.ExitCode.Should().Be(2, noJudge.ToString());
        noJudge.Stderr.Should().Contain("judge model").And.Contain("offline");
        unknown.ExitCode.Should().Be(2, unknown.ToString());
        unknown.Stderr.Should().Contain("levenshtein");
    }

    [Fact]
    public async Task RunReportsAConfidenceIntervalPerScorerAndTrialVarianceWithSeveralTrials()
    {
        // Arrange
        using var workspace = CliTests.SmallWorkspace();
        workspace.Write("experiments/tiny.yaml", CliTests.TinyExperiment
            .Replace("scorers: [exact-match]", "scorers: [exact-match, levenshtein]", StringComparison.Ordinal)
            .Replace("concurrency: 2", "concurrency: 2\ntrials: 2", StringComparison.Ordinal));

        // Act
        var json = await CliProcess.RunAsync(workspace.Path, "run", "experiments/tiny.yaml", "--json");
        var text = await CliProcess.RunAsync(workspace.Path, "run", "experiments/tiny.yaml");

        // Assert
        json.ExitCode.Should().Be(0, json.ToString());
        using var document = JsonDocument.Parse(json.Stdout);
        var root = document.RootElement;
        var exact = root.GetProperty("scorers").GetProperty("exact-match");
        var interval = exact.GetProperty("mean_ci").EnumerateArray().Select(e => e.GetDouble()).ToList();
        interval.Should().HaveCount(2);
        interval[0].Should().BeLessThanOrEqualTo(exact.GetProperty("mean").GetDouble());
        interval[1].Should().BeGreaterThanOrEqualTo(exact.GetProperty("mean").GetDouble());
        exact.GetProperty("pass_rate_ci").GetArrayLength().Should().Be(2);
        exact.GetProperty("mean_trial_variance").GetDouble().Should().Be(0, "the offline model answers the same in every trial");
        exact.GetProperty("unstable_cases").GetInt32().Should().Be(0);
        root.GetProperty("judge").GetProperty("calls").GetInt32().Should().Be(0);
        root.GetProperty("unstable_cases").GetArrayLength().Should().Be(0);
        text.ExitCode.Should().Be(0, text.ToString());
        text.Stdout.Should().Contain("95% CI").And.Contain("trial variance");
    }

    private static List<JsonElement> Lines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
}
