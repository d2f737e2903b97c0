namespace EvalLoop.Core.Running;

/// <summary>
/// <see cref="IRunLock"/> over exclusive file locks (<c>DIRECTORY/RUN_ID.lock</c>, opened with
/// <see cref="FileShare.None"/>, which .NET enforces between processes with an OS lock). The operating system drops the
/// lock when its process ends, so a killed run is never left locked. Processes sharing a database must share the
/// directory: it sits next to the database.
/// </summary>
public sealed class FileRunLock(string directory) : IRunLock
{
    // What a refused lock throws: on Linux and macOS an IOException whose HResult is the errno of the refused flock
    // (EWOULDBLOCK: 11 on Linux, 35 on macOS); on Windows the sharing or lock violation HRESULT.
    private static readonly int[] HeldElsewhere = OperatingSystem.IsWindows()
        ? [unchecked((int)0x80070020), unchecked((int)0x80070021)]
        : OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? [35] : [11];

    public IDisposable? TryAcquire(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (runId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || runId.StartsWith('.'))
        {
            throw new ArgumentException($"'{runId}' is not a run id.", nameof(runId));
        }

        Directory.CreateDirectory(directory);
        try
        {
            // The file stays behind on release: deleting it could let a process holding the old file and one creating
            // a new file both believe they hold the run.
            return new FileStream(Path.Combine(directory, runId + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException ex) when (HeldElsewhere.Contains(ex.HResult))
        {
            // Held by another open of the file (another process, or another caller here); any other I/O error is real.
            return null;
        }
    }
}
