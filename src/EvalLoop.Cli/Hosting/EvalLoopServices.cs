using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Workspace;
using EvalLoop.Models;
using EvalLoop.Scoring;
using EvalLoop.Storage.Sqlite;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Cli.Hosting;

/// <summary>
/// The composition root of the CLI: the one place that wires adapters (SQLite storage, model providers, scorers)
/// into the Core services a command uses.
/// </summary>
public sealed class EvalLoopServices : IDisposable
{
    private EvalLoopServices(WorkspaceLayout layout, ILoggerFactory loggerFactory)
    {
        Layout = layout;
        LoggerFactory = loggerFactory;
        Database = new SqliteDatabase(layout.DatabasePath);
        Datasets = new SqliteDatasetStore(Database);
        Runs = new SqliteRunStore(Database);
        Scorers = new BuiltInScorerFactory();
        ChatClients = new ModelProviderFactory(new SqliteResponseCache(Database), TimeProvider.System, loggerFactory);
        Experiments = new ExperimentLoader(layout, Scorers);
        Snapshots = new DatasetSnapshotter(layout, Datasets);
        Runner = new ExperimentRunner(ChatClients, Scorers, Datasets, Runs, Runs, TimeProvider.System, loggerFactory.CreateLogger<ExperimentRunner>());
    }

    public WorkspaceLayout Layout { get; }

    public ILoggerFactory LoggerFactory { get; }

    public SqliteDatabase Database { get; }

    public SqliteDatasetStore Datasets { get; }

    public SqliteRunStore Runs { get; }

    public BuiltInScorerFactory Scorers { get; }

    public ModelProviderFactory ChatClients { get; }

    public ExperimentLoader Experiments { get; }

    public DatasetSnapshotter Snapshots { get; }

    public ExperimentRunner Runner { get; }

    public static EvalLoopServices Create(WorkspaceSettings settings, string? defaultWorkspace = null)
    {
        var root = settings.Workspace ?? defaultWorkspace ?? Directory.GetCurrentDirectory();
        if (!Directory.Exists(root))
        {
            throw new UsageException($"workspace folder not found: {root}");
        }

        var level = Environment.GetEnvironmentVariable("EVALLOOP_LOG_LEVEL") is { } name && Enum.TryParse<LogLevel>(name, true, out var parsed)
            ? parsed
            : LogLevel.Warning;
        var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddSimpleConsole(options => options.SingleLine = true)
            .AddFilter("System.Net.Http", LogLevel.Warning));
        return new EvalLoopServices(WorkspaceLayout.For(root, settings.Database), loggerFactory);
    }

    public void Dispose()
    {
        Database.Dispose();
        LoggerFactory.Dispose();
    }
}
