using EvalLoop.Core.Models;
using EvalLoop.TestUtilities;
using EvalLoop.TestUtilities.Fakes;
using Microsoft.Extensions.AI;

namespace EvalLoop.Models.Tests;

/// <summary>
/// Starts a <see cref="LoopbackOpenAiServer"/> per test and builds clients through the real
/// <see cref="ModelProviderFactory"/>, with retry delays shortened so tests stay fast.
/// </summary>
public abstract class LoopbackTestBase : IAsyncLifetime
{
    protected const string KeyVariable = "EVALLOOP_TEST_API_KEY";
    protected const string SecretKey = "sk-test-3f9c2a7b1e5d4c8a9b0f";

    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal) { [KeyVariable] = SecretKey };

    protected LoopbackOpenAiServer Server { get; private set; } = null!;

    protected InMemoryResponseCache Cache { get; } = new();

    public async Task InitializeAsync() => Server = await LoopbackOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected void SetEnvironment(string name, string? value) => _environment[name] = value;

    /// <summary>The real clock, recording the due time of every timer the clients create (retry waits, timeouts).</summary>
    protected RecordingTimeProvider Clock { get; } = new();

    protected ModelProviderFactory CreateFactory(TimeSpan? retryBaseDelay = null) =>
        new(Cache, Clock, options: new ModelProviderFactoryOptions
        {
            GetEnvironmentVariable = name => _environment.GetValueOrDefault(name),
            RetryBaseDelay = retryBaseDelay ?? TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryAfter = TimeSpan.FromSeconds(5),
        });

    protected ModelSettings OpenAiSettings(string model = "gpt-4o-mini") => new()
    {
        Provider = ModelProviders.OpenAi,
        Name = model,
        BaseUrl = Server.OpenAiBaseUrl,
        ApiKeyEnv = KeyVariable,
        Timeout = TimeSpan.FromSeconds(5),
        MaxRetries = 2,
    };

    protected ModelSettings AzureSettings(string deployment = "my-gpt-4o-mini") => new()
    {
        Provider = ModelProviders.AzureOpenAi,
        Name = deployment,
        BaseUrl = Server.AzureBaseUrl,
        ApiKeyEnv = KeyVariable,
        Timeout = TimeSpan.FromSeconds(5),
        MaxRetries = 2,
    };

    protected IChatClient CreateClient(ModelSettings settings, bool useCache = false) =>
        CreateFactory().Create(settings, new ChatClientCreationOptions { UseCache = useCache });

    /// <summary>
    /// Makes one successful call and forgets it, so JIT and connection set-up of the first call don't eat into a short
    /// per-attempt timeout of the call under test.
    /// </summary>
    protected async Task WarmUpAsync(IChatClient client)
    {
        await client.GetResponseAsync(Prompt("warm-up " + Guid.NewGuid().ToString("N")));
        Server.Reset();
    }

    protected static List<ChatMessage> Prompt(string text) => [new(ChatRole.User, text)];
}
