using System.Net;
using System.Net.Sockets;
using Zmq.Tests.Allocation;
using Zmq.Tests.Infrastructure;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Tests.Transports;

/// <summary>
/// Out of file descriptors (EMFILE), a listener pauses accepting with a growing back-off and
/// reports ACCEPT_FAILED, instead of spinning on the pending connection; once descriptors are
/// free again it accepts what waited in the backlog. Lowers the process's descriptor limit, so it
/// runs alone in the non-parallel collection.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class AcceptBackoffTests
{
    [Fact]
    public void OutOfDescriptors_PausesWithBackoff_ThenAcceptsTheBacklog()
    {
        if (!OperatingSystem.IsLinux()) return; // the descriptor limit is set through setrlimit
        using var pull = SocketScope.Defaults(new PullSocket { Linger = TimeSpan.Zero });
        using var mon = pull.Monitor(MonitorEventType.AcceptFailed | MonitorEventType.Accepted);
        pull.Bind("tcp://127.0.0.1:*");
        var port = new Uri(pull.LastEndpoint!).Port;

        // The clients' descriptors exist before the limit drops; connecting needs none.
        var clients = Enumerable.Range(0, 3).Select(_ => new NetSocket(AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp)).ToList();
        long soft = FdLimit.Soft();
        Assert.True(soft > 0, "getrlimit failed");
        try
        {
            Assert.True(FdLimit.SetSoft(FdLimit.OpenCount()), "setrlimit failed");
            foreach (var c in clients) c.Connect(new IPEndPoint(IPAddress.Loopback, port)); // the kernel completes these in the backlog
            Thread.Sleep(700); // the listener sees them, cannot accept, backs off: 100, 200, 400 ms
        }
        finally
        {
            FdLimit.SetSoft(soft);
        }

        try
        {
            int failed = 0, accepted = 0;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (accepted < clients.Count && DateTime.UtcNow < deadline)
            {
                if (!mon.TryRead(TimeSpan.FromMilliseconds(200), out var e)) continue;
                if (e.Type == MonitorEventType.AcceptFailed)
                {
                    failed++;
                    Assert.Equal(24, e.Value); // EMFILE
                }
                else if (e.Type == MonitorEventType.Accepted) accepted++;
            }
            Assert.True(failed >= 1, "no ACCEPT_FAILED while out of descriptors");
            Assert.True(failed <= 8, $"{failed} ACCEPT_FAILED in 0.7 s: the listener spins instead of backing off");
            Assert.Equal(clients.Count, accepted);

            // Each accepted connection is served: its greeting arrives.
            var buf = new byte[10];
            foreach (var c in clients)
            {
                c.ReceiveTimeout = 5000;
                int got = 0;
                while (got < buf.Length) got += c.Receive(buf, got, buf.Length - got, SocketFlags.None);
                Assert.Equal(0xFF, buf[0]);
            }
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }
}
