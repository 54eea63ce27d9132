using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;
using Zmq.Tests.Allocation;
using Zmq.Tests.Infrastructure;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Tests.Lifecycle;

/// <summary>
/// The library's threads are a fixed set: a thousand connections, or a thousand that never finish
/// their handshake, cost no thread each, and closing a socket with stalled handshakes is immediate.
/// Runs alone (process-wide thread counts), in the non-parallel collection.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class ScaleTests(ITestOutputHelper output)
{
    private static int Threads() => Process.GetCurrentProcess().Threads.Count;

    /// <summary>Threads named by the library (zmq-...), from /proc on Linux; -1 elsewhere.</summary>
    private static int LibraryThreads()
    {
        if (!OperatingSystem.IsLinux()) return -1;
        int n = 0;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith("zmq-", StringComparison.Ordinal)) n++;
            }
            catch (IOException)
            {
                // the thread ended meanwhile
            }
        }
        return n;
    }

    private static void Settle() => Wait.For(() => false, TimeSpan.FromMilliseconds(200));

    [Fact]
    public void AThousandConnections_AddNoThreads()
    {
        Assert.True(FdLimit.Raise() >= 2500, "needs at least 2,500 open files (two ends of 1,000 connections)");
        using var context = new Context();
        var router = SocketScope.Defaults(new RouterSocket(context: context) { Backlog = 2000, Linger = TimeSpan.Zero });
        router.Bind("tcp://127.0.0.1:*");
        string ep = router.LastEndpoint!;
        var dealers = new List<DealerSocket>();
        try
        {
            void Connect(int n)
            {
                for (int i = 0; i < n; i++)
                {
                    var d = SocketScope.Defaults(new DealerSocket(context: context) { Linger = TimeSpan.Zero });
                    d.Connect(ep);
                    dealers.Add(d);
                }
            }

            void RoundTrip(int from)
            {
                for (int i = from; i < dealers.Count; i++) dealers[i].SendString("hello");
                for (int i = from; i < dealers.Count; i++)
                {
                    var frames = router.ReceiveFrames();
                    router.SendFrames(frames[0], "world"u8.ToArray());
                }
                for (int i = from; i < dealers.Count; i++) Assert.Equal("world", dealers[i].ReceiveString());
            }

            Connect(1);
            RoundTrip(0);
            Settle();
            int baseline = Threads();
            int libBaseline = LibraryThreads();

            Connect(999);
            RoundTrip(1);
            Settle();
            int threads = Threads(), lib = LibraryThreads();
            output.WriteLine($"1 connection: {baseline} threads ({libBaseline} of the library); 1,000 connections: {threads} ({lib} of the library)");
            Assert.True(threads <= baseline + 3, $"1,000 connections took the process from {baseline} to {threads} threads");
            if (lib >= 0) Assert.True(lib <= context.IoThreads + 4, $"{lib} library threads for {context.IoThreads} I/O thread(s)");
        }
        finally
        {
            foreach (var d in dealers) d.Dispose();
            router.Dispose();
        }
    }

    [Fact]
    public void StalledHandshakes_CostNoThreads_AndDisposeReturnsAtOnce()
    {
        Assert.True(FdLimit.Raise() >= 2500, "needs at least 2,500 open files");
        using var context = new Context();
        var pull = new PullSocket(context: context) { Backlog = 2000, HandshakeInterval = TimeSpan.FromSeconds(30), ReceiveTimeout = TimeSpan.FromSeconds(5) };
        pull.Bind("tcp://127.0.0.1:*");
        var port = new IPEndPoint(IPAddress.Loopback, int.Parse(pull.LastEndpoint!.Split(':')[^1]));
        var push = new PushSocket(">" + pull.LastEndpoint, context) { Linger = TimeSpan.Zero };
        push.SendString("first");
        Assert.Equal("first", pull.ReceiveString());
        Settle();
        int baseline = Threads();

        var silent = new List<NetSocket>();
        try
        {
            // 800 that never send a byte, 200 that stop halfway through the greeting.
            for (int i = 0; i < 1000; i++)
            {
                var s = new NetSocket(AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp);
                s.Connect(port);
                if (i >= 800) s.Send(RawPeer.Greeting().AsSpan(0, 5));
                silent.Add(s);
            }
            // The good peer is still served while they hang.
            push.SendString("second");
            Assert.Equal("second", pull.ReceiveString());
            Settle();
            int threads = Threads();
            output.WriteLine($"threads: {baseline} with one peer, {threads} with 1,000 stalled handshakes besides");
            Assert.True(threads <= baseline + 3, $"1,000 stalled handshakes took the process from {baseline} to {threads} threads");

            var sw = Stopwatch.StartNew();
            pull.Dispose();
            output.WriteLine($"Dispose with 1,000 stalled handshakes: {sw.ElapsedMilliseconds} ms");
            Assert.True(sw.ElapsedMilliseconds < 1000, $"Dispose took {sw.ElapsedMilliseconds} ms");
        }
        finally
        {
            foreach (var s in silent) s.Dispose();
            push.Dispose();
            pull.Dispose();
        }
    }
}
