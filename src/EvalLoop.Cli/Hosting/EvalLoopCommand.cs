using EvalLoop.Cli.Output;
using EvalLoop.Core.Running;
using EvalLoop.Core.Workspace;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalLoop.Cli.Hosting;

/// <summary>
/// Base of every command: maps failures to exit codes and clear one-line messages (file:line: field: problem for
/// input errors), so no command prints a stack trace for a user mistake.
/// </summary>
public abstract class EvalLoopCommand<TSettings> : AsyncCommand<TSettings>
    where TSettings : CommandSettings
{
    protected static IAnsiConsole Out => AnsiConsole.Console;

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(settings, cancellationToken);
        }
        catch (WorkspaceFileException ex)
        {
            ErrorOutput.Error(ex.Message);
            return ExitCodes.UsageOrInput;
        }
        catch (UsageException ex)
        {
            ErrorOutput.Error(ex.Message);
            return ExitCodes.UsageOrInput;
        }
        catch (Exception ex) when (ex is RunNotFoundException or Core.Runs.RunHasNoExperimentException)
        {
            ErrorOutput.Error(ex.Message);
            return ExitCodes.UsageOrInput;
        }
        catch (Core.Models.ModelConfigurationException ex)
        {
            ErrorOutput.Error("model: " + ex.Message);
            return ExitCodes.UsageOrInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ErrorOutput.Warning("interrupted", "stopped before finishing");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex)
        {
            ErrorOutput.Error(ex.Message);
            if (Environment.GetEnvironmentVariable("EVALLOOP_DEBUG") == "1")
            {
                ErrorOutput.Line(ex.ToString());
            }

            return ExitCodes.RuntimeError;
        }
    }

    protected abstract Task<int> RunAsync(TSettings settings, CancellationToken cancellationToken);
}
