using System.Reflection;

namespace EvalLoop.Cli.Hosting;

/// <summary>
/// <c>evalloop --self-check</c> (used by the <c>./evalloop</c> script after each build): loads every assembly of the
/// application (those its deps.json lists), so a build whose output was cut short (an interrupted ahead-of-time compilation) is caught at once
/// instead of failing later, mid-command, with "could not load file or assembly".
/// </summary>
internal static class SelfCheck
{
    public const string Argument = "--self-check";

    public static int Run()
    {
        // The assemblies the host resolved from evalloop.deps.json: the application's own and its packages' (a stale file
        // left in the folder by an older build is not one of them), without the shared framework's.
        var baseDirectory = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        var paths = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), baseDirectory, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var problems = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                Assembly.Load(AssemblyName.GetAssemblyName(path));
            }
            catch (Exception ex) when (ex is BadImageFormatException or IOException)
            {
                problems.Add($"{Path.GetFileName(path)}: {ex.Message}");
            }
        }

        foreach (var problem in problems)
        {
            Console.Error.WriteLine("evalloop: self-check: " + problem);
        }

        if (paths.Count == 0)
        {
            Console.Error.WriteLine("evalloop: self-check: the host listed no application assemblies");
            return ExitCodes.RuntimeError;
        }

        return problems.Count == 0 ? ExitCodes.Success : ExitCodes.RuntimeError;
    }
}
