using EvalLoop.Core.Experiments;
using EvalLoop.Core.Runs;
using EvalLoop.TestUtilities.Builders;

namespace EvalLoop.Core.Tests.Runs;

public sealed class ExperimentSnapshotTests
{
    [Fact]
    public void AGoalDraftsRecordIsRefusedWithAClearErrorInsteadOfAJsonFailure()
    {
        var draft = RunRecords.Of("goal-draft-1", DateTimeOffset.UnixEpoch, "goal:routing", RunModes.GoalDraft);

        var act = () => ExperimentSnapshot.Of(draft);

        act.Should().Throw<RunHasNoExperimentException>()
            .Which.Message.Should().Contain("goal-draft-1").And.Contain("goal draft");
    }
}
