using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Models;
using EvalLoop.Core.Scoring;
using EvalLoop.Core.Workspace;
using EvalLoop.Models;
using EvalLoop.TestUtilities;
using EvalLoop.TestUtilities.Fakes;

namespace EvalLoop.Scoring.Tests.ModelGraded;

/// <summary>
/// llm-rubric, factuality and closed-qa with a real judge: the real <see cref="ModelProviderFactory"/> wrapper stack
/// (usage and cost, cache, retries) talking to a loopback OpenAI-compatible server with scripted replies.
/// </summary>
public sealed class ModelGradedScorerTests : IAsyncLifetime
{
    private const string KeyVariable = "EVALLOOP_JUDGE_KEY";
    private LoopbackOpenAiServer _server = null!;
    private readonly InMemoryResponseCache _cache = new();

    public async Task InitializeAsync() => _server = await LoopbackOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ScoresTheChoiceOfAGoodJudgeReplyAndCountsTheJudgesUsageApart()
    {
        // Arrange
        _server.Responder = _ => new LoopbackChatAnswer("""{"reasoning": "It names Paris, which the rubric asks for.", "choice": "Y"}""", PromptTokens: 300, CompletionTokens: 20);
        using var factory = Factory();
        var scorer = factory.Create(Definition("llm-rubric", """{"rubric": "Names the capital city."}"""));

        // Act
        var result = await scorer.ScoreAsync(Input("Paris is the capital.", "\"Paris\""));

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().Be(1);
        result.Passed.Should().BeTrue();
        result.Rationale.Should().Be("Y: It names Paris, which the rubric asks for.");
        result.Judge.Should().Be(new JudgeUsage(300, 20, (300 * 0.15m / 1_000_000) + (20 * 0.60m / 1_000_000)));

        var request = _server.Requests.Should().ContainSingle().Subject;
        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.GetProperty("temperature").GetDouble().Should().Be(0);
        body.RootElement.GetProperty("model").GetString().Should().Be("gpt-4o-mini");
        var format = body.RootElement.GetProperty("response_format");
        format.GetProperty("type").GetString().Should().Be("json_schema");
        format.GetProperty("json_schema").GetProperty("schema").GetProperty("properties").GetProperty("choice").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()).Should().Equal("Y", "N");
        var prompt = body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString();
        prompt.Should().Contain("[Rubric]: Names the capital city.").And.Contain("[Submission]: Paris is the capital.")
            .And.Contain("[Reference answer]: Paris").And.Contain("Y: the submission meets the rubric");
    }

    [Theory]
    [InlineData("Y, it does.", "not a JSON object")]
    [InlineData("""{"reasoning": "fine", "choice": "Maybe"}""", "\"Maybe\", which is not one of Y, N")]
    [InlineData("""{"choice": "Y"}""", "no \"reasoning\"")]
    [InlineData("""{"reasoning": "fine"}""", "no \"choice\"")]
    [InlineData("""["Y"]""", "not an object")]
    [InlineData("", "empty")]
    public async Task AnUnparseableJudgeReplyIsAnErrorOnTheCaseNotAGuess(string reply, string problem)
    {
        // Arrange
        _server.Responder = _ => reply;
        using var factory = Factory();
        var scorer = factory.Create(Definition("llm-rubric", """{"rubric": "Names the capital city."}"""));

        // Act
        var result = await scorer.ScoreAsync(Input("Paris", "\"Paris\""));

        // Assert
        result.Score.Should().BeNull();
        result.Passed.Should().BeFalse();
        result.Error.Should().StartWith("unparseable judge reply").And.Contain(problem);
        result.Judge.Should().NotBeNull("the call was made and paid for");
    }

    [Fact]
    public async Task AcceptsAReplyInsideOneCodeFence()
    {
        _server.Responder = _ => "```json\n{\"reasoning\": \"Close enough.\", \"choice\": \"N\"}\n```";
        using var factory = Factory();
        var scorer = factory.Create(Definition("llm-rubric", """{"rubric": "r"}"""));

        var result = await scorer.ScoreAsync(Input("x", null));

        result.Score.Should().Be(0);
        result.Error.Should().BeNull();
    }

    [Fact]
    public async Task AJudgeThatKeepsFailingIsAnErrorOnTheCaseAfterTheRetries()
    {
        // Arrange: 500 on the first call and on its one retry.
        _server.EnqueueFaults(LoopbackFault.ServerError(), LoopbackFault.ServerError());
        using var factory = Factory();
        var scorer = factory.Create(Definition("llm-rubric", """{"rubric": "r"}""", judge: Judge() with { MaxRetries = 1 }));

        // Act
        var result = await scorer.ScoreAsync(Input("x", null));

        // Assert
        result.Score.Should().BeNull();
        result.Error.Should().StartWith("judge call failed");
        _server.RequestCount.Should().Be(2);
    }

    [Fact]
    public async Task ARetriedJudgeCallSucceeds()
    {
        _server.EnqueueFault(LoopbackFault.ServerError());
        _server.Responder = _ => """{"reasoning": "ok", "choice": "Y"}""";
        using var factory = Factory();
        var scorer = factory.Create(Definition("llm-rubric", """{"rubric": "r"}"""));

        var result = await scorer.ScoreAsync(Input("x", null));

        result.Score.Should().Be(1);
        _server.RequestCount.Should().Be(2);
    }

    [Fact]
    public async Task ASecondIdenticalVerdictComesFromTheCacheAtNoCost()
    {
        _server.Responder = _ => """{"reasoning": "ok", "choice": "Y"}""";
        using var factory = Factory();
        var scorer = factory.Create(Definition("llm-rubric", """{"rubric": "r"}"""));

        var first = await scorer.ScoreAsync(Input("x", null));
        var second = await scorer.ScoreAsync(Input("x", null));

        first.Judge!.CacheHit.Should().BeFalse();
        second.Judge!.CacheHit.Should().BeTrue();
        second.Judge.Cost.Should().Be(0);
        _server.RequestCount.Should().Be(1);
    }

    [Fact]
    public async Task EachTrialOfTheSameAnswerIsItsOwnJudgeCallSoAJudgeThatDisagreesWithItselfShows()
    {
        // A judge that flips its verdict from one call to the next: with the trial in the cache key, trial 2 reaches it.
        var calls = 0;
        _server.Responder = _ => Interlocked.Increment(ref calls) % 2 == 1
            ? """{"reasoning": "fine", "choice": "Y"}"""
            : """{"reasoning": "not fine", "choice": "N"}""";
        using var factory = Factory();
        var scorer = factory.Create(Definition("llm-rubric", """{"rubric": "r"}"""));

        var trial1 = await scorer.ScoreAsync(Input("same answer", null) with { Trial = 1 });
        var trial2 = await scorer.ScoreAsync(Input("same answer", null) with { Trial = 2 });
        var trial2Again = await scorer.ScoreAsync(Input("same answer", null) with { Trial = 2 });

        trial1.Passed.Should().BeTrue();
        trial2.Passed.Should().BeFalse("the second trial is a separate call, not the first one's cached verdict");
        trial2Again.Judge!.CacheHit.Should().BeTrue("a re-run of the same trial is still served from the cache");
        trial2Again.Passed.Should().BeFalse();
        _server.RequestCount.Should().Be(2);
        _server.Requests.Should().AllSatisfy(r => r.Body.Should().NotContain("evalloop.trial", "the trial is ours, not the provider's"));
    }

    [Theory]
    [InlineData("A", 0.4)]
    [InlineData("B", 0.6)]
    [InlineData("C", 1.0)]
    [InlineData("D", 0.0)]
    [InlineData("E", 1.0)]
    public async Task FactualityMapsTheAutoevalsChoicesToScores(string choice, double score)
    {
        _server.Responder = _ => $$"""{"reasoning": "compared", "choice": "{{choice}}"}""";
        using var factory = Factory();
        var scorer = factory.Create(Definition("factuality"));

        var result = await scorer.ScoreAsync(Input("Paris, on the Seine.", "\"Paris\""));

        result.Score.Should().Be(score);
        result.Passed.Should().Be(score >= 0.5);
        var prompt = JsonDocument.Parse(_server.Requests.Single().Body).RootElement.GetProperty("messages")[0].GetProperty("content").GetString();
        prompt.Should().Contain("[Expert]: Paris").And.Contain("[Submission]: Paris, on the Seine.").And.Contain("one of: A, B, C, D, E");
    }

    [Fact]
    public async Task FactualityWithoutAnExpectedAnswerIsAnErrorWithoutCallingTheJudge()
    {
        using var factory = Factory();
        var scorer = factory.Create(Definition("factuality"));

        var result = await scorer.ScoreAsync(Input("Paris", null));

        result.Error.Should().Contain("expected answer");
        _server.RequestCount.Should().Be(0);
    }

    [Fact]
    public async Task ClosedQaSendsTheCriterion()
    {
        _server.Responder = _ => """{"reasoning": "It is polite.", "choice": "Y"}""";
        using var factory = Factory();
        var scorer = factory.Create(Definition("closed-qa", """{"criteria": "The answer is polite."}"""));

        var result = await scorer.ScoreAsync(Input("Thank you!", null));

        result.Score.Should().Be(1);
        JsonDocument.Parse(_server.Requests.Single().Body).RootElement.GetProperty("messages")[0].GetProperty("content").GetString()
            .Should().Contain("[Criterion]: The answer is polite.");
    }

    [Fact]
    public async Task UsesCustomChoicesAndTheirDescriptions()
    {
        _server.Responder = _ => """{"reasoning": "Partly.", "choice": "partial"}""";
        using var factory = Factory();
        var scorer = factory.Create(Definition("llm-rubric", """
            {"rubric": "Lists all three steps.", "choices": {"full": 1, "partial": 0.5, "none": 0},
             "choice_descriptions": {"partial": "some steps are missing"}}
            """));

        var result = await scorer.ScoreAsync(Input("step 1", null));

        result.Score.Should().Be(0.5);
        JsonDocument.Parse(_server.Requests.Single().Body).RootElement.GetProperty("messages")[0].GetProperty("content").GetString()
            .Should().Contain("partial: some steps are missing").And.Contain("one of: full, partial, none");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(ModelProviders.Offline)]
    public void SaysClearlyWhenLoadedThatThereIsNoJudge(string? provider)
    {
        // Arrange: no judge mapping (an offline experiment gives no default), or a judge on the offline model.
        using var factory = Factory();
        var judge = provider is null ? null : new ModelSettings { Provider = provider, Name = "offline-knn-v1" };

        // Act
        var act = () => factory.Create(Definition("factuality", judge: judge, withJudge: provider is not null));

        // Assert
        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.FilePath.Should().Be(ScorerTestData.SourcePath);
        ex.Line.Should().Be(ScorerTestData.Line);
        ex.Message.Should().Contain("judge model").And.Contain("offline").And.Contain("judge: {");
        _server.RequestCount.Should().Be(0);
    }

    [Fact]
    public void AJudgeWithoutItsApiKeyIsALoadTimeErrorNamingTheScorer()
    {
        // Arrange: a hosted endpoint needs its key (a loopback one would not).
        using var factory = Factory(environment: _ => null);
        var judge = Judge() with { BaseUrl = "https://judge.example.com/v1" };

        // Act
        var act = () => factory.Create(Definition("llm-rubric", """{"rubric": "r"}""", judge));

        // Assert

        act.Should().ThrowExactly<WorkspaceFileException>().Which.Field.Should().Be("scorer 'checker' judge");
    }

    [Theory]
    [InlineData("llm-rubric", null, "options.rubric")]
    [InlineData("llm-rubric", """{"rubric": "r", "choices": {"A": 2}}""", "options.choices")]
    [InlineData("llm-rubric", """{"rubric": "r", "choices": []}""", "options.choices")]
    [InlineData("llm-rubric", """{"rubric": "r", "choice_descriptions": {"Z": "?"}}""", "options.choice_descriptions")]
    [InlineData("closed-qa", null, "options.criteria")]
    [InlineData("factuality", """{"rubric": "r"}""", "options.rubric")]
    public void RejectsBadOptionsWhenLoaded(string type, string? options, string field)
    {
        using var factory = Factory();

        var act = () => factory.Create(Definition(type, options));

        act.Should().ThrowExactly<WorkspaceFileException>().Which.Field.Should().Be($"scorer 'checker' {field}");
    }

    private BuiltInScorerFactory Factory(Func<string, string?>? environment = null) =>
        new(judges: new ModelProviderFactory(_cache, options: new ModelProviderFactoryOptions
        {
            GetEnvironmentVariable = environment ?? (name => name == KeyVariable ? "sk-test-judge" : null),
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        }));

    private ModelSettings Judge() => new()
    {
        Provider = ModelProviders.OpenAi,
        Name = "gpt-4o-mini",
        BaseUrl = _server.OpenAiBaseUrl,
        ApiKeyEnv = KeyVariable,
        Timeout = TimeSpan.FromSeconds(10),
        MaxRetries = 2,
        Price = new ModelPrice(0.15m, 0.60m),
    };

    private ScorerDefinition Definition(string type, string? options = null, ModelSettings? judge = null, bool withJudge = true) =>
        ScorerTestData.Definition(type, options) with { Judge = withJudge ? judge ?? Judge() : null };

    private static ScoringInput Input(string output, string? expectedJson) =>
        new(new DatasetCase("c1", JsonText.Parse("\"What is the capital of France?\""), JsonText.ParseOrNull(expectedJson), null, null), output);
}
