using EvalLoop.Reporting.Text;

namespace EvalLoop.Reporting.Tests;

public sealed class LineDiffTests
{
    [Fact]
    public void MarksAddedRemovedAndUnchangedLinesInOrder()
    {
        var diff = LineDiff.Compute("a\nb\nc\nd\n", "a\nc\nx\nd\n");

        diff.Select(l => (l.Kind, l.Text)).Should().Equal(
            (DiffKind.Same, "a"), (DiffKind.Removed, "b"), (DiffKind.Same, "c"), (DiffKind.Added, "x"), (DiffKind.Same, "d"));
    }

    [Fact]
    public void TreatsAMissingTextAsEmptyAndIgnoresLineEndingStyle()
    {
        LineDiff.Compute(null, "one\ntwo").Select(l => l.Kind).Should().Equal(DiffKind.Added, DiffKind.Added);
        LineDiff.Compute("one\r\ntwo\r\n", "one\ntwo").Should().OnlyContain(l => l.Kind == DiffKind.Same);
    }

    [Fact]
    public void AVeryLargeChangeFallsBackToRemovedThenAddedWithoutTheQuadraticTable()
    {
        var before = string.Join('\n', Enumerable.Range(0, 3000).Select(i => "old " + i));
        var after = string.Join('\n', Enumerable.Range(0, 3000).Select(i => "new " + i));

        var diff = LineDiff.Compute("same\n" + before, "same\n" + after);

        diff.Should().HaveCount(6001);
        diff[0].Kind.Should().Be(DiffKind.Same);
        diff.Skip(1).Take(3000).Should().OnlyContain(l => l.Kind == DiffKind.Removed);
        diff.Skip(3001).Should().OnlyContain(l => l.Kind == DiffKind.Added);
    }
}
