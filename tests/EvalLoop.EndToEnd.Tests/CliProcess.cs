using System.Diagnostics;
using System.Text;

namespace EvalLoop.EndToEnd.Tests;

/// <summary>Runs the real <c>./evalloop</c> script as a child process and captures its output.</summary>
public static class CliProcess
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Script => Path.Combine(RepositoryRoot, "evalloop");

    /// <summary>The CLI the script builds (valid once the script has run).</summary>
    public static string CliDll => Path.Combine(RepositoryRoot, "artifacts", "cli", "evalloop.dll");

    public static Task<CliResult> RunAsync(string workingDirectory, IEnumerable<string> arguments, TimeSpan? timeout = null, IDictionary<string, string>? environment = null, Action<Process>? onStarted = null) =>
        RunProcessAsync(Script, workingDirectory, arguments, timeout, environment, onStarted);

    /// <summary>Runs a built CLI assembly directly with <c>dotnet</c>, bypassing the script (and its build).</summary>
    public static Task<CliResult> RunDllAsync(string workingDirectory, string dll, params string[] arguments) =>
        RunProcessAsync("dotnet", workingDirectory, [dll, .. arguments], null, null, null);

    private static async Task<CliResult> RunProcessAsync(string fileName, string workingDirectory, IEnumerable<string> arguments, TimeSpan? timeout, IDictionary<string, string>? environment, Action<Process>? onStarted)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["EVALLOOP_DB"] = string.Empty;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        onStarted?.Invoke(process);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"evalloop {string.Join(' ', arguments)} did not finish in time.\nstdout:\n{stdout}\nstderr:\n{stderr}");
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public static Task<CliResult> RunAsync(string workingDirectory, params string[] arguments) => RunAsync(workingDirectory, arguments, null);

    /// <summary>Copies the sample workspace (datasets, scorers, experiments) to a fresh temp folder.</summary>
    public static TempWorkspace CopySampleWorkspace()
    {
        var workspace = new TempWorkspace();
        foreach (var folder in new[] { "datasets", "scorers", "experiments" })
        {
            CopyDirectory(Path.Combine(RepositoryRoot, folder), Path.Combine(workspace.Path, folder));
        }

        return workspace;
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EvalLoop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EvalLoop.sln not found above " + AppContext.BaseDirectory);
    }
}

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>A temp folder deleted on dispose.</summary>
public sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "evalloop-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public void Write(string relative, string content)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(File(relative))!);
        System.IO.File.WriteAllText(File(relative), content);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
