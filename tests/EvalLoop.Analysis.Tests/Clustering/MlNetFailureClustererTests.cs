using EvalLoop.Analysis.Clustering;

namespace EvalLoop.Analysis.Tests.Clustering;

public sealed class MlNetFailureClustererTests
{
    [Fact]
    public void FindsWellSeparatedGroupsAndChoosesTheirNumberBySilhouette()
    {
        var (points, truth) = Blobs(groups: 4, perGroup: 30, seed: 1);

        var result = new MlNetFailureClusterer(new FailureAnalyzerOptions()).Cluster(points);

        result.K.Should().Be(4);
        result.Silhouettes.Keys.Should().Equal(Enumerable.Range(2, 10));
        result.Silhouettes[4].Should().BeGreaterThan(0.5);
        for (var i = 0; i < points.Count; i++)
        {
            for (var j = 0; j < points.Count; j++)
            {
                (result.Assignments[i] == result.Assignments[j]).Should().Be(truth[i] == truth[j]);
            }
        }
    }

    [Fact]
    public void IsDeterministic()
    {
        var (points, _) = Blobs(groups: 5, perGroup: 40, seed: 2, spread: 0.8f);
        var clusterer = new MlNetFailureClusterer(new FailureAnalyzerOptions());

        var first = clusterer.Cluster(points);
        var second = clusterer.Cluster(points);

        second.Assignments.Should().Equal(first.Assignments);
        second.Silhouettes.Should().Equal(first.Silhouettes);
    }

    [Fact]
    public void SamplesLargeInputsAndStillAssignsEveryPoint()
    {
        var (points, truth) = Blobs(groups: 3, perGroup: 1_500, seed: 3);
        var options = new FailureAnalyzerOptions { SelectionSampleSize = 200, TrainingSampleSize = 500 };

        var result = new MlNetFailureClusterer(options).Cluster(points);

        result.K.Should().Be(3);
        result.SelectionSampleSize.Should().Be(200);
        result.TrainingSampleSize.Should().Be(500);
        result.Assignments.Should().HaveCount(4_500);
        Enumerable.Range(0, points.Count).GroupBy(i => truth[i]).Should().OnlyContain(g => g.Select(i => result.Assignments[i]).Distinct().Count() == 1);
    }

    [Fact]
    public void PointsWithoutGroupStructureStayOneCluster()
    {
        var random = new Random(4);
        var points = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 16).Select(_ => (float)random.NextDouble()).ToArray()).ToList();

        var result = new MlNetFailureClusterer(new FailureAnalyzerOptions { MinSilhouette = 0.3 }).Cluster(points);

        result.K.Should().Be(1);
        result.Assignments.Should().OnlyContain(a => a == 0);
        result.Silhouettes.Should().NotBeEmpty();
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    public void TooFewPointsMakeAtMostOneCluster(int count, int clusters)
    {
        var points = Enumerable.Range(0, count).Select(i => new[] { i, 0f }).ToList();

        var result = new MlNetFailureClusterer(new FailureAnalyzerOptions()).Cluster(points);

        result.K.Should().Be(clusters);
        result.Assignments.Should().HaveCount(count);
    }

    [Theory]
    [InlineData(6, 2, 2)]
    [InlineData(30, 2, 6)]
    [InlineData(400, 2, 12)]
    public void TriesKFromTwoToTheSmallestOfTheCapRootNAndNOverTheMinimumClusterSize(int count, int min, int max)
    {
        new MlNetFailureClusterer(new FailureAnalyzerOptions()).KRange(count).Should().Be((min, max));
    }

    private static (List<float[]> Points, int[] Truth) Blobs(int groups, int perGroup, int seed, float spread = 0.3f)
    {
        var random = new Random(seed);
        var points = new List<float[]>();
        var truth = new List<int>();
        for (var g = 0; g < groups; g++)
        {
            var centre = Enumerable.Range(0, 8).Select(d => d == g % 8 ? 10f * (1 + (g / 8)) : 0f).ToArray();
            for (var i = 0; i < perGroup; i++)
            {
                points.Add(centre.Select(c => c + (spread * (float)((random.NextDouble() * 2) - 1))).ToArray());
                truth.Add(g);
            }
        }

        return (points, truth.ToArray());
    }
}
