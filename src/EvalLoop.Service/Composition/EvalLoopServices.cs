using EvalLoop.Analysis;
using EvalLoop.Analysis.Embeddings;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Running;
using EvalLoop.Core.Workspace;
using EvalLoop.Models;
using EvalLoop.Reporting;
using EvalLoop.Scoring;
using EvalLoop.Storage.Sqlite;
using EvalLoop.Suggestions;
using EvalLoop.Suggestions.Applying;
using Microsoft.Extensions.Logging;

namespace EvalLoop.Service.Composition;

/// <summary>
/// The composition root shared by both hosts (the CLI and the service): the one place that wires adapters (SQLite
/// storage, model providers, scorers) into the Core services a command or a job uses.
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
        ChatClients = new ModelProviderFactory(new SqliteResponseCache(Database), TimeProvider.System, loggerFactory);
        // Judges are built by the same factory as task models (same wrappers); embedding-similarity uses the offline
        // generator unless its options name an OpenAI-compatible embedding model.
        Scorers = new BuiltInScorerFactory(
            new Models.Offline.OfflineEmbeddingGenerator(),
            ChatClients,
            new BuiltInScorerFactoryOptions
            {
                WorkspaceRoot = layout.Root,
                EmbeddingModels = settings => Models.Http.OpenAiEmbeddingProvider.Create(settings),
            });
        Experiments = new ExperimentLoader(layout, Scorers);
        Snapshots = new DatasetSnapshotter(layout, Datasets);
        Runner = new ExperimentRunner(ChatClients, Scorers, Datasets, Runs, Runs, TimeProvider.System, loggerFactory.CreateLogger<ExperimentRunner>(), new FileRunLock(layout.LocksDirectory));
        // Failure analysis embeds with the offline generator (cached in SQLite); the run's own model only names clusters.
        ClusterStore = new SqliteClusterStore(Database);
        Embeddings = new CachingEmbeddingGenerator(new Models.Offline.OfflineEmbeddingGenerator(), new SqliteEmbeddingCache(Database));
        Analyzer = new FailureAnalyzer(Runs, Runs, Datasets, ClusterStore, Embeddings, new FailureAnalyzerOptions(), namer: null, TimeProvider.System, loggerFactory.CreateLogger<FailureAnalyzer>());
        Goals = new GoalLoader(layout);
        Regressions = new SqliteRegressionStore(Database);
        Reports = new HtmlReportGenerator(new ReportSources(Runs, Runs, Datasets, ClusterStore, new SqliteSuggestionStore(Database), Goals, Regressions), new ReportOptions(), TimeProvider.System);
        // Suggestions: verified by real runs of the experiment's own model; approvals write files as new versions.
        Suggestions = new SqliteSuggestionStore(Database);
        FileVersions = new SqliteFileVersionStore(Database);
        Suggester = new Suggester(Runner, Runs, Runs, Datasets, Analyzer, ClusterStore, Suggestions, Scorers, ChatClients, Embeddings, layout, new SuggesterOptions(), strategies: null, TimeProvider.System, loggerFactory.CreateLogger<Suggester>());
        Approver = new SuggestionApprover(Suggestions, FileVersions, Experiments, layout, TimeProvider.System);
        JobHistory = new SqliteJobHistoryStore(Database);
    }

    /// <summary>The service's job executions per experiment (succeeded, failed, skipped, cancelled).</summary>
    public SqliteJobHistoryStore JobHistory { get; }

    /// <summary>Runs flagged as regressions against their baseline, per scorer.</summary>
    public SqliteRegressionStore Regressions { get; }

    public SqliteClusterStore ClusterStore { get; }

    /// <summary>The goal files in <c>experiments/goals/</c>.</summary>
    public GoalLoader Goals { get; }

    /// <summary>Measures a goal over the stored runs and checks its references (what every host shows for a goal).</summary>
    public GoalMeasurement GoalMeasurement => new(Experiments, new GoalTracker(Runs, Runs, Datasets, Regressions));

    public SqliteSuggestionStore Suggestions { get; }

    /// <summary>The version history of the experiment, dataset and scorer files approvals change.</summary>
    public SqliteFileVersionStore FileVersions { get; }

    /// <summary>Proposes and verifies suggestions for a run (offline strategies; the LLM strategy with a real model).</summary>
    public Suggester Suggester { get; }

    /// <summary>Applies approved suggestions as new file versions; records rejections.</summary>
    public SuggestionApprover Approver { get; }

    /// <summary>HTML run reports and diff reports (written to <see cref="WorkspaceLayout.ReportsDirectory"/> by default).</summary>
    public HtmlReportGenerator Reports { get; }

    public CachingEmbeddingGenerator Embeddings { get; }

    /// <summary>Clusters a run's failures with heuristic names; <see cref="FailureAnalyzer.WithNamer"/> adds a model-written name.</summary>
    public FailureAnalyzer Analyzer { get; }

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

    /// <summary>Opens the workspace at <paramref name="root"/> (its database at <paramref name="database"/>, else the default).</summary>
    /// <exception cref="DirectoryNotFoundException">The workspace folder does not exist.</exception>
    public static EvalLoopServices Open(string root, string? database = null)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"workspace folder not found: {root}");
        }

        var level = Environment.GetEnvironmentVariable("EVALLOOP_LOG_LEVEL") is { } name && Enum.TryParse<LogLevel>(name, true, out var parsed)
            ? parsed
            : LogLevel.Warning;
        var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddSimpleConsole(options => options.SingleLine = true)
            .AddFilter("System.Net.Http", LogLevel.Warning));
        return new EvalLoopServices(WorkspaceLayout.For(root, database), loggerFactory);
    }

    public void Dispose()
    {
        Scorers.Dispose();
        Embeddings.Dispose();
        Database.Dispose();
        LoggerFactory.Dispose();
    }
}
