using System.Text.Json;
using EvalLoop.Service.Api;
using EvalLoop.Service.Composition;
using EvalLoop.Service.Regressions;
using EvalLoop.Service.Scheduling;
using EvalLoop.Service.Security;
using EvalLoop.Service.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace EvalLoop.Service;

/// <summary>
/// Builds the <c>evalloop serve</c> host: the Quartz scheduler with its job store in the workspace database, the HTTP
/// API and the web UI, over the composition root both hosts share (<see cref="EvalLoopServices"/>).
/// </summary>
public static class EvalLoopServiceHost
{
    /// <summary>Builds the host; start it with <c>RunAsync</c> (or <c>StartAsync</c> in tests).</summary>
    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem).</exception>
    public static WebApplication Build(EvalLoopServiceOptions options, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = EvalLoopServiceOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetFullPath(options.Workspace) });
        builder.WebHost.UseSetting(Microsoft.AspNetCore.Hosting.WebHostDefaults.ServerUrlsKey, options.Urls);
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information).AddFilter("EvalLoop", LogLevel.Information)
            // Says which Host a request was refused for: behind a proxy that passes its own name on, --public-url allows it.
            .AddFilter("Microsoft.AspNetCore.HostFiltering", LogLevel.Information);
        logging?.Invoke(builder.Logging);

        var services = EvalLoopServices.Open(Path.GetFullPath(options.Workspace), options.Database);
        builder.Services.AddSingleton(services);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new TokenAuthentication(options.Token, options.PublicUrl));
        // Against DNS rebinding: the web host puts host filtering first in the pipeline (allowing any host unless told);
        // only the service's own names (see AllowedHosts) get past it, others get 400. Set here, AllowedHosts from
        // configuration cannot widen it.
        builder.Services.Configure<HostFilteringOptions>(o =>
        {
            o.AllowedHosts = [.. AllowedHosts.For(options)];
            o.AllowEmptyHosts = false;
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ExperimentRunGate>();
        builder.Services.AddSingleton<RegressionDetector>();
        builder.Services.AddSingleton<RegressionWebhook>();
        builder.Services.AddSingleton<ExperimentPipeline>();
        builder.Services.AddSingleton<ExperimentJobExecutor>();
        builder.Services.AddSingleton<ExperimentSchedules>();
        builder.Services.AddSingleton<SuggestionDecisions>();
        builder.Services.AddAntiforgery(o => o.Cookie.Name = "evalloop_antiforgery");
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddOpenApi();

        // The regression webhook: retries with backoff and per-attempt and total timeouts. A POST is retried too, so a
        // receiver may see a message twice (at-least-once). No request logging: webhook URLs often carry a secret.
        builder.Services.AddHttpClient(RegressionWebhook.ClientName)
            .RemoveAllLoggers()
            // A redirect would carry the message (and the URL's secret) somewhere the user did not name.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = 2;
                o.Retry.Delay = TimeSpan.FromMilliseconds(500);
            });
        builder.Services.AddRouting(o => o.SetParameterPolicy<Microsoft.AspNetCore.Routing.Constraints.RegexInlineRouteConstraint>("regex"));

        builder.Services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(4);
            // Without this Quartz waits for running jobs at shutdown without cancelling their token, so a stop would hang
            // until the run ended (or the host's shutdown timeout) instead of leaving it interrupted for a resume.
            q.ConfigureScheduler(o => o.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs);
            q.UsePersistentStore(store =>
            {
                // The job store lives in the workspace database next to the runs: schedules and pending triggers survive a restart.
                store.UseSqlite($"Data Source={services.Layout.DatabasePath};Pooling=True;Default Timeout=30");
                store.ProvisionSchema();
                store.UseSystemTextJsonSerializer();
            });
        });
        builder.Services.AddSingleton<ScheduleSyncService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ScheduleSyncService>());
        if (options.Scheduler)
        {
            // Stopping the host cancels running jobs (their runs are kept as interrupted and can be resumed) and waits for them to stop.
            builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        }

        builder.Services.AddSingleton<InterruptedRunResumer>();
        if (options.ResumeInterrupted && options.Scheduler)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<InterruptedRunResumer>());
        }

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(services.Dispose);
        var auth = app.Services.GetRequiredService<TokenAuthentication>();
        app.Use((context, next) => auth.InvokeAsync(context, _ => next()));
        app.MapOpenApi();
        app.MapEvalLoopApi();
        app.MapEvalLoopUi();
        return app;
    }
}
