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

    /// <summary>The soft limit now (Linux; -1 elsewhere or on failure).</summary>
    public static long Soft() => OperatingSystem.IsLinux() && getrlimit(RlimitNofile, out var lim) == 0 ? (long)Math.Min(lim.Current, long.MaxValue) : -1;

    /// <summary>Sets the soft limit (Linux), keeping the hard one; false when it failed.</summary>
    public static bool SetSoft(long soft)
    {
        if (!OperatingSystem.IsLinux() || getrlimit(RlimitNofile, out var lim) != 0) return false;
        var next = new RLimit { Current = (ulong)soft, Max = lim.Max };
        return setrlimit(RlimitNofile, in next) == 0;
    }

    /// <summary>Descriptors open in this process now (Linux; -1 elsewhere).</summary>
    public static int OpenCount() => OperatingSystem.IsLinux() ? Directory.GetFiles("/proc/self/fd").Length - 1 : -1; // less the directory's own

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit rlim);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in RLimit rlim);
}
