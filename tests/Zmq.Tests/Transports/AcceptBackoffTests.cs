using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Zmq.Tests.Infrastructure;
using Zmq.Transports;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Tests.Transports;

/// <summary>
/// Out of file descriptors (EMFILE), a listener pauses accepting with a growing back-off and
/// reports ACCEPT_FAILED instead of spinning on the pending connection; once accepting works again
/// it takes what waited in the backlog. The failure is injected for this test's listener only
/// (<see cref="Listener.FailAcceptFor"/>): lowering the real limit was tried, and a .NET process at
/// its descriptor limit is sometimes aborted by its own runtime ("Out of memory.").
/// </summary>
public sealed class AcceptBackoffTests
{
    [Fact]
    public void OutOfDescriptors_PausesWithBackoff_ThenAcceptsTheBacklog()
    {
        using var pull = SocketScope.Defaults(new PullSocket { Linger = TimeSpan.Zero });
        using var mon = pull.Monitor(MonitorEventType.AcceptFailed | MonitorEventType.Accepted);
        pull.Bind("tcp://127.0.0.1:*");
        string endpoint = pull.LastEndpoint!;
        var port = new Uri(endpoint).Port;

        var failing = Stopwatch.StartNew();
        int attempts = 0;
        Listener.FailAcceptFor = ep => ep == endpoint && failing.ElapsedMilliseconds < 700 && Interlocked.Increment(ref attempts) > 0;
        var clients = Enumerable.Range(0, 3).Select(_ => new NetSocket(AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp)).ToList();
        try
        {
            foreach (var c in clients) c.Connect(new IPEndPoint(IPAddress.Loopback, port)); // completed by the kernel into the backlog
            int failed = 0, accepted = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (accepted < clients.Count && DateTime.UtcNow < deadline)
            {
                if (!mon.TryRead(TimeSpan.FromMilliseconds(200), out var e)) continue;
                if (e.Type == MonitorEventType.AcceptFailed)
                {
                    failed++;
                    Assert.Equal(endpoint, e.Endpoint);
                    if (OperatingSystem.IsLinux()) Assert.Equal(24, e.Value); // EMFILE
                }
                else if (e.Type == MonitorEventType.Accepted)
                {
                    accepted++;
                    Assert.True(failing.ElapsedMilliseconds >= 700, "accepted while accepting was failing");
                }
            }
            Assert.True(failed >= 1, "no ACCEPT_FAILED while accepting failed");
            // 700 ms of failures at back-offs of 100, 200, 400, 800 ms: four or five tries, not thousands.
            Assert.True(attempts <= 8, $"{attempts} accepts tried in 0.7 s: the listener spins instead of backing off");
            Assert.Equal(attempts, failed);
            Assert.Equal(clients.Count, accepted);

            // Each accepted connection is served: its greeting arrives.
            var buf = new byte[10];
            foreach (var c in clients)
            {
                c.ReceiveTimeout = 5000;
                int got = 0;
                while (got < buf.Length)
                {
                    int n = c.Receive(buf, got, buf.Length - got, SocketFlags.None);
                    Assert.True(n > 0, "connection closed before its greeting");
                    got += n;
                }
                Assert.Equal(0xFF, buf[0]);
            }
        }
        finally
        {
            Listener.FailAcceptFor = null;
            foreach (var c in clients) c.Dispose();
        }
    }
}
