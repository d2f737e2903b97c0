using System.Globalization;
using EvalLoop.Core.Caching;
using EvalLoop.Core.Models;
using EvalLoop.Models.Http;
using EvalLoop.Models.Offline;
using EvalLoop.Models.Pricing;
using EvalLoop.Models.Wrappers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalLoop.Models;

/// <summary>
/// Builds the <see cref="IChatClient"/> an experiment calls: the provider named by <see cref="ModelSettings.Provider"/>
/// (<c>offline</c>, <c>openai</c>, <c>azure-openai</c>) wrapped, outermost first, in
/// <see cref="UsageCostChatClient"/> → <see cref="ResponseCachingChatClient"/> (unless <see cref="ChatClientCreationOptions.UseCache"/>
/// is off) → <see cref="RateLimitingChatClient"/> (when a limit is set) → <see cref="ResilientChatClient"/> → the
/// settings' <see cref="ChatOptions"/> defaults → the provider.
/// </summary>
/// <remarks>
/// Settings are validated before anything is created; any problem (unknown provider, bad URL, missing key, out-of-range
/// number) is a <see cref="ModelConfigurationException"/> that names the field. The returned client owns its wrappers
/// (dispose it when the run ends) but not the shared HttpClient. The factory is thread-safe.
/// </remarks>
public sealed partial class ModelProviderFactory : IChatClientFactory
{
    private static readonly Lazy<HttpClient> SharedHttpClient = new(OpenAiPipeline.CreateDefaultHttpClient);

    private readonly IResponseCache _cache;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ModelProviderFactoryOptions _options;
    private readonly ILogger _logger;

    /// <param name="responseCache">Where responses are cached.</param>
    /// <param name="timeProvider">Clock for retries, timeouts and rate limits; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Logging; defaults to none.</param>
    /// <param name="options">Transport, environment and retry pacing; defaults to <see cref="ModelProviderFactoryOptions"/>'s defaults.</param>
    public ModelProviderFactory(
        IResponseCache responseCache,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        ModelProviderFactoryOptions? options = null)
    {
        _cache = responseCache ?? throw new ArgumentNullException(nameof(responseCache));
        _timeProvider = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _options = options ?? new ModelProviderFactoryOptions();
        ModelProviderFactoryOptionsValidator.ThrowIfInvalid(_options);
        _logger = _loggerFactory.CreateLogger<ModelProviderFactory>();
    }

    public IChatClient Create(ModelSettings settings, ChatClientCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        var provider = Validate(settings);

        var (providerClient, endpoint) = CreateProvider(provider, settings);
        var defaults = ChatOptionsDefaults.From(settings);
        var price = ResolvePrice(provider, settings);

        var builder = providerClient.AsBuilder();
        builder.Use(inner => new UsageCostChatClient(inner, price));
        if (options.UseCache)
        {
            var scope = new ResponseCacheScope(provider, settings.Name, endpoint?.ToString());
            builder.Use(inner => new ResponseCachingChatClient(inner, _cache, scope, defaults, _loggerFactory.CreateLogger<ResponseCachingChatClient>()));
        }

        if (settings.RequestsPerMinute is not null || settings.TokensPerMinute is not null)
        {
            builder.Use(inner => new RateLimitingChatClient(
                inner,
                new RateLimitingChatClientOptions
                {
                    RequestsPerMinute = settings.RequestsPerMinute,
                    TokensPerMinute = settings.TokensPerMinute,
                    DefaultMaxOutputTokens = settings.MaxTokens,
                    TimeProvider = _timeProvider,
                },
                _loggerFactory.CreateLogger<RateLimitingChatClient>()));
        }

        builder.Use(inner => new ResilientChatClient(
            inner,
            new ResilientChatClientOptions
            {
                ModelName = settings.Name,
                MaxRetries = settings.MaxRetries,
                AttemptTimeout = settings.Timeout,
                BaseDelay = _options.RetryBaseDelay,
                MaxDelay = _options.MaxRetryDelay,
                MaxRetryAfter = _options.MaxRetryAfter,
                TimeProvider = _timeProvider,
            },
            _loggerFactory.CreateLogger<ResilientChatClient>()));
        builder.ConfigureOptions(o =>
        {
            defaults.ApplyTo(o);
            ChatOptionsDefaults.RemoveEvalLoopOptions(o);
        });

        return builder.Build();
    }

    /// <summary>Checks <paramref name="settings"/> and returns the canonical provider name.</summary>
    /// <exception cref="ModelConfigurationException">The settings cannot work.</exception>
    public static string Validate(ModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var provider = ModelProviders.All.FirstOrDefault(p => string.Equals(p, settings.Provider?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ModelConfigurationException(
                $"Unknown model provider '{settings.Provider}'. Valid providers: {string.Join(", ", ModelProviders.All)}.");

        var name = string.IsNullOrWhiteSpace(settings.Name) ? "(unnamed)" : settings.Name;
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(settings.Name))
        {
            problems.Add("name is required" + (provider == ModelProviders.AzureOpenAi ? " (the deployment name)" : string.Empty));
        }

        if (settings.Temperature is { } t && (double.IsNaN(t) || t < 0 || t > 2))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"temperature must be between 0 and 2 (got {t})"));
        }

        if (settings.MaxTokens is <= 0)
        {
            problems.Add($"max_tokens must be positive (got {settings.MaxTokens})");
        }

        if (settings.Timeout != Timeout.InfiniteTimeSpan
            && (settings.Timeout < TimeSpan.FromMilliseconds(10) || settings.Timeout > TimeSpan.FromDays(1)))
        {
            problems.Add($"timeout must be between 10 ms and 1 day (got {settings.Timeout})");
        }

        if (settings.MaxRetries is < 0 or > 100)
        {
            problems.Add($"max_retries must be between 0 and 100 (got {settings.MaxRetries})");
        }

        if (settings.RequestsPerMinute is <= 0)
        {
            problems.Add($"requests_per_minute must be positive (got {settings.RequestsPerMinute})");
        }

        if (settings.TokensPerMinute is <= 0)
        {
            problems.Add($"tokens_per_minute must be positive (got {settings.TokensPerMinute})");
        }

        if (settings.Price is { } price && (price.InputPerMillion < 0 || price.OutputPerMillion < 0))
        {
            problems.Add("price must not be negative");
        }

        if (problems.Count > 0)
        {
            throw new ModelConfigurationException($"Model '{name}' (provider '{provider}'): {string.Join("; ", problems)}.");
        }

        // URL problems (and the azure base_url requirement) are reported by the providers with the same exception type.
        _ = provider switch
        {
            ModelProviders.OpenAi => OpenAiCompatibleProvider.ResolveEndpoint(settings),
            ModelProviders.AzureOpenAi => AzureOpenAiProvider.ResolveEndpoint(settings),
            _ => null,
        };
        return provider;
    }

    private (IChatClient Client, Uri? Endpoint) CreateProvider(string provider, ModelSettings settings)
    {
        var httpClient = _options.HttpClient ?? SharedHttpClient.Value;
        return provider switch
        {
            ModelProviders.Offline => (new OfflineChatClient(), null),
            ModelProviders.OpenAi => (
                OpenAiCompatibleProvider.CreateChatClient(settings, httpClient, _options.GetEnvironmentVariable),
                OpenAiCompatibleProvider.ResolveEndpoint(settings)),
            ModelProviders.AzureOpenAi => (
                AzureOpenAiProvider.CreateChatClient(settings, httpClient, _options.GetEnvironmentVariable),
                AzureOpenAiProvider.ResolveEndpoint(settings)),
            _ => throw new ModelConfigurationException($"Unknown model provider '{provider}'. Valid providers: {string.Join(", ", ModelProviders.All)}."),
        };
    }

    private ModelPrice ResolvePrice(string provider, ModelSettings settings)
    {
        if (settings.Price is { } price)
        {
            return price;
        }

        if (provider == ModelProviders.Offline)
        {
            return PriceTable.Free;
        }

        if (PriceTable.TryFind(settings.Name, out var known))
        {
            return known;
        }

        LogNoPrice(_logger, settings.Name);
        return PriceTable.Free;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No price known for model {Model}; its cost is recorded as 0. Set price in the experiment's model settings to track it.")]
    private static partial void LogNoPrice(ILogger logger, string model);
}
