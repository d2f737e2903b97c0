using EvalLoop.Core.Experiments;
using EvalLoop.Core.Running;
using EvalLoop.Core.Suggestions;
using EvalLoop.Core.Versions;
using EvalLoop.Suggestions.Applying;
using EvalLoop.Suggestions.Changes;
using EvalLoop.Suggestions.Strategies.Prompt;

namespace EvalLoop.Suggestions.Tests;

/// <summary>Approving and rejecting: new versions, the audit trail, refusals, and two deciders at once.</summary>
public sealed class ApprovalTests
{
    private const string LabelList = "Classify the support ticket. Answer with exactly one of:\n- billing\n- bug\n- feature_request\n";
    private const string ExperimentPath = "experiments/tickets.yaml";

    [Fact]
    public async Task ARejectedSuggestionKeepsItsReasonAndIsNotProposedAgainUnchanged()
    {
        // Arrange
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList), [new FewShotExamplesStrategy()]);
        var baseline = await harness.RunAsync("tickets");
        var first = await harness.Suggester.SuggestAsync(baseline.Run.Id);
        var suggestion = first.Created.Single();

        // Act
        var rejected = await harness.Approver.RejectAsync(suggestion.Id, "reviewer", "too many examples for production");
        var again = await harness.Suggester.SuggestAsync(baseline.Run.Id);

        // Assert
        rejected.Status.Should().Be(SuggestionStatus.Rejected);
        rejected.DecisionReason.Should().Be("too many examples for production");
        rejected.DecidedBy.Should().Be("reviewer");
        var rejectedFingerprint = SuggestionJson.Deserialize<PromptChange>(suggestion.ChangeJson).Fingerprint;
        again.Created.Select(s => SuggestionJson.Deserialize<PromptChange>(s.ChangeJson).Fingerprint).Should().NotContain(rejectedFingerprint, "runners-up it beat may come back, the rejected change may not");
        again.AlreadyProposed.Should().ContainSingle().Which.Id.Should().Be(suggestion.Id);
        (await File.ReadAllTextAsync(harness.File(ExperimentPath))).Should().Be(TicketsWorkspace.Experiment(LabelList), "a rejection writes nothing");
        await FluentActions.Awaiting(() => harness.Approver.RejectAsync(suggestion.Id, "reviewer", " ")).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task RefusesToApproveWhenTheFileChangedSinceTheSuggestionWasMade()
    {
        // Arrange
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList), [new FewShotExamplesStrategy()]);
        var baseline = await harness.RunAsync("tickets");
        var suggestion = (await harness.Suggester.SuggestAsync(baseline.Run.Id)).Created.Single();
        var edited = await File.ReadAllTextAsync(harness.File(ExperimentPath)) + "# a comment someone added by hand\n";
        await File.WriteAllTextAsync(harness.File(ExperimentPath), edited);

        // Act
        var approve = () => harness.Approver.ApproveAsync(suggestion.Id, "reviewer");

        // Assert
        (await approve.Should().ThrowAsync<SuggestionConflictException>()).Which.Message.Should().Contain(ExperimentPath).And.Contain("changed since");
        (await File.ReadAllTextAsync(harness.File(ExperimentPath))).Should().Be(edited);
        (await harness.Suggestions.GetAsync(suggestion.Id))!.Status.Should().Be(SuggestionStatus.Pending);
        (await harness.Versions.ListAsync(ExperimentPath)).Should().BeEmpty();
    }

    [Fact]
    public async Task ApprovingCreatesANewVersionAnAuditRowAndKeepsThePreviousFileRestorable()
    {
        // Arrange
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList), [new FewShotExamplesStrategy()]);
        var baseline = await harness.RunAsync("tickets");
        var suggestion = (await harness.Suggester.SuggestAsync(baseline.Run.Id)).Created.Single();
        var change = SuggestionJson.Deserialize<PromptChange>(suggestion.ChangeJson);
        var original = await File.ReadAllTextAsync(harness.File(ExperimentPath));

        // Act
        var result = await harness.Approver.ApproveAsync(suggestion.Id, "reviewer", "clear gain");
        var after = await harness.RunAsync("tickets");

        // Assert
        var written = await File.ReadAllTextAsync(harness.File(ExperimentPath));
        written.Should().StartWith("# Support tickets, a crafted workspace", "comments and the rest of the file are kept");
        YamlTextEditor.ReadPrompt(written).Should().Be(change.Proposed);
        after.Run.PromptVersion.Should().Be(change.ProposedPromptVersion).And.Be(result.Suggestion.ResultingVersion);
        result.Versions.Previous.Content.Should().Be(original);
        result.Versions.Previous.ContentVersion.Should().Be(baseline.Run.PromptVersion);
        result.Versions.Next.SuggestionId.Should().Be(suggestion.Id);
        result.Versions.Next.Sha256.Should().Be(FileContentHash.Compute(written));
        (await harness.Versions.GetAsync(result.Versions.Previous.Id))!.Content.Should().Be(original, "the old version can be read back and restored");
        var history = new List<SuggestionEvent>();
        await foreach (var e in harness.Suggestions.ReadHistoryAsync(suggestion.Id))
        {
            history.Add(e);
        }

        history.Should().HaveCount(2);
        history[1].ToStatus.Should().Be(SuggestionStatus.Approved);
        history[1].Snapshot.DecidedBy.Should().Be("reviewer");
        history[1].Snapshot.DecisionReason.Should().Be("clear gain");
        history[1].Snapshot.EvidenceJson.Should().Be(suggestion.EvidenceJson, "the audit row keeps the evidence the decision was made on");
        await FluentActions.Awaiting(() => harness.Approver.RejectAsync(suggestion.Id, "someone", "late")).Should().ThrowAsync<SuggestionAlreadyDecidedException>().WithMessage("*already approved by reviewer*");
    }

    [Fact]
    public async Task AnEarlierVersionCanBeRestoredAndTheReplacedContentIsRecordedToo()
    {
        // Arrange
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList));
        var baseline = await harness.RunAsync("tickets");
        var original = await File.ReadAllTextAsync(harness.File(ExperimentPath));
        var approved = await harness.Approver.ApproveAsync((await SavePromptSuggestionAsync(harness, baseline, "\nBe brief.\n")).Id, "alice");
        var approvedContent = await File.ReadAllTextAsync(harness.File(ExperimentPath));
        var edited = approvedContent + "# and a hand edit\n";
        await File.WriteAllTextAsync(harness.File(ExperimentPath), edited);

        // Act
        var restore = await new FileVersionRestorer(harness.Versions, harness.Layout).RestoreAsync(approved.Versions.Previous.Id, "bob");

        // Assert
        (await File.ReadAllTextAsync(harness.File(ExperimentPath))).Should().Be(original);
        restore.Previous.Content.Should().Be(edited, "the hand edit is kept in the history, not lost");
        (await harness.Versions.ListAsync(ExperimentPath)).Select(v => v.Content).Should().Equal(original, edited, approvedContent, original);
        await FluentActions.Awaiting(() => new FileVersionRestorer(harness.Versions, harness.Layout).RestoreAsync(restore.Next.Id, "bob")).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task OfTwoSuggestionsForTheSamePromptApprovedAtOnceOneWinsAndTheOtherIsRefusedNotLost()
    {
        // Arrange: two prompt suggestions made against the same version of the file.
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList));
        var baseline = await harness.RunAsync("tickets");
        var first = await SavePromptSuggestionAsync(harness, baseline, "\nAlways answer in lower case.\n");
        var second = await SavePromptSuggestionAsync(harness, baseline, "\nNever explain the answer.\n");

        // Act
        var attempts = await Task.WhenAll(
            Attempt(() => harness.Approver.ApproveAsync(first.Id, "alice")),
            Attempt(() => harness.Approver.ApproveAsync(second.Id, "bob")));

        // Assert
        attempts.Count(a => a is null).Should().Be(1, "exactly one approval wins");
        attempts.Single(a => a is not null).Should().BeOfType<SuggestionConflictException>().Which.Message.Should().Contain("changed since");
        var statuses = new[] { (await harness.Suggestions.GetAsync(first.Id))!.Status, (await harness.Suggestions.GetAsync(second.Id))!.Status };
        statuses.Should().BeEquivalentTo([SuggestionStatus.Approved, SuggestionStatus.Pending], "the loser is refused, still pending, never silently dropped");
        var winner = statuses[0] == SuggestionStatus.Approved ? first : second;
        YamlTextEditor.ReadPrompt(await File.ReadAllTextAsync(harness.File(ExperimentPath))).Should().Be(SuggestionJson.Deserialize<PromptChange>(winner.ChangeJson).Proposed);
        (await harness.Versions.ListAsync(ExperimentPath)).Should().HaveCount(2);
    }

    [Fact]
    public async Task TheSameSuggestionApprovedTwiceAtOnceIsWrittenOnce()
    {
        // Arrange
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList));
        var baseline = await harness.RunAsync("tickets");
        var suggestion = await SavePromptSuggestionAsync(harness, baseline, "\nAlways answer in lower case.\n");

        // Act
        var attempts = await Task.WhenAll(
            Attempt(() => harness.Approver.ApproveAsync(suggestion.Id, "alice")),
            Attempt(() => harness.Approver.ApproveAsync(suggestion.Id, "bob")));

        // Assert
        attempts.Count(a => a is null).Should().Be(1);
        attempts.Single(a => a is not null).Should().Match<Exception>(e => SuggestionRefusals.IsRefusal(e), "the loser was refused (decided first, or the file changed), not failed");
        (await harness.Versions.ListAsync(ExperimentPath)).Should().HaveCount(2, "one previous version and one new one");
        (await harness.Suggestions.GetAsync(suggestion.Id))!.Revision.Should().Be(2);
    }

    [Fact]
    public async Task AnApprovalWhoseDecisionCannotBeStoredPutsTheFileBackAndIsAFailureNotARefusal()
    {
        // Arrange: the database refuses to store the decision after the file is written.
        using var harness = SuggestionHarness.With(TicketsWorkspace.Files(LabelList));
        var baseline = await harness.RunAsync("tickets");
        var suggestion = await SavePromptSuggestionAsync(harness, baseline, "\nAlways answer in lower case.\n");
        var original = await File.ReadAllTextAsync(harness.File(ExperimentPath));
        await using (var connection = await harness.Database.OpenConnectionAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER fail_decisions BEFORE UPDATE OF status ON suggestions BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;";
            await command.ExecuteNonQueryAsync();
        }

        // Act
        var approve = FluentActions.Awaiting(() => harness.Approver.ApproveAsync(suggestion.Id, "alice"));

        // Assert
        var thrown = (await approve.Should().ThrowAsync<InvalidOperationException>()).Which;
        SuggestionRefusals.IsRefusal(thrown).Should().BeFalse("nobody decided first and the change still applies: the service failed");
        thrown.Message.Should().Contain("disk on fire").And.Contain($"Rolled back: {ExperimentPath}");
        (await File.ReadAllTextAsync(harness.File(ExperimentPath))).Should().Be(original);
        (await harness.Suggestions.GetAsync(suggestion.Id))!.Status.Should().Be(SuggestionStatus.Pending);
    }

    private static async Task<Suggestion> SavePromptSuggestionAsync(SuggestionHarness harness, RunOutcome baseline, string appended)
    {
        var content = await File.ReadAllTextAsync(harness.File(ExperimentPath));
        var current = YamlTextEditor.ReadPrompt(content);
        var proposed = current with { System = current.System + appended };
        var change = new PromptChange
        {
            Strategy = "test",
            ExperimentPath = ExperimentPath,
            BaseFileSha256 = FileContentHash.Compute(content),
            BasePromptVersion = ExperimentRunner.PromptVersion(current),
            Base = current,
            Proposed = proposed,
            ProposedPromptVersion = ExperimentRunner.PromptVersion(proposed),
            Fingerprint = Guid.NewGuid().ToString("N"),
            Provenance = new Provenance(),
        };
        return await harness.Suggestions.SaveAsync(new Suggestion
        {
            Id = Suggester.NewId(),
            RunId = baseline.Run.Id,
            ExperimentName = "tickets",
            Kind = SuggestionKinds.Prompt,
            Title = "append " + appended.Trim(),
            Summary = "test",
            ChangeJson = SuggestionJson.Serialize(change),
            CreatedAt = DateTimeOffset.UtcNow,
        });
    }

    private static async Task<Exception?> Attempt(Func<Task> action)
    {
        try
        {
            await Task.Yield();
            await action();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
