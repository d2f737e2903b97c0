namespace EvalLoop.Cli.Hosting;

/// <summary>How a command opens the shared composition root (<see cref="EvalLoopServices"/>, in EvalLoop.Service) from its settings.</summary>
internal static class EvalLoopServicesCliExtensions
{
    extension(EvalLoopServices)
    {
        /// <summary>Opens the workspace the settings name (else <paramref name="defaultWorkspace"/>, else the current directory).</summary>
        /// <exception cref="UsageException">The workspace folder does not exist (exit code 2, not a runtime error).</exception>
        public static EvalLoopServices Create(WorkspaceSettings settings, string? defaultWorkspace = null)
        {
            var root = settings.Workspace ?? defaultWorkspace ?? Directory.GetCurrentDirectory();
            if (!Directory.Exists(root))
            {
                throw new UsageException($"workspace folder not found: {root}");
            }

            return EvalLoopServices.Open(root, settings.Database);
        }
    }
}
