using EvalLoop.Core.Runs;
using EvalLoop.Reporting.Runs;

namespace EvalLoop.Reporting.Tests;

public sealed class ClusterRepresentativeTests
{
    [Fact]
    public void ShowsTheOutputElseTheErrorAndCutsLongCells()
    {
        // Arrange
        var failed = new CaseResult { RunId = "r", CaseId = "c1", Scores = [], ErrorKind = "timeout", ErrorMessage = "no answer" };
        var answered = new CaseResult { RunId = "r", CaseId = "c2", Scores = [], Output = new string('x', 1500) };

        // Act
        var error = new ClusterRepresentative("c1", 1, "in", "out", failed);
        var output = new ClusterRepresentative("c2", 1, "in", "out", answered);
        var gone = new ClusterRepresentative("c3", 1, null, null, null);

        // Assert
        error.Output.Should().Be("[timeout] no answer");
        gone.Output.Should().BeNull();
        ClusterRepresentative.Cell(gone.Input).Should().BeEmpty();
        ClusterRepresentative.Cell(output.Output).Should().StartWith(new string('x', ClusterRepresentative.MaxCellCharacters)).And.EndWith("[500 more characters not shown]");
    }
}
