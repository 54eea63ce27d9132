using System.Runtime.InteropServices;

namespace Zmq.Tests.Infrastructure;

/// <summary>Raises this process's open-file limit (RLIMIT_NOFILE) to its hard limit, for tests with thousands of connections.</summary>
public static partial class FdLimit
{
    private const int RlimitNofile = 7; // Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    /// <summary>Raises the soft limit to the hard one (Linux); returns the soft limit now in force (or int.MaxValue elsewhere).</summary>
    public static long Raise()
    {
        if (!OperatingSystem.IsLinux()) return int.MaxValue;
        if (getrlimit(RlimitNofile, out var lim) != 0) return 1024;
        if (lim.Current < lim.Max)
        {
            var raised = new RLimit { Current = lim.Max, Max = lim.Max };
            if (setrlimit(RlimitNofile, in raised) == 0) lim.Current = lim.Max;
        }
        return (long)Math.Min(lim.Current, long.MaxValue);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit rlim);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in RLimit rlim);
}
