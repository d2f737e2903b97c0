using System.Runtime.InteropServices;

namespace EvalLoop.Benchmarks;

/// <summary>The few Linux calls the benchmark needs and .NET does not expose: an absolute monotonic sleep and a child's rusage.</summary>
internal static class NativeMethods
{
    public const int ClockMonotonic = 1;
    public const int TimerAbsoluteTime = 1;
    public const int RusageChildren = -1;
    public const int ErrorInterrupted = 4;

    /// <summary>Sleeps until <paramref name="request"/> on <paramref name="clock"/>; returns 0 or an errno (not -1).</summary>
    [DllImport("libc", EntryPoint = "clock_nanosleep")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int ClockNanosleep(int clock, int flags, ref Timespec request, IntPtr remaining);

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int GetRusage(int who, out Rusage usage);

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Timeval
    {
        public long Seconds;
        public long Microseconds;

        public readonly double TotalSeconds => Seconds + (Microseconds / 1e6);
    }

    /// <summary>Linux x86-64/arm64 <c>struct rusage</c>; <see cref="MaxResidentKilobytes"/> is <c>ru_maxrss</c> in KiB.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Rusage
    {
        public Timeval UserTime;
        public Timeval SystemTime;
        public long MaxResidentKilobytes;
        public long SharedMemory;
        public long UnsharedData;
        public long UnsharedStack;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlockInputs;
        public long BlockOutputs;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntaryContextSwitches;
        public long InvoluntaryContextSwitches;
    }
}
