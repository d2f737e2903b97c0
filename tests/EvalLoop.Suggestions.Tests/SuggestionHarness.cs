using EvalLoop.Analysis;
using EvalLoop.Analysis.Embeddings;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Models;
using EvalLoop.Core.Running;
using EvalLoop.Core.Workspace;
using EvalLoop.Models;
using EvalLoop.Models.Offline;
using EvalLoop.Scoring;
using EvalLoop.Storage.Sqlite;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Strategies;
using Microsoft.Extensions.AI;

namespace EvalLoop.Suggestions.Tests;

/// <summary>
/// A workspace in a temp folder with a SQLite database, composed the way the CLI composes it: the real offline model
/// behind the provider factory, the built-in scorers, the analyzer, the suggester and the approver.
/// </summary>
internal sealed class SuggestionHarness : IDisposable
{
    private SuggestionHarness(string root, IReadOnlyList<ISuggestionStrategy>? strategies, SuggesterOptions? options)
    {
        Root = root;
        Layout = WorkspaceLayout.For(root, Path.Combine(root, ".evalloop", "evalloop.db"));
        Database = new SqliteDatabase(Layout.DatabasePath);
        Datasets = new SqliteDatasetStore(Database);
        Runs = new SqliteRunStore(Database);
        Suggestions = new SqliteSuggestionStore(Database);
        Clusters = new SqliteClusterStore(Database);
        Versions = new SqliteFileVersionStore(Database);
        ChatClients = new ModelProviderFactory(new SqliteResponseCache(Database));
        var embeddings = new CachingEmbeddingGenerator(new OfflineEmbeddingGenerator(), new SqliteEmbeddingCache(Database));
        Scorers = new BuiltInScorerFactory(new OfflineEmbeddingGenerator(), ChatClients, new BuiltInScorerFactoryOptions { WorkspaceRoot = root });
        Experiments = new ExperimentLoader(Layout, Scorers);
        Snapshots = new DatasetSnapshotter(Layout, Datasets);
        Runner = new ExperimentRunner(new CountingChatClientFactory(ChatClients, () => Interlocked.Increment(ref _modelCalls)), Scorers, Datasets, Runs, Runs);
        var analyzer = new FailureAnalyzer(Runs, Runs, Datasets, Clusters, embeddings);
        Suggester = new Suggester(Runner, Runs, Runs, Datasets, analyzer, Clusters, Suggestions, Scorers, ChatClients, embeddings, Layout, options, strategies);
        Approver = new SuggestionApprover(Suggestions, Versions, Experiments, Layout);
    }

    private int _modelCalls;

    public string Root { get; }

    /// <summary>Chat calls the runner has made so far (the runs of the experiment's model, cache hits included).</summary>
    public int ModelCalls => Volatile.Read(ref _modelCalls);

    public WorkspaceLayout Layout { get; }

    public SqliteDatabase Database { get; }

    public SqliteDatasetStore Datasets { get; }

    public SqliteRunStore Runs { get; }

    public SqliteSuggestionStore Suggestions { get; }

    public SqliteClusterStore Clusters { get; }

    public SqliteFileVersionStore Versions { get; }

    public ModelProviderFactory ChatClients { get; }

    public BuiltInScorerFactory Scorers { get; }

    public ExperimentLoader Experiments { get; }

    public DatasetSnapshotter Snapshots { get; }

    public ExperimentRunner Runner { get; }

    public Suggester Suggester { get; }

    public SuggestionApprover Approver { get; }

    /// <summary>A workspace with the shipped sample (datasets, scorers, experiments).</summary>
    public static SuggestionHarness Sample(IReadOnlyList<ISuggestionStrategy>? strategies = null, SuggesterOptions? options = null)
    {
        var root = NewRoot();
        foreach (var folder in new[] { "datasets", "scorers", "experiments" })
        {
            CopyDirectory(Path.Combine(RepositoryRoot, folder), Path.Combine(root, folder));
        }

        return new SuggestionHarness(root, strategies, options);
    }

    /// <summary>A workspace with the given files (relative path to content).</summary>
    public static SuggestionHarness With(IReadOnlyDictionary<string, string> files, IReadOnlyList<ISuggestionStrategy>? strategies = null, SuggesterOptions? options = null)
    {
        var root = NewRoot();
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            System.IO.File.WriteAllText(full, content);
        }

        return new SuggestionHarness(root, strategies, options);
    }

    public string File(string relative) => Path.Combine(Root, relative);

    /// <summary>Loads the experiment file, snapshots its dataset and runs it (optionally on another split).</summary>
    public async Task<RunOutcome> RunAsync(string experiment, string? split = null)
    {
        var definition = await Experiments.LoadAsync(Path.Combine(Layout.ExperimentsDirectory, experiment + ".yaml"));
        if (split is not null)
        {
            definition = definition with { Split = split };
        }

        var dataset = await Snapshots.SnapshotAsync(definition.Dataset);
        var outcome = await Runner.StartAsync(definition, dataset);
        outcome.Run.Status.Should().Be("completed", outcome.Run.Error);
        return outcome;
    }

    public void Dispose()
    {
        Scorers.Dispose();
        Database.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string NewRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "evalloop-suggest-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        return root;
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            System.IO.File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "EvalLoop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EvalLoop.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Counts every chat call made through the clients it creates, then hands the call on.</summary>
internal sealed class CountingChatClientFactory(IChatClientFactory inner, Action onCall) : IChatClientFactory
{
    public IChatClient Create(ModelSettings settings, ChatClientCreationOptions options) => new Counting(inner.Create(settings, options), onCall);

    private sealed class Counting(IChatClient client, Action onCall) : DelegatingChatClient(client)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            onCall();
            return base.GetResponseAsync(messages, options, cancellationToken);
        }

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            onCall();
            return base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }
    }
}
