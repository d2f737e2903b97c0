using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace EvalLoop.Analysis.Clustering;

/// <summary>
/// KMeans (ML.NET) over failure feature vectors, with k chosen by silhouette. Deterministic: fixed seeds, fixed-seed
/// samples and single-threaded training, so the same points always give the same clusters.
/// </summary>
/// <remarks>
/// <para>
/// k ranges from <see cref="FailureAnalyzerOptions.MinClusters"/> to the smallest of
/// <see cref="FailureAnalyzerOptions.MaxClusters"/>, ⌈√n⌉ and n / <see cref="FailureAnalyzerOptions.MinClusterSize"/>.
/// Each candidate is trained on the same fixed-seed sample of at most
/// <see cref="FailureAnalyzerOptions.SelectionSampleSize"/> points and scored by the mean silhouette on it (the
/// pairwise distances are computed once for all k). The smallest k within
/// <see cref="FailureAnalyzerOptions.SilhouetteTolerance"/> of the best wins; when even the best is under
/// <see cref="FailureAnalyzerOptions.MinSilhouette"/>, no split is real and the points stay one cluster.
/// </para>
/// <para>
/// The final model is trained on at most <see cref="FailureAnalyzerOptions.TrainingSampleSize"/> points and every
/// point is assigned to its nearest centroid, which bounds the time on very large runs. ML.NET's KMeans needs a
/// fixed-size vector column: the schema is built at run time for the dimension of the points.
/// </para>
/// <para>
/// Each candidate and the final model take the best of <see cref="FailureAnalyzerOptions.Restarts"/> seeded fits.
/// ML.NET's KMeans is only deterministic single-threaded (its own docs: "Determinism not guaranteed" with more
/// threads), so each fit uses one thread and the candidate k's are fitted in parallel instead.
/// </para>
/// </remarks>
public sealed class MlNetFailureClusterer(FailureAnalyzerOptions options)
{
    /// <summary>Identifies the algorithm in stored analyses; bump it when a change would give different clusters.</summary>
    public const string Version = "mlnet-kmeans/1";

    private readonly FailureAnalyzerOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>
    /// The k range for <paramref name="count"/> points: from <see cref="FailureAnalyzerOptions.MinClusters"/> to the
    /// smallest of <paramref name="maxClusters"/> (default <see cref="FailureAnalyzerOptions.MaxClusters"/>), ⌈√n⌉ and
    /// n / <see cref="FailureAnalyzerOptions.MinClusterSize"/>; (1, 1) when that leaves fewer than two.
    /// </summary>
    public (int Min, int Max) KRange(int count, int? maxClusters = null)
    {
        var max = Math.Min(maxClusters ?? _options.MaxClusters, Math.Min(count / _options.MinClusterSize, (int)Math.Ceiling(Math.Sqrt(count))));
        return max < _options.MinClusters ? (1, 1) : (_options.MinClusters, max);
    }

    /// <summary>Clusters <paramref name="points"/>, which all have the same length, into at most <paramref name="maxClusters"/> clusters.</summary>
    public KMeansClustering Cluster(IReadOnlyList<float[]> points, int? maxClusters = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return KMeansClustering.Empty;
        }

        var dimensions = points[0].Length;
        if (points.Any(p => p.Length != dimensions))
        {
            throw new ArgumentException("Every point must have the same number of dimensions.", nameof(points));
        }

        var (min, max) = KRange(points.Count, maxClusters);
        if (max < 2)
        {
            return Single(points, dimensions, new Dictionary<int, double>(), 0);
        }

        var selection = Sample(points.Count, _options.SelectionSampleSize, _options.Seed);
        var selectionPoints = selection.Select(i => points[i]).ToList();
        var silhouette = new Silhouette(selectionPoints);
        var candidates = Enumerable.Range(min, max - min + 1).ToArray();
        var fitted = new (float[][] Centroids, double Score)[candidates.Length];
        Parallel.For(0, candidates.Length, new ParallelOptions { CancellationToken = cancellationToken }, c =>
        {
            var centroids = BestFit(selectionPoints, candidates[c], dimensions);
            var assignments = selectionPoints.Select(p => VectorMath.Nearest(p, centroids)).ToArray();
            fitted[c] = (centroids, silhouette.Score(assignments, centroids.Length));
        });

        var scores = candidates.Select((candidate, i) => (candidate, fitted[i].Score)).ToDictionary(x => x.candidate, x => x.Score);
        var best = fitted.Max(f => f.Score);
        if (best < _options.MinSilhouette)
        {
            return Single(points, dimensions, scores, selection.Length);
        }

        var chosen = Array.FindIndex(fitted, f => f.Score >= best - _options.SilhouetteTolerance);
        var k = candidates[chosen];
        cancellationToken.ThrowIfCancellationRequested();

        float[][] final;
        int trainingSize;
        if (points.Count <= selection.Length)
        {
            final = fitted[chosen].Centroids;
            trainingSize = selection.Length;
        }
        else
        {
            var training = Sample(points.Count, _options.TrainingSampleSize, _options.Seed + 1);
            final = BestFit(training.Select(i => points[i]).ToList(), k, dimensions);
            trainingSize = training.Length;
        }

        var all = new int[points.Count];
        Parallel.For(0, points.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => all[i] = VectorMath.Nearest(points[i], final));
        var (compact, centres) = Compact(all, points, dimensions);
        return new KMeansClustering(centres.Count, compact, centres, scores, selection.Length, trainingSize);
    }

    /// <summary>Everything in one cluster: too few points to compare several k, or no k separates them (silhouette under the minimum).</summary>
    private static KMeansClustering Single(IReadOnlyList<float[]> points, int dimensions, IReadOnlyDictionary<int, double> silhouettes, int selectionSize) =>
        new(1, new int[points.Count], [VectorMath.Mean(points, Enumerable.Range(0, points.Count).ToList(), dimensions)], silhouettes, selectionSize, 0);

    /// <summary>
    /// The centroids of the best of <see cref="FailureAnalyzerOptions.Restarts"/> fits (seeds <c>Seed</c>,
    /// <c>Seed + 1</c>...): the one with the smallest sum of squared distances to the nearest centroid. One KMeans run
    /// can settle in a poor local minimum (two centroids in one big group, two small groups sharing one); restarts are
    /// the standard remedy, as scikit-learn's <c>n_init</c>.
    /// </summary>
    private float[][] BestFit(IReadOnlyList<float[]> points, int k, int dimensions)
    {
        float[][]? best = null;
        var bestInertia = double.PositiveInfinity;
        for (var restart = 0; restart < _options.Restarts; restart++)
        {
            var centroids = Fit(points, k, dimensions, _options.Seed + restart);
            var inertia = 0.0;
            foreach (var point in points)
            {
                inertia += VectorMath.SquaredDistance(point, centroids[VectorMath.Nearest(point, centroids)]);
            }

            if (inertia < bestInertia)
            {
                best = centroids;
                bestInertia = inertia;
            }
        }

        return best!;
    }

    /// <summary>Trains ML.NET KMeans with <paramref name="k"/> clusters and returns its centroids.</summary>
    private static float[][] Fit(IReadOnlyList<float[]> points, int k, int dimensions, int seed)
    {
        var context = new MLContext(seed: seed);
        var schema = SchemaDefinition.Create(typeof(PointRow));
        schema[nameof(PointRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
        var data = context.Data.LoadFromEnumerable(points.Select(p => new PointRow { Features = p }), schema);
        var trainer = context.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = nameof(PointRow.Features),
            NumberOfClusters = k,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansYinyang,
            NumberOfThreads = 1,
            MaximumNumberOfIterations = 100,
            OptimizationTolerance = 1e-5f,
        });
        var model = trainer.Fit(data);
        VBuffer<float>[] centroids = [];
        model.Model.GetClusterCentroids(ref centroids, out var count);
        var result = new float[count][];
        for (var c = 0; c < count; c++)
        {
            result[c] = new float[dimensions];
            centroids[c].CopyTo(result[c]);
        }

        return result;
    }

    /// <summary>Renumbers the clusters that got members 0..k'-1 (in order of first member) and recomputes their centres as member means.</summary>
    private static (int[] Assignments, List<float[]> Centres) Compact(int[] assignments, IReadOnlyList<float[]> points, int dimensions)
    {
        var map = new Dictionary<int, int>();
        var compact = new int[assignments.Length];
        var members = new List<List<int>>();
        for (var i = 0; i < assignments.Length; i++)
        {
            if (!map.TryGetValue(assignments[i], out var index))
            {
                index = map.Count;
                map[assignments[i]] = index;
                members.Add([]);
            }

            compact[i] = index;
            members[index].Add(i);
        }

        return (compact, members.Select(m => VectorMath.Mean(points, m, dimensions)).ToList());
    }

    /// <summary>A fixed-seed sample of at most <paramref name="size"/> indices out of <paramref name="count"/>, in ascending order.</summary>
    private static int[] Sample(int count, int size, int seed)
    {
        if (count <= size)
        {
            return Enumerable.Range(0, count).ToArray();
        }

        var indices = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(indices);
        var sample = indices[..size];
        Array.Sort(sample);
        return sample;
    }

    private sealed class PointRow
    {
        public float[] Features { get; set; } = [];
    }
}
