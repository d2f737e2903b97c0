using System.ComponentModel;
using EvalLoop.Cli.Hosting;
using EvalLoop.Cli.Output;
using EvalLoop.Core.Goals;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Commands;

/// <summary>
/// <c>evalloop goal show NAME [--json]</c>: each requirement with the scorers and slices that cover it, uncovered ones
/// flagged, the latest pass rate against the target and its status (met, missed, regressed), and the goal's overall status.
/// </summary>
public sealed class GoalShowCommand : EvalLoopCommand<GoalShowCommand.Settings>
{
    public sealed class Settings : WorkspaceSettings
    {
        [CommandArgument(0, "<NAME>")]
        [Description("A goal name (experiments/goals/NAME.yaml) or a goal file path.")]
        public string Name { get; init; } = string.Empty;

        [CommandOption("--json")]
        public bool Json { get; init; }
    }

    protected override async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        using var services = EvalLoopServices.Create(settings);
        var goal = await new GoalLoader(services.Layout).LoadAsync(settings.Name, cancellationToken);
        var report = await services.GoalMeasurement.MeasureAsync(goal, cancellationToken);
        if (settings.Json)
        {
            Console.Out.WriteLine(GoalView.Json(report, services.Layout.Root).ToJsonString(RunReportJson.Options));
        }
        else
        {
            GoalView.Write(Out, report);
        }

        return ExitCodes.Success;
    }
}
