using System.Diagnostics;

namespace Zmq.Toolkit;

/// <summary>
/// Milliseconds from the high-resolution clock, for deadlines: Environment.TickCount64 follows
/// the kernel's coarse clock on Linux (up to 4 ms behind), and a timer due by it fired early.
/// </summary>
internal static class Clock
{
    private static readonly double TicksPerMs = Stopwatch.Frequency / 1000.0;

    public static long NowMs => (long)(Stopwatch.GetTimestamp() / TicksPerMs);
}
