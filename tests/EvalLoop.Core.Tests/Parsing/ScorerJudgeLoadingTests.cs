using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Workspace;

namespace EvalLoop.Core.Tests.Parsing;

/// <summary>How the loader reads a scorer file's <c>judge:</c> mapping and defaults it to the experiment's model.</summary>
public sealed class ScorerJudgeLoadingTests : IDisposable
{
    private readonly TempDirectory _workspace = new();
    private readonly FakeScorerFactory _factory = new("exact-match", "llm-rubric");

    public ScorerJudgeLoadingTests() =>
        _workspace.WriteLines("datasets/x.jsonl", """{"id": "1", "input": "q", "expected": "a"}""");

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task ReadsTheJudgeMappingOfAScorerFileWithTheKeysOfAModel()
    {
        // Arrange
        _workspace.Write("scorers/helpful.yaml", """
            type: llm-rubric
            options: { rubric: "Helpful and correct." }
            judge:
              provider: openai
              name: gpt-4o
              base_url: http://127.0.0.1:9999/v1
              api_key_env: JUDGE_KEY
              max_tokens: 800
              max_retries: 1
              price: { input: 2.5, output: 10 }
            """);
        var path = WriteExperiment("offline", "[helpful]");

        // Act
        var experiment = await Loader().LoadAsync(path);

        // Assert
        var judge = experiment.Scorers.Single().Judge;
        judge.Should().BeEquivalentTo(new ModelSettings
        {
            Provider = "openai",
            Name = "gpt-4o",
            BaseUrl = "http://127.0.0.1:9999/v1",
            ApiKeyEnv = "JUDGE_KEY",
            MaxTokens = 800,
            MaxRetries = 1,
            Price = new ModelPrice(2.5m, 10m),
        });
    }

    [Fact]
    public async Task DefaultsTheJudgeToTheExperimentsRealModelAtTemperatureZeroWithoutItsMaxTokens()
    {
        // Arrange
        _workspace.Write("scorers/helpful.yaml", "type: llm-rubric\noptions: { rubric: r }\n");
        var path = WriteExperiment("""{ provider: openai, name: gpt-4o-mini, api_key_env: K, temperature: 0.7, max_tokens: 16 }""", "[helpful, llm-rubric]");

        // Act
        var experiment = await Loader().LoadAsync(path);

        // Assert
        experiment.Scorers.Should().HaveCount(2).And.OnlyContain(s => s.Judge != null);
        foreach (var scorer in experiment.Scorers)
        {
            scorer.Judge!.Should().BeEquivalentTo(experiment.Model with { Temperature = 0, MaxTokens = null });
        }
    }

    [Fact]
    public async Task LeavesTheJudgeEmptyForAnOfflineExperimentSoModelGradedScorersCanSaySo()
    {
        _workspace.Write("scorers/helpful.yaml", "type: llm-rubric\noptions: { rubric: r }\n");
        var path = WriteExperiment("offline", "[helpful, exact-match]");

        var experiment = await Loader().LoadAsync(path);

        experiment.Scorers.Should().OnlyContain(s => s.Judge == null);
    }

    [Theory]
    [InlineData("  temprature: 0", "judge.temprature", "unknown key")]
    [InlineData("  max_tokens: zero", "judge.max_tokens", "whole number")]
    [InlineData("  base_url: ftp://x", "judge.base_url", "http(s) URL")]
    public async Task RejectsABadJudgeKeyNamingTheScorerFileAndLine(string badLine, string field, string problem)
    {
        // Arrange
        var yaml = "type: llm-rubric\noptions: { rubric: r }\njudge:\n  provider: openai\n  name: gpt-4o\n" + badLine + "\n";
        var scorerPath = _workspace.Write("scorers/helpful.yaml", yaml);
        var path = WriteExperiment("offline", "[helpful]");

        // Act
        var act = () => Loader().LoadAsync(path);

        // Assert
        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(scorerPath);
        ex.Line.Should().Be(6);
        ex.Field.Should().Be(field);
        ex.Message.Should().Contain(problem);
    }

    [Fact]
    public async Task RequiresAJudgeProvider()
    {
        var scorerPath = _workspace.Write("scorers/helpful.yaml", "type: llm-rubric\njudge:\n  name: gpt-4o\n");
        var path = WriteExperiment("offline", "[helpful]");

        var act = () => Loader().LoadAsync(path);

        var ex = (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
        ex.FilePath.Should().Be(scorerPath);
        ex.Field.Should().Be("judge.provider");
    }

    [Fact]
    public async Task LoadsOneScorerByNameWithItsOwnJudgeOnly()
    {
        // Arrange
        _workspace.Write("scorers/helpful.yaml", "type: llm-rubric\nthreshold: 0.8\njudge: { provider: openai, name: gpt-4o }\n");
        _workspace.Write("scorers/plain.yaml", "type: exact-match\n");

        // Act
        var helpful = await Loader().LoadScorerAsync("helpful");
        var plain = await Loader().LoadScorerAsync(_workspace.PathOf("scorers/plain.yaml"));

        // Assert
        helpful.Should().BeEquivalentTo(new { Name = "helpful", Type = "llm-rubric", Threshold = (double?)0.8 }, o => o.ExcludingMissingMembers());
        helpful.Judge!.Name.Should().Be("gpt-4o");
        plain.Judge.Should().BeNull();
        _factory.Created.Select(d => d.Name).Should().Equal("helpful", "plain");
    }

    private ExperimentLoader Loader() => new(WorkspaceLayout.For(_workspace.Root), _factory);

    private string WriteExperiment(string model, string scorers) =>
        _workspace.Write("experiments/e.yaml", $"name: e\ndataset: x\nprompt:\n  user: \"{{{{input}}}}\"\nmodel: {(model == "offline" ? "{ provider: offline }" : model)}\nscorers: {scorers}\n");
}
