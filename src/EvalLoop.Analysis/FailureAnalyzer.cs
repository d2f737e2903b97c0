using System.Globalization;
using System.Text.Json.Nodes;
using EvalLoop.Analysis.Clustering;
using EvalLoop.Analysis.Describing;
using EvalLoop.Analysis.Embeddings;
using EvalLoop.Analysis.Signals;
using EvalLoop.Core.Analysis;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Runs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalLoop.Analysis;

/// <summary>
/// Turns a run's failing results into named failure patterns and stores them with the run.
/// </summary>
/// <remarks>
/// <para>
/// Each failing result (any scorer below its threshold, or an error) gets structured signals: its kind (error, empty
/// output, a label outside the allowed set, a confusion between two valid labels, or another scorer failure), its
/// (expected, output) pair and the scorers it failed. The allowed labels come from the run itself: the labels its
/// prompt lists and its dataset's expected values when they look like labels (<see cref="LabelSet"/>).
/// </para>
/// <para>
/// The kind partitions the failures first, because it says more about why a case failed than any wording: errors of
/// the same error kind form their own cluster, and the failures of each other kind are clustered apart by
/// <see cref="MlNetFailureClusterer"/>. There each failure is a feature vector: the embeddings of its input, expected
/// value and output (through the injected <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, normally a
/// <see cref="Embeddings.CachingEmbeddingGenerator"/>) and its scorer flags, so failures sharing a confusion pair, an
/// invalid answer or a topic group together. Each cluster is then described (<see cref="ClusterDescriber"/>):
/// size and share, kind, confusion pairs, scorer failures, class-based TF-IDF terms of its inputs, the members nearest
/// its centre, and a heuristic name and description, which an optional <see cref="IClusterNamer"/> may rewrite.
/// </para>
/// </remarks>
public sealed partial class FailureAnalyzer : IFailureAnalyzer
{
    /// <summary>Stored with every analysis; changes whenever the same run would get different clusters.</summary>
    public const string AnalyzerVersion = "evalloop-failure-analyzer/1 (" + MlNetFailureClusterer.Version + ")";

    private readonly IRunStore _runs;
    private readonly IRunResultStore _results;
    private readonly IDatasetStore _datasets;
    private readonly IClusterStore _clusters;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embeddings;
    private readonly FailureAnalyzerOptions _options;
    private readonly IClusterNamer? _namer;
    private readonly TimeProvider _time;
    private readonly ILogger<FailureAnalyzer>? _logger;

    public FailureAnalyzer(
        IRunStore runs,
        IRunResultStore results,
        IDatasetStore datasets,
        IClusterStore clusters,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        FailureAnalyzerOptions? options = null,
        IClusterNamer? namer = null,
        TimeProvider? timeProvider = null,
        ILogger<FailureAnalyzer>? logger = null)
    {
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
        _results = results ?? throw new ArgumentNullException(nameof(results));
        _datasets = datasets ?? throw new ArgumentNullException(nameof(datasets));
        _clusters = clusters ?? throw new ArgumentNullException(nameof(clusters));
        _embeddings = embeddings ?? throw new ArgumentNullException(nameof(embeddings));
        _options = options ?? new FailureAnalyzerOptions();
        FailureAnalyzerOptionsValidator.ThrowIfInvalid(_options);
        _namer = namer;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger;
    }

    private ILogger Logger => (ILogger?)_logger ?? NullLogger.Instance;

    /// <summary>The same analyzer with <paramref name="namer"/> writing the names (or none, for the heuristic names).</summary>
    public FailureAnalyzer WithNamer(IClusterNamer? namer) =>
        new(_runs, _results, _datasets, _clusters, _embeddings, _options, namer, _time, _logger);

    public async Task<ClusterAnalysis> AnalyzeAsync(string runId, IProgress<AnalysisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        progress?.Report(new AnalysisProgress("loading"));
        var run = await _runs.GetRunAsync(runId, cancellationToken) ?? throw new RunNotFoundException(runId);
        var experiment = ExperimentSnapshot.Of(run);
        var (failures, labels) = await LoadFailuresAsync(run, experiment, cancellationToken);

        var parameters = Parameters(labels, failures);
        var clusters = failures.Count == 0
            ? []
            : await ClusterAsync(run.Id, failures, experiment, parameters, progress, cancellationToken);

        var analysis = new ClusterAnalysis(run.Id, AnalyzerVersion, parameters.ToJsonString(), _time.GetUtcNow(), failures.Count, clusters);
        progress?.Report(new AnalysisProgress("saving"));
        await _clusters.SaveAsync(analysis, cancellationToken);
        LogAnalyzed(Logger, run.Id, failures.Count, clusters.Count);
        return analysis;
    }

    private async Task<(List<FailureCase> Failures, LabelSet Labels)> LoadFailuresAsync(RunRecord run, ExperimentDefinition experiment, CancellationToken cancellationToken)
    {
        var failing = new List<CaseResult>();
        await foreach (var result in _results.ReadAsync(run.Id, cancellationToken))
        {
            if (!result.Passed)
            {
                failing.Add(result);
            }
        }

        if (failing.Count == 0)
        {
            return ([], LabelSet.None);
        }

        var needed = failing.Select(r => r.CaseId).ToHashSet(StringComparer.Ordinal);
        var cases = new Dictionary<string, (string Input, string? Expected)>(StringComparer.Ordinal);
        var expectedValues = new List<string?>();
        await foreach (var @case in _datasets.ReadCasesAsync(run.DatasetVersion, run.Split, cancellationToken))
        {
            var expected = @case.ExpectedText;
            expectedValues.Add(expected);
            if (needed.Contains(@case.Id))
            {
                cases.TryAdd(@case.Id, (@case.InputText, expected));
            }
        }

        var labels = LabelSet.Derive(experiment.Prompt, expectedValues);
        var failures = failing
            .Select(r => cases.TryGetValue(r.CaseId, out var c)
                ? FailureCase.From(r, c.Input, c.Expected, labels)
                : FailureCase.From(r, string.Empty, null, labels))
            .OrderBy(f => f.Ordinal).ThenBy(f => f.Trial).ThenBy(f => f.CaseId, StringComparer.Ordinal)
            .ToList();
        return (failures, labels);
    }

    private async Task<List<FailureCluster>> ClusterAsync(
        string runId,
        List<FailureCase> failures,
        ExperimentDefinition experiment,
        JsonObject parameters,
        IProgress<AnalysisProgress>? progress,
        CancellationToken cancellationToken)
    {
        var scorers = experiment.Scorers.Select(s => s.Name)
            .Concat(failures.SelectMany(f => f.Scores.Select(s => s.Scorer)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var errors = failures.Where(f => f.Kind == FailureKinds.Error).ToList();
        var pool = failures.Where(f => f.Kind != FailureKinds.Error).ToList();

        var vectors = await EmbedAsync(failures, pool, progress, cancellationToken);
        parameters["dimensions"] = vectors.Dimensions;

        progress?.Report(new AnalysisProgress("clustering"));
        var groups = new List<(List<FailureCase> Members, List<float[]> Points)>();
        // The structured kind partitions first (it says more about why a case failed than any wording); KMeans then
        // finds the patterns within each kind, from the texts and the scorer flags.
        var clusterer = new MlNetFailureClusterer(_options);
        var features = new FailureFeatures(_options, scorers, vectors.Dimensions);
        var kinds = new JsonObject();
        foreach (var kind in FailureKinds.OutputKinds)
        {
            var members = pool.Where(f => f.Kind == kind).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            // The cluster budget is shared in proportion to size, so a run shows a readable number of patterns in all.
            var budget = Math.Max(1, (int)Math.Round(_options.MaxClusters * members.Count / (double)pool.Count, MidpointRounding.AwayFromZero));
            var points = members.Select(f => features.Build(f, vectors)).ToList();
            var clustering = await Task.Run(() => clusterer.Cluster(points, budget, cancellationToken), cancellationToken);
            var (min, max) = clusterer.KRange(members.Count, budget);
            kinds[kind] = new JsonObject
            {
                ["failures"] = members.Count,
                ["k_range"] = new JsonArray(min, max),
                ["k"] = clustering.K,
                ["silhouettes"] = new JsonObject(clustering.Silhouettes.OrderBy(kv => kv.Key)
                    .Select(kv => KeyValuePair.Create(kv.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)Math.Round(kv.Value, 4)))),
                ["selection_sample"] = clustering.SelectionSampleSize,
                ["training_sample"] = clustering.TrainingSampleSize,
            };
            var byCluster = Enumerable.Range(0, clustering.K).Select(_ => new List<int>()).ToList();
            for (var i = 0; i < members.Count; i++)
            {
                byCluster[clustering.Assignments[i]].Add(i);
            }

            groups.AddRange(MergeBySignal(kind, byCluster, members, points));
        }

        if (kinds.Count > 0)
        {
            parameters["clustering"] = kinds;
        }

        foreach (var group in errors.GroupBy(e => e.ErrorKind!, StringComparer.Ordinal))
        {
            var members = group.ToList();
            groups.Add((members, members.Select(m => vectors.Get(m.Input) ?? new float[vectors.Dimensions]).ToList()));
        }

        var terms = ClassTfIdf.TopTerms(groups.Select(g => (IReadOnlyList<string>)g.Members.Select(m => m.Input).ToList()).ToList(), _options.TopTerms);
        var drafts = groups
            .Select((g, i) => (g.Members, Representatives: Representatives(g.Members, g.Points), Terms: terms[i]))
            .OrderByDescending(d => d.Members.Count)
            .ThenBy(d => d.Members[0].Ordinal)
            .ThenBy(d => d.Members[0].Trial)
            .ToList();
        var clusters = drafts
            .Select((d, index) => ClusterDescriber.Describe($"{runId}-c{index}", index, failures.Count, d.Members, d.Representatives, d.Terms, scorers))
            .ToList();
        clusters = UniqueNames(clusters);

        if (_namer is not null)
        {
            for (var i = 0; i < clusters.Count; i++)
            {
                progress?.Report(new AnalysisProgress("naming", i, clusters.Count));
                if (await _namer.NameAsync(clusters[i], drafts[i].Representatives, cancellationToken) is { } name)
                {
                    clusters[i] = clusters[i] with { Name = name.Name, Description = name.Description, NamedBy = "llm" };
                }
            }

            parameters["namer"] = _namer.GetType().Name;
            clusters = UniqueNames(clusters);
        }

        return clusters;
    }

    /// <summary>Embeds every distinct text once: inputs of all failures, expected values and outputs of the clustered ones.</summary>
    private async Task<EmbeddedTexts> EmbedAsync(List<FailureCase> failures, List<FailureCase> pool, IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
    {
        var embedded = new EmbeddedTexts(_options.MaxEmbeddedCharacters);
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var failure in failures)
        {
            Add(failure.Input);
        }

        foreach (var failure in pool)
        {
            Add(failure.Expected);
            Add(failure.Output);
        }

        var ordered = texts.ToList();
        const int Chunk = 1_024;
        for (var start = 0; start < ordered.Count; start += Chunk)
        {
            progress?.Report(new AnalysisProgress("embedding", start, ordered.Count));
            var batch = ordered.GetRange(start, Math.Min(Chunk, ordered.Count - start));
            var generated = await _embeddings.GenerateAsync(batch, cancellationToken: cancellationToken);
            if (generated.Count != batch.Count)
            {
                throw new InvalidOperationException($"The embedding generator returned {generated.Count} embeddings for {batch.Count} texts.");
            }

            for (var i = 0; i < batch.Count; i++)
            {
                embedded.Add(batch[i], generated[i].Vector.ToArray());
            }
        }

        progress?.Report(new AnalysisProgress("embedding", ordered.Count, ordered.Count));
        return embedded;

        void Add(string? text)
        {
            if (embedded.Prepare(text) is { } prepared)
            {
                texts.Add(prepared);
            }
        }
    }

    /// <summary>
    /// Merges the clusters of one kind that share their naming signal (<see cref="ClusterDescriber.SignalKey"/>): KMeans
    /// may split one confusion pair by wording, but to the user it is one pattern with one fix. Members stay in dataset order.
    /// </summary>
    private static List<(List<FailureCase> Members, List<float[]> Points)> MergeBySignal(string kind, List<List<int>> clusters, List<FailureCase> members, List<float[]> points)
    {
        var merged = new List<List<int>>();
        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var cluster in clusters)
        {
            var key = ClusterDescriber.SignalKey(kind, cluster.Select(i => members[i]).ToList());
            if (key is not null && byKey.TryGetValue(key, out var existing))
            {
                existing.AddRange(cluster);
                existing.Sort();
                continue;
            }

            var copy = new List<int>(cluster);
            merged.Add(copy);
            if (key is not null)
            {
                byKey[key] = copy;
            }
        }

        return merged.Select(indexes => (indexes.Select(i => members[i]).ToList(), indexes.Select(i => points[i]).ToList())).ToList();
    }

    /// <summary>The members nearest the group's centre, nearest first (ties in dataset order).</summary>
    private List<FailureCase> Representatives(List<FailureCase> members, List<float[]> points)
    {
        var dimensions = points.Count == 0 ? 0 : points[0].Length;
        var centre = VectorMath.Mean(points, Enumerable.Range(0, points.Count).ToList(), dimensions);
        return Enumerable.Range(0, members.Count)
            .Select(i => (Index: i, Distance: VectorMath.SquaredDistance(points[i], centre)))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Index)
            .Take(Math.Min(_options.Representatives, members.Count))
            .Select(x => members[x.Index])
            .ToList();
    }

    /// <summary>Two clusters with the same name get their distinctive terms, then a number, appended.</summary>
    private static List<FailureCluster> UniqueNames(List<FailureCluster> clusters)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var duplicated = clusters.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var result = new List<FailureCluster>(clusters.Count);
        foreach (var cluster in clusters)
        {
            var name = cluster.Name;
            if (duplicated.Contains(name) && cluster.TopTerms.Count > 0 && !name.Contains(':', StringComparison.Ordinal))
            {
                name = $"{name}: {string.Join(", ", cluster.TopTerms.Take(2))}";
            }

            var candidate = name;
            for (var n = 2; !used.Add(candidate); n++)
            {
                candidate = string.Create(CultureInfo.InvariantCulture, $"{name} ({n})");
            }

            result.Add(cluster with { Name = candidate });
        }

        return result;
    }

    private JsonObject Parameters(LabelSet labels, List<FailureCase> failures)
    {
        var metadata = _embeddings.GetService<EmbeddingGeneratorMetadata>();
        return new JsonObject
        {
            ["seed"] = _options.Seed,
            ["min_clusters"] = _options.MinClusters,
            ["max_clusters"] = _options.MaxClusters,
            ["min_cluster_size"] = _options.MinClusterSize,
            ["restarts"] = _options.Restarts,
            ["silhouette_tolerance"] = _options.SilhouetteTolerance,
            ["selection_sample_size"] = _options.SelectionSampleSize,
            ["training_sample_size"] = _options.TrainingSampleSize,
            ["embedding_model"] = metadata is null ? null : $"{metadata.ProviderName}/{metadata.DefaultModelId}",
            ["max_embedded_characters"] = _options.MaxEmbeddedCharacters,
            ["weights"] = new JsonObject
            {
                ["input"] = _options.InputWeight,
                ["expected"] = _options.ExpectedWeight,
                ["output"] = _options.OutputWeight,
                ["signal_emphasis"] = _options.SignalEmphasis,
                ["scorer"] = _options.ScorerWeight,
            },
            ["labels"] = new JsonObject
            {
                ["classification"] = labels.IsClassification,
                ["allowed"] = labels.Labels.Count,
                ["from_prompt"] = labels.FromPrompt,
                ["from_expected"] = labels.FromExpected,
            },
            ["failures"] = failures.Count,
            ["errors"] = failures.Count(f => f.Kind == FailureKinds.Error),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: {Failures} failures analysed into {Clusters} clusters")]
    private static partial void LogAnalyzed(ILogger logger, string runId, int failures, int clusters);
}
