using System.Net;
using Zmq.Transports;

namespace Zmq.Tests.Diagnostics;

/// <summary>Bounded reads from a <see cref="SocketMonitor"/> with readable failure messages.</summary>
internal static class MonitorExpect
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static MonitorEvent Next(SocketMonitor monitor, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        if (!monitor.TryRead(limit, out var e)) Assert.Fail($"no monitor event within {limit.TotalMilliseconds:0} ms");
        return e;
    }

    /// <summary>The next event, which must be of <paramref name="type"/>.</summary>
    public static MonitorEvent Expect(SocketMonitor monitor, MonitorEventType type, TimeSpan? timeout = null)
    {
        var e = Next(monitor, timeout);
        Assert.True(e.Type == type, $"expected {MonitorEvent.NameOf(type)}, got {e}");
        return e;
    }

    /// <summary>Events up to and including the first of <paramref name="type"/>.</summary>
    public static List<MonitorEvent> Until(SocketMonitor monitor, MonitorEventType type, TimeSpan? timeout = null)
    {
        var seen = new List<MonitorEvent>();
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            MonitorEvent? e = null;
            if (left <= TimeSpan.Zero || !monitor.TryRead(left, out e))
                Assert.Fail($"no {MonitorEvent.NameOf(type)} within {(timeout ?? Timeout).TotalMilliseconds:0} ms; saw: {Names(seen)}");
            seen.Add(e!);
            if (e!.Type == type) return seen;
        }
    }

    /// <summary>Nothing arrives for <paramref name="period"/>.</summary>
    public static void Quiet(SocketMonitor monitor, TimeSpan period)
    {
        if (monitor.TryRead(period, out var e)) Assert.Fail($"unexpected monitor event {e}");
    }

    public static string Names(IEnumerable<MonitorEvent> events) => string.Join(", ", events.Select(e => e.Name));

    /// <summary>The tcp endpoint of a System.Net socket's local end, as our monitor names peers.</summary>
    public static string LocalEndpoint(System.Net.Sockets.Socket s) => TcpAddress.Format((IPEndPoint)s.LocalEndPoint!);
}
