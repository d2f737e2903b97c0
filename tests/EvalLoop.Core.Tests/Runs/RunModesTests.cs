using EvalLoop.Core.Runs;

namespace EvalLoop.Core.Tests.Runs;

public sealed class RunModesTests
{
    [Theory]
    [InlineData("full", true)]
    [InlineData("rerun-failed", true)]
    [InlineData("suggest-analysis", false)]
    [InlineData("verify-baseline", false)]
    [InlineData("verify-candidate", false)]
    [InlineData("suggest-rows", false)]
    [InlineData("goal-draft", false)]
    [InlineData("suggest-verify", false)] // a mode this version does not know (an older one wrote it) never passes for a user's run
    [InlineData("FULL", false)]
    [InlineData("", false)]
    public void CountsOnlyFullRunsAndReRunsOfFailuresAsUserRunsAndEveryOtherModeAsInternal(string mode, bool user)
    {
        RunModes.IsUserRun(mode).Should().Be(user);
        RunModes.IsInternal(mode).Should().Be(!user);
    }

    [Fact]
    public void ListsEveryModeAsEitherAUserOrAnInternalOneAndTheStoredNamesNeverChange()
    {
        RunModes.User.Should().Equal("full", "rerun-failed");
        RunModes.Suggester.Should().Equal("suggest-analysis", "verify-baseline", "verify-candidate", "suggest-rows");
        RunModes.User.Should().OnlyContain(m => RunModes.IsUserRun(m));
        RunModes.Suggester.Append(RunModes.GoalDraft).Should().OnlyContain(m => RunModes.IsInternal(m));
        RunModes.GoalDraft.Should().Be("goal-draft");
    }
}
