using System.Text.Json;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Workspace;

namespace EvalLoop.Core.Tests.Parsing;

public sealed partial class ExperimentLoaderTests : IDisposable
{
    private const string Minimal = """
        name: demo
        dataset: x
        prompt:
          user: "{{input}}"
        model:
          provider: offline
        scorers: [exact-match]
        """;

    private readonly TempDirectory _workspace = new();
    private readonly FakeScorerFactory _factory = FakeScorerFactory.Default();

    public ExperimentLoaderTests()
    {
        _workspace.WriteLines(
            "datasets/x.jsonl",
            """{"id": "1", "input": "capital of France?", "expected": "Paris", "metadata": {"topic": "geo"}, "split": "dev"}""",
            """{"id": "2", "input": "capital of Italy?", "expected": "Rome", "metadata": {"topic": "geo"}, "split": "test"}""");
    }

    public void Dispose() => _workspace.Dispose();

    private ExperimentLoader Loader() => new(WorkspaceLayout.For(_workspace.Root), _factory);

    /// <summary>Writes experiments/NAME.yaml, NAME being the YAML's own <c>name:</c> (the loader requires they match) unless given.</summary>
    private string WriteExperiment(string yaml, string? fileName = null) =>
        _workspace.Write("experiments/" + (fileName ?? (NameLine().Match(yaml) is { Success: true } m ? m.Groups[1].Value : "e") + ".yaml"), yaml + "\n");

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*name:\s*([A-Za-z0-9_.-]+)\s*$", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex NameLine();

    private async Task<WorkspaceFileException> LoadErrorAsync(string path)
    {
        var act = () => Loader().LoadAsync(path);
        return (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which;
    }

    /// <summary>The 1-based line of the first line of <paramref name="yaml"/> containing <paramref name="fragment"/>.</summary>
    private static int LineOf(string yaml, string fragment)
    {
        var lines = yaml.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(fragment, StringComparison.Ordinal));
        index.Should().BeGreaterThanOrEqualTo(0, $"the test YAML should contain '{fragment}'");
        return index + 1;
    }

    private static void ShouldName(WorkspaceFileException ex, string path, int line, string? field)
    {
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(line);
        ex.Field.Should().Be(field);
        ex.Message.Should().StartWith(field is null ? $"{path}:{line}: " : $"{path}:{line}: {field}: ");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EvalLoop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no EvalLoop.sln above {AppContext.BaseDirectory}");
    }

    [Fact]
    public async Task LoadsTheRepositorySampleBanking77Experiment()
    {
        // Arrange
        var root = FindRepositoryRoot();
        var factory = new FakeScorerFactory("exact-match");
        var loader = new ExperimentLoader(WorkspaceLayout.For(root), factory);

        // Act
        var experiment = await loader.LoadAsync(Path.Combine(root, "experiments", "banking77-intents.yaml"));

        // Assert
        experiment.Name.Should().Be("banking77-intents");
        experiment.Dataset.Should().Be("banking77");
        experiment.Split.Should().Be("test");
        experiment.Goal.Should().Be("banking77-routing", "the sample experiment names its goal file, experiments/goals/banking77-routing.yaml");
        experiment.Prompt.User.Should().Be("{{input}}");
        experiment.Prompt.System!.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal)).Should().Be(77);
        experiment.Prompt.System.Should().EndWith("and nothing else.\n");
        experiment.Model.Provider.Should().Be(ModelProviders.Offline);
        experiment.Model.Name.Should().Be("offline-knn-v1");
        experiment.Model.Temperature.Should().Be(0);
        experiment.Model.MaxTokens.Should().Be(16);

        var scorer = experiment.Scorers.Should().ContainSingle().Which;
        scorer.Name.Should().Be("intent-match");
        scorer.Type.Should().Be("exact-match");
        scorer.Threshold.Should().Be(1);
        scorer.SourcePath.Should().Be(Path.Combine(root, "scorers", "intent-match.yaml"));
        scorer.Line.Should().Be(3, "the scorer file starts with two comment lines");
        scorer.Options!.Value.GetProperty("trim").GetBoolean().Should().BeTrue();
        scorer.Options!.Value.GetProperty("case_sensitive").GetBoolean().Should().BeFalse();
        factory.Created.Should().ContainSingle().Which.Should().Be(scorer);

        experiment.Targets.Should().Equal(new Dictionary<string, double> { ["intent-match"] = 0.85 });
        experiment.Concurrency.Should().Be(8);
        experiment.Trials.Should().Be(1);
        experiment.Schedule.Should().BeNull("the schedule line is commented out");
    }

    [Fact]
    public async Task LoadsEveryFieldOfAFullExample()
    {
        // Arrange
        var yaml = """
            # Every key an experiment may have.
            name: full-example
            description: Every field set.
            goal: "Accuracy >= 0.9 on dev."
            dataset: x
            split: dev
            limit: 50
            prompt:
              system: You answer with a city name only.
              user: "Q: {{input}} ({{metadata.topic}})"
            model:
              provider: openai
              name: gpt-4o-mini
              base_url: http://127.0.0.1:11434/v1
              api_key_env: MY_API_KEY
              temperature: 0.2
              max_tokens: 256
              timeout_seconds: 30
              max_retries: 2
              requests_per_minute: 60
              tokens_per_minute: 90000
              price: { input: 0.15, output: 0.6 }
              api_version: 2024-10-21
            scorers:
              - exact-match
              - name: mentions-city
                type: contains
                threshold: 0.5
                description: The answer names the expected city somewhere.
                options: { trim: true, case_sensitive: false }
            targets:
              exact-match: 0.9
              mentions-city: 0.95
            concurrency: 4
            trials: 3
            schedule: "0 0 2 * * ?"
            """;
        var path = WriteExperiment(yaml);

        // Act
        var experiment = await Loader().LoadAsync(path);

        // Assert
        experiment.Name.Should().Be("full-example");
        experiment.Description.Should().Be("Every field set.");
        experiment.Goal.Should().Be("Accuracy >= 0.9 on dev.");
        experiment.Dataset.Should().Be("x");
        experiment.Split.Should().Be("dev");
        experiment.Limit.Should().Be(50);
        experiment.Prompt.Should().Be(new PromptDefinition("You answer with a city name only.", "Q: {{input}} ({{metadata.topic}})"));
        experiment.Model.Should().BeEquivalentTo(new ModelSettings
        {
            Provider = "openai",
            Name = "gpt-4o-mini",
            BaseUrl = "http://127.0.0.1:11434/v1",
            ApiKeyEnv = "MY_API_KEY",
            Temperature = 0.2,
            MaxTokens = 256,
            Timeout = TimeSpan.FromSeconds(30),
            MaxRetries = 2,
            RequestsPerMinute = 60,
            TokensPerMinute = 90000,
            Price = new ModelPrice(0.15m, 0.6m),
            ApiVersion = "2024-10-21",
        });
        experiment.Scorers.Should().HaveCount(2);
        // A real task model is also the default judge of model-graded scorers (at temperature 0, without max_tokens).
        experiment.Scorers[0].Should().Be(new ScorerDefinition("exact-match", "exact-match", null, null, path, LineOf(yaml, "- exact-match"), experiment.Model with { Temperature = 0, MaxTokens = null }));
        var contains = experiment.Scorers[1];
        contains.Name.Should().Be("mentions-city");
        contains.Type.Should().Be("contains");
        contains.Threshold.Should().Be(0.5);
        contains.SourcePath.Should().Be(path);
        contains.Line.Should().Be(LineOf(yaml, "- name: mentions-city"));
        contains.Options!.Value.GetRawText().Should().Be("""{"trim":true,"case_sensitive":false}""");
        experiment.Targets.Should().Equal(new Dictionary<string, double> { ["exact-match"] = 0.9, ["mentions-city"] = 0.95 });
        experiment.Concurrency.Should().Be(4);
        experiment.Trials.Should().Be(3);
        experiment.Schedule.Should().Be("0 0 2 * * ?");
        experiment.SourcePath.Should().Be(path);
    }

    [Fact]
    public async Task AppliesDefaultsForAMinimalExperiment()
    {
        // Arrange
        var path = WriteExperiment(Minimal);

        // Act
        var experiment = await Loader().LoadAsync(path);

        // Assert
        experiment.Prompt.System.Should().BeNull();
        experiment.Split.Should().BeNull();
        experiment.Limit.Should().BeNull();
        experiment.Model.Name.Should().Be("offline-knn-v1");
        experiment.Model.Timeout.Should().Be(TimeSpan.FromSeconds(60));
        experiment.Model.MaxRetries.Should().Be(4);
        experiment.Model.Temperature.Should().BeNull();
        experiment.Model.Price.Should().BeNull();
        experiment.Targets.Should().BeEmpty();
        experiment.Concurrency.Should().Be(8);
        experiment.Trials.Should().Be(1);
        experiment.Schedule.Should().BeNull();
    }

    [Fact]
    public async Task AnExperimentInTheExperimentsFolderMustBeNamedAfterItsFile()
    {
        // The service, approvals and goals find experiment NAME at experiments/NAME.yaml: a mismatch would make every
        // scheduled fire fail.
        var path = WriteExperiment(Minimal, "nightly.yaml");

        var error = await LoadErrorAsync(path);

        error.Field.Should().Be("name");
        error.Line.Should().Be(1);
        error.Problem.Should().Contain("must match the file name 'nightly'");
    }

    [Fact]
    public async Task AnExperimentFileOutsideTheExperimentsFolderMayBeNamedFreely()
    {
        var path = _workspace.Write("elsewhere/nightly.yaml", Minimal + "\n");

        var experiment = await Loader().LoadAsync(path);

        experiment.Name.Should().Be("demo");
    }

    [Fact]
    public async Task LoadsAnExperimentByBareNameFromTheExperimentsFolder()
    {
        // Arrange
        var path = WriteExperiment(Minimal, "demo.yaml");

        // Act
        var experiment = await Loader().LoadAsync("demo");

        // Assert
        experiment.SourcePath.Should().Be(path);
    }

    [Fact]
    public async Task ResolvesADotRelativeDatasetPathAgainstTheExperimentFolder()
    {
        // Arrange
        var path = WriteExperiment(Minimal.Replace("dataset: x", "dataset: ../datasets/x.jsonl", StringComparison.Ordinal));

        // Act
        var experiment = await Loader().LoadAsync(path);

        // Assert
        experiment.Dataset.Should().Be(_workspace.PathOf("datasets/x.jsonl"));
    }

    [Fact]
    public async Task RejectsAnUnknownTopLevelKeyNamingTheLine()
    {
        // Arrange
        var yaml = Minimal + "\nmodle: {}";
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "modle:"), "modle");
        ex.Message.Should().Contain("unknown key").And.Contain("allowed: name, description");
    }

    [Fact]
    public async Task RejectsAnUnknownModelKeyNamingTheLine()
    {
        // Arrange
        var yaml = Minimal.Replace("  provider: offline", "  provider: offline\n  temprature: 0.5", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "temprature"), "model.temprature");
        ex.Message.Should().Contain("unknown key").And.Contain("temperature");
    }

    [Fact]
    public async Task RejectsAnUnknownPromptKey()
    {
        // Arrange
        var yaml = Minimal.Replace("  user:", "  assistant: hi\n  user:", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "assistant:"), "prompt.assistant");
    }

    [Fact]
    public async Task RejectsAWholeNumberKeyWithText()
    {
        // Arrange
        var yaml = Minimal + "\nconcurrency: \"lots\"";
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "concurrency:"), "concurrency");
        ex.Message.Should().Contain("must be a whole number").And.Contain("lots");
    }

    [Theory]
    [InlineData("  temperature: 5", "model.temperature", "between 0 and 2")]
    [InlineData("  temperature: -0.1", "model.temperature", "between 0 and 2")]
    [InlineData("  max_tokens: 0", "model.max_tokens", "between 1 and")]
    [InlineData("  timeout_seconds: 0", "model.timeout_seconds", "between 0.01 and 3600")]
    [InlineData("  max_retries: 21", "model.max_retries", "between 0 and 20")]
    [InlineData("  temperature: warm", "model.temperature", "must be a number")]
    [InlineData("  max_tokens: 1.5", "model.max_tokens", "must be a whole number")]
    public async Task RejectsAnOutOfRangeOrMistypedModelValue(string line, string field, string problem)
    {
        // Arrange
        var yaml = Minimal.Replace("  provider: offline", "  provider: offline\n" + line, StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, line), field);
        ex.Message.Should().Contain(problem);
    }

    [Theory]
    [InlineData("concurrency: 0", "concurrency", "between 1 and 256")]
    [InlineData("concurrency: 257", "concurrency", "between 1 and 256")]
    [InlineData("trials: 0", "trials", "between 1 and 100")]
    [InlineData("limit: 0", "limit", "between 1 and")]
    [InlineData("limit: [1, 2]", "limit", "a list")]
    public async Task RejectsAnOutOfRangeTopLevelNumber(string line, string field, string problem)
    {
        // Arrange
        var yaml = Minimal + "\n" + line;
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, line), field);
        ex.Message.Should().Contain(problem);
    }

    [Fact]
    public async Task RejectsAMissingPromptUserNamingThePromptBlock()
    {
        // Arrange
        var yaml = """
            name: demo
            dataset: x
            prompt:
              system: Be terse.
            model:
              provider: offline
            scorers: [exact-match]
            """;
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert: the line is where the prompt mapping starts (its first key).
        ShouldName(ex, path, LineOf(yaml, "system: Be terse."), "prompt.user");
        ex.Message.Should().Contain("missing required key");
    }

    [Fact]
    public async Task RejectsAnEmptyPromptUser()
    {
        // Arrange
        var yaml = Minimal.Replace("user: \"{{input}}\"", "user: \"  \"", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "user:"), "prompt.user");
        ex.Message.Should().Contain("must not be empty");
    }

    [Fact]
    public async Task RejectsAMissingDatasetKey()
    {
        // Arrange
        var yaml = Minimal.Replace("dataset: x\n", string.Empty, StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert: a missing top-level key points at the top of the file.
        ShouldName(ex, path, 1, "dataset");
        ex.Message.Should().Contain("missing required key");
    }

    [Fact]
    public async Task RejectsAMissingModelProvider()
    {
        // Arrange
        var yaml = Minimal.Replace("  provider: offline", "  name: some-model", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "name: some-model"), "model.provider");
        ex.Message.Should().Contain("missing required key");
    }

    [Fact]
    public async Task RejectsAMissingModelBlock()
    {
        // Arrange
        var yaml = Minimal.Replace("model:\n  provider: offline\n", string.Empty, StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ex.Field.Should().Be("model");
        ex.Message.Should().Contain("missing required key");
    }

    [Fact]
    public async Task RequiresAModelNameForHostedProviders()
    {
        // Arrange
        var yaml = Minimal.Replace("provider: offline", "provider: openai", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "provider: openai"), "model.name");
    }

    [Fact]
    public async Task RejectsAnUnknownProviderListingTheKnownOnes()
    {
        // Arrange
        var yaml = Minimal.Replace("provider: offline", "provider: anthropic", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "provider: anthropic"), "model.provider");
        ex.Message.Should().Contain("unknown provider 'anthropic'").And.Contain("offline, openai, azure-openai");
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("localhost:11434/v1")]
    [InlineData("ftp://example.com/v1")]
    [InlineData("/v1/chat")]
    public async Task RejectsABaseUrlThatIsNotAnAbsoluteHttpUrl(string baseUrl)
    {
        // Arrange
        var yaml = Minimal.Replace("  provider: offline", $"  provider: openai\n  name: m\n  base_url: \"{baseUrl}\"", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "base_url:"), "model.base_url");
        ex.Message.Should().Contain("absolute http(s) URL").And.Contain(baseUrl);
    }

    [Fact]
    public async Task RejectsAnUnknownPriceKey()
    {
        // Arrange
        var yaml = Minimal.Replace("  provider: offline", "  provider: offline\n  price:\n    input: 1\n    cached: 0.5", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "cached:"), "model.price.cached");
    }

    [Fact]
    public async Task RejectsAnUnknownScorerNameListingBuiltInTypes()
    {
        // Arrange
        var yaml = Minimal.Replace("scorers: [exact-match]", "scorers:\n  - exact-match\n  - fuzzy-match", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "- fuzzy-match"), "scorers[1]");
        ex.Message.Should().Contain("unknown scorer 'fuzzy-match'").And.Contain("contains, exact-match, regex").And.Contain("fuzzy-match.yaml");
    }

    [Fact]
    public async Task RejectsAnUnknownScorerTypeInAnInlineScorer()
    {
        // Arrange
        var yaml = Minimal.Replace("scorers: [exact-match]", "scorers:\n  - name: judge\n    type: llm-judge", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "type: llm-judge"), "scorers[0].type");
    }

    [Theory]
    [InlineData("scorers: []")]
    [InlineData("scorers:")]
    [InlineData("scorers: exact-match")]
    public async Task RejectsMissingOrEmptyScorers(string line)
    {
        // Arrange
        var yaml = Minimal.Replace("scorers: [exact-match]", line, StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ex.FilePath.Should().Be(path);
        ex.Field.Should().Be("scorers");
        ex.Message.Should().Contain("non-empty list");
    }

    [Fact]
    public async Task RejectsDuplicateScorerNames()
    {
        // Arrange
        var yaml = Minimal.Replace(
            "scorers: [exact-match]",
            "scorers:\n  - exact-match\n  - type: exact-match\n    options: { trim: true }",
            StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "- type: exact-match"), "scorers[1]");
        ex.Message.Should().Contain("duplicate scorer name 'exact-match'");
    }

    [Fact]
    public async Task RejectsATargetNamingAMissingScorer()
    {
        // Arrange
        var yaml = Minimal + "\ntargets:\n  exact-match: 0.9\n  accuracy: 0.8";
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "accuracy:"), "targets.accuracy");
        ex.Message.Should().Contain("no scorer named 'accuracy'").And.Contain("scorers: exact-match");
    }

    [Theory]
    [InlineData("1.5", "between 0 and 1")]
    [InlineData("high", "must be a number")]
    public async Task RejectsATargetThatIsNotAFraction(string value, string problem)
    {
        // Arrange
        var yaml = Minimal + "\ntargets:\n  exact-match: " + value;
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "exact-match: " + value), "targets.exact-match");
        ex.Message.Should().Contain(problem);
    }

    [Fact]
    public async Task RejectsABadTemplateInABlockScalarAtTheOffendingLine()
    {
        // Arrange
        var yaml = """
            name: demo
            dataset: x
            prompt:
              system: |
                You are a router.
                Use the topic to decide.
                Topic: {{metadata}}
                Be terse.
              user: "{{input}}"
            model:
              provider: offline
            scorers: [exact-match]
            """;
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "Topic: {{metadata}}"), "prompt.system");
        ex.Line.Should().Be(7);
        ex.Message.Should().Contain("{{metadata}}");
        ex.InnerException.Should().BeOfType<PromptTemplateException>();
    }

    [Fact]
    public async Task RejectsAnUnclosedTagInABlockScalarAtTheOffendingLine()
    {
        // Arrange
        var yaml = """
            name: demo
            dataset: x
            prompt:
              system: Be terse.
              user: |-
                Question:
                {{input}}
                Hint: {{ metadata.hint
                Answer:
            model:
              provider: offline
            scorers: [exact-match]
            """;
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "Hint:"), "prompt.user");
        ex.Message.Should().Contain("unclosed");
    }

    [Fact]
    public async Task RejectsABadTemplateInAFoldedBlockScalarAtTheOffendingLine()
    {
        // Arrange: folding joins the source lines, so the line must come from the source, not the folded text.
        var yaml = """
            name: demo
            dataset: x
            prompt:
              system: >
                You are a router
                of customer messages.
                Use {{input.nope.}} here.
              user: "{{input}}"
            model:
              provider: offline
            scorers: [exact-match]
            """;
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "Use {{input.nope.}}"), "prompt.system");
    }

    [Fact]
    public async Task RejectsABadTemplateInASingleLinePrompt()
    {
        // Arrange
        var yaml = Minimal.Replace("user: \"{{input}}\"", "user: \"{{question}}\"", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "user:"), "prompt.user");
        ex.Message.Should().Contain("unknown variable '{{question}}'");
    }

    [Fact]
    public async Task RejectsAMissingDatasetFileNamingItsPath()
    {
        // Arrange
        var yaml = Minimal.Replace("dataset: x", "dataset: nope", StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "dataset: nope"), "dataset");
        ex.Message.Should().Contain("dataset not found").And.Contain(Path.Combine(_workspace.Root, "datasets", "nope.jsonl"));
    }

    [Fact]
    public async Task RejectsAnUnknownSplit()
    {
        // Arrange
        var yaml = Minimal + "\nsplit: validation";
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "split:"), "split");
        ex.Message.Should().Contain("validation");
    }

    [Theory]
    [InlineData("name: my experiment")]
    [InlineData("name: -leading-dash")]
    [InlineData("name: a/b")]
    public async Task RejectsANameThatIsNotAnIdentifier(string line)
    {
        // Arrange
        var yaml = Minimal.Replace("name: demo", line, StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, 1, "name");
    }

    [Fact]
    public async Task RejectsInvalidYamlSyntaxNamingTheLine()
    {
        // Arrange
        var yaml = """
            name: demo
            dataset: x
            prompt:
              user: Answer: {{input}}
            model:
              provider: offline
            scorers: [exact-match]
            """;
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, 4, null);
        ex.Message.Should().Contain("invalid YAML");
    }

    [Fact]
    public async Task RejectsADuplicateKeyNamingTheLine()
    {
        // Arrange
        var yaml = Minimal + "\nname: again";
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ex.FilePath.Should().Be(path);
        ex.Line.Should().Be(LineOf(yaml, "name: again"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment")]
    public async Task RejectsAnEmptyFile(string yaml)
    {
        // Arrange
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ex.FilePath.Should().Be(path);
        ex.Message.Should().Contain("empty");
    }

    [Fact]
    public async Task RejectsATopLevelList()
    {
        // Arrange
        var path = WriteExperiment("- name: demo");

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, 1, null);
        ex.Message.Should().Contain("must be a mapping");
    }

    [Fact]
    public async Task RejectsAMissingExperimentFile()
    {
        // Arrange
        var path = _workspace.PathOf("experiments/none.yaml");

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ex.FilePath.Should().Be(path);
        ex.Line.Should().BeNull();
        ex.Message.Should().Be($"{path}: file not found");
    }

    [Theory]
    [InlineData("schedule: \"0 2 *\"")]
    [InlineData("schedule: \"0 2 * * *\"")]
    [InlineData("schedule: \"0 0 2 * * ? 2030 extra\"")]
    public async Task RejectsAScheduleThatIsNotAQuartzCronExpression(string line)
    {
        // Arrange
        var yaml = Minimal + "\n" + line;
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "schedule:"), "schedule");
        ex.Message.Should().Contain("6 or 7 fields");
    }

    [Theory]
    [InlineData("wait")]
    [InlineData("skip")]
    public async Task ReadsTheOverlapPolicy(string policy)
    {
        // Arrange
        var path = WriteExperiment(Minimal + "\non_overlap: " + policy);

        // Act
        var experiment = await Loader().LoadAsync(path);

        // Assert
        experiment.OnOverlap.Should().Be(policy);
        (await Loader().LoadAsync(WriteExperiment(Minimal))).OnOverlap.Should().BeNull("without the key the service's default applies");
    }

    [Fact]
    public async Task RejectsAnUnknownOverlapPolicyWithItsLine()
    {
        // Arrange
        var yaml = Minimal + "\non_overlap: queue";
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "on_overlap:"), "on_overlap");
        ex.Message.Should().Contain("wait or skip").And.Contain("queue");
    }

    [Fact]
    public async Task LoadsAScorerFileReferencedByName()
    {
        // Arrange
        var scorerPath = _workspace.Write("scorers/strict.yaml", "# strict\ntype: exact-match\nthreshold: 1\noptions:\n  trim: true\n");
        var path = WriteExperiment(Minimal.Replace("scorers: [exact-match]", "scorers: [strict]", StringComparison.Ordinal));

        // Act
        var experiment = await Loader().LoadAsync(path);

        // Assert
        experiment.Scorers.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Name = "strict",
            Type = "exact-match",
            Threshold = (double?)1,
            SourcePath = scorerPath,
            Line = (int?)2,
        });
    }

    [Fact]
    public async Task PrefersAScorerFileOverABuiltInTypeOfTheSameName()
    {
        // Arrange
        _workspace.Write("scorers/contains.yaml", "type: contains\noptions:\n  value: Paris\n");
        var path = WriteExperiment(Minimal.Replace("scorers: [exact-match]", "scorers: [contains]", StringComparison.Ordinal));

        // Act
        var experiment = await Loader().LoadAsync(path);

        // Assert
        experiment.Scorers[0].Options!.Value.GetProperty("value").GetString().Should().Be("Paris");
    }

    [Fact]
    public async Task RejectsAnUnknownKeyInAScorerFileNamingThatFile()
    {
        // Arrange
        var scorerPath = _workspace.Write("scorers/strict.yaml", "type: exact-match\nthreshhold: 1\n");
        var path = WriteExperiment(Minimal.Replace("scorers: [exact-match]", "scorers: [strict]", StringComparison.Ordinal));

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, scorerPath, 2, "threshhold");
        ex.Message.Should().Contain("allowed: name, type, threshold, description, options");
    }

    [Fact]
    public async Task RejectsABadScorerOptionInlineNamingTheScorerLine()
    {
        // Arrange
        var yaml = Minimal.Replace(
            "scorers: [exact-match]",
            "scorers:\n  - exact-match\n  - type: regex\n    options:\n      pattern: \"(\"",
            StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ShouldName(ex, path, LineOf(yaml, "- type: regex"), "scorers[1]");
    }

    [Fact]
    public async Task RejectsABadScorerOptionInAScorerFileWithoutAnEmptyFieldName()
    {
        // Arrange
        var scorerPath = _workspace.Write("scorers/code.yaml", "type: regex\noptions:\n  pattern: \"(\"\n");
        var path = WriteExperiment(Minimal.Replace("scorers: [exact-match]", "scorers: [code]", StringComparison.Ordinal));

        // Act
        var ex = await LoadErrorAsync(path);

        // Assert
        ex.FilePath.Should().Be(scorerPath);
        ex.Line.Should().Be(1);
        ex.Field.Should().NotBe(string.Empty, "an empty field renders as \"file:1: : problem\"");
        ex.Message.Should().NotContain(": : ");
    }

    [Fact]
    public async Task PassesTheWorkspaceFileExceptionOfAFactoryThrough()
    {
        // Arrange: a factory that already names file, line and option must not be re-wrapped.
        var thrown = new WorkspaceFileException("elsewhere.yaml", 9, "options.x", "bad");
        var loader = new ExperimentLoader(WorkspaceLayout.For(_workspace.Root), new ThrowingScorerFactory(thrown));
        var path = WriteExperiment(Minimal);

        // Act
        var act = () => loader.LoadAsync(path);

        // Assert
        (await act.Should().ThrowExactlyAsync<WorkspaceFileException>()).Which.Should().BeSameAs(thrown);
    }

    [Fact]
    public async Task ConvertsScorerOptionsFromYamlToJsonTypes()
    {
        // Arrange
        var yaml = Minimal.Replace(
            "scorers: [exact-match]",
            "scorers:\n  - type: contains\n    options:\n      flag: true\n      count: 3\n      ratio: 0.5\n      text: \"42\"\n      none: ~\n      list: [a, 1]\n      nested: { k: v }",
            StringComparison.Ordinal);
        var path = WriteExperiment(yaml);

        // Act
        var experiment = await Loader().LoadAsync(path);

        // Assert
        experiment.Scorers[0].Options!.Value.GetRawText().Should().Be(
            """{"flag":true,"count":3,"ratio":0.5,"text":"42","none":null,"list":["a",1],"nested":{"k":"v"}}""");
    }

    private sealed class ThrowingScorerFactory(Exception exception) : IScorerFactory
    {
        public IReadOnlyCollection<string> KnownTypes { get; } = ["exact-match"];

        public IScorer Create(ScorerDefinition definition) => throw exception;
    }
}
