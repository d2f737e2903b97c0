using EvalLoop.Core.Experiments;
using EvalLoop.Core.Goals;
using EvalLoop.Core.Tests.Parsing;
using EvalLoop.Core.Workspace;

namespace EvalLoop.Core.Tests.Goals;

public sealed class GoalLoaderTests : IDisposable
{
    private const string Valid = """
        name: routing
        description: "Route each message; accuracy >= 0.85."
        experiments: [routing-exp]
        requirements:
          - id: accurate
            text: accuracy >= 0.85
            target: 0.85
            covered_by:
              - { experiment: routing-exp, scorer: exact-match }
              - { experiment: routing-exp, scorer: exact-match, slice: { topic: geo } }
          - id: no-account-numbers
            text: never reveals an account number
        """;

    private readonly TempDirectory _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private GoalLoader Loader() => new(WorkspaceLayout.For(_workspace.Root));

    private string WriteGoal(string yaml, string name = "routing") => _workspace.Write($"experiments/goals/{name}.yaml", yaml + "\n");

    [Fact]
    public async Task LoadsRequirementsWithTheirExplicitCoverageAndSlices()
    {
        // Arrange
        WriteGoal(Valid);

        // Act
        var goal = await Loader().LoadAsync("routing");

        // Assert
        goal.Name.Should().Be("routing");
        goal.Experiments.Should().Equal("routing-exp");
        goal.Requirements.Should().HaveCount(2);
        goal.Requirements[0].Target.Should().Be(0.85);
        goal.Requirements[0].CoveredBy.Should().HaveCount(2);
        goal.Requirements[0].CoveredBy[1].Slice.Should().ContainKey("topic").WhoseValue.Should().Be("geo");
        goal.Requirements[1].IsCovered.Should().BeFalse();
        Loader().List().Should().Equal("routing");
    }

    [Theory]
    [InlineData("name: routing\ndescription: d\nrequirements: []", 3, "requirements")]
    [InlineData("name: routing\ndescription: d\nrequirements:\n  - id: a\n    text: t\n    target: 1.5", 6, "requirements[0].target")]
    [InlineData("name: routing\ndescription: d\nrequirements:\n  - id: a\n    txt: t", 5, "requirements[0].txt")]
    [InlineData("name: routing\ndescription: d\nexperiments: [e]\nrequirements:\n  - id: a\n    text: t\n    covered_by:\n      - { experiment: other, scorer: s }", 8, "requirements[0].covered_by[0].experiment")]
    [InlineData("name: routing\ndescription: d\nrequirements:\n  - id: a\n    text: t\n  - id: a\n    text: u", 6, "requirements[1].id")]
    [InlineData("name: other\ndescription: d\nrequirements:\n  - id: a\n    text: t", 1, "name")]
    [InlineData("name: routing\nrequirements:\n  - id: a\n    text: t", 1, "description")]
    public async Task NamesTheFileTheLineAndTheKeyOfEveryProblem(string yaml, int line, string field)
    {
        // Arrange
        var path = WriteGoal(yaml);

        // Act
        var act = () => Loader().LoadAsync("routing");

        // Assert
        var error = (await act.Should().ThrowAsync<WorkspaceFileException>()).Which;
        error.FilePath.Should().Be(path);
        error.Field.Should().Be(field);
        error.Line.Should().Be(line);
        error.Message.Should().StartWith($"{path}:{line}: {field}: ");
    }

    [Fact]
    public async Task AnExperimentGoalThatIsOneNameMustNameAnExistingGoalFileWhileASentenceStaysFreeText()
    {
        // Arrange
        _workspace.WriteLines("datasets/x.jsonl", """{"id": "1", "input": "q", "expected": "a"}""");
        static string Experiment(string name) => $"name: {name}\ndataset: x\nprompt:\n  user: \"{{{{input}}}}\"\nmodel:\n  provider: offline\nscorers: [exact-match]\n";
        _workspace.Write("experiments/text.yaml", Experiment("text") + "goal: \"Answer right; accuracy >= 0.9\"\n");
        _workspace.Write("experiments/linked.yaml", Experiment("linked") + "goal: routing\n");
        _workspace.Write("experiments/typo.yaml", Experiment("typo") + "goal: routnig\n");
        WriteGoal(Valid);
        var loader = new ExperimentLoader(WorkspaceLayout.For(_workspace.Root), FakeScorerFactory.Default());

        // Act
        var text = await loader.LoadAsync("text");
        var linked = await loader.LoadAsync("linked");
        var typo = () => loader.LoadAsync("typo");

        // Assert
        GoalReference.GoalName(text.Goal).Should().BeNull();
        GoalReference.GoalName(linked.Goal).Should().Be("routing");
        var error = (await typo.Should().ThrowAsync<WorkspaceFileException>()).Which;
        error.Field.Should().Be("goal");
        error.Line.Should().Be(8);
        error.Problem.Should().Contain("experiments/goals/routnig.yaml");
    }

    [Fact]
    public async Task LoadsTheRepositorySampleGoal()
    {
        // Arrange
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EvalLoop.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        // Act
        var goal = await new GoalLoader(WorkspaceLayout.For(root)).LoadAsync("banking77-routing");

        // Assert
        goal.Experiments.Should().Equal("banking77-intents");
        goal.Requirements.Should().Contain(r => r.IsCovered && r.Target == 0.85);
        goal.Requirements.Should().Contain(r => !r.IsCovered);
    }
}
