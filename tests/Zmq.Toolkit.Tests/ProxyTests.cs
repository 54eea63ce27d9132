using Waits = Zmq.Tests.Infrastructure.Wait;

namespace Zmq.Toolkit.Tests;

/// <summary>
/// zmq_proxy_steerable: request-reply through ROUTER/DEALER, subscriptions upstream through
/// XSUB/XPUB, PULL/PUSH with capture, PAUSE/RESUME with counted messages (none lost or reordered),
/// STATISTICS in libzmq's layout, back-pressure, how Run ends.
/// </summary>
public sealed class ProxyTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);
    private readonly Context _context = new();
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _context.Dispose();
    }

    private T Own<T>(T socket) where T : Socket
    {
        socket.Linger = TimeSpan.Zero;
        socket.ReceiveTimeout = Long;
        socket.SendTimeout = Long;
        _owned.Add(socket);
        return socket;
    }

    private static string Inproc(string tag) => $"inproc://{tag}-{Guid.NewGuid():N}";

    /// <summary>Starts the proxy on its thread; the test ends it (Terminate) and checks how it ended.</summary>
    private Task<ProxyExit> Start(Proxy proxy, Socket? control = null)
    {
        _owned.Add(proxy);
        return proxy.Start(control);
    }

    private static ProxyExit Stop(Proxy proxy, Task<ProxyExit> run)
    {
        proxy.Terminate();
        return Waits.Result(run);
    }

    [Fact]
    public void Requests_and_replies_flow_through_router_and_dealer()
    {
        string front = Inproc("front"), back = Inproc("back");
        var router = Own(new RouterSocket(context: _context));
        router.Bind(front);
        var dealer = Own(new DealerSocket(context: _context));
        dealer.Bind(back);
        var proxy = new Proxy(router, dealer);
        var run = Start(proxy);
        var worker = Own(new RepSocket(context: _context));
        worker.Connect(back);
        var clients = Enumerable.Range(0, 3).Select(_ => { var c = Own(new ReqSocket(context: _context)); c.Connect(front); return c; }).ToList();
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < clients.Count; i++)
            {
                clients[i].SendString($"c{i} r{round}");
                string request = worker.ReceiveString();
                worker.SendString("re: " + request);
                Assert.Equal($"re: c{i} r{round}", clients[i].ReceiveString());
            }
        }
        Assert.Equal(ProxyExit.Terminated, Stop(proxy, run));
        var stats = proxy.Statistics;
        Assert.Equal(15, stats.Frontend.MessagesReceived);
        Assert.Equal(15, stats.Backend.MessagesSent);
        Assert.Equal(15, stats.Backend.MessagesReceived);
        Assert.Equal(15, stats.Frontend.MessagesSent);
    }

    [Fact]
    public void Subscriptions_flow_upstream_through_xsub_and_xpub()
    {
        string front = Inproc("xsub"), back = Inproc("xpub");
        var xsub = Own(new XSubSocket(context: _context));
        xsub.Bind(front);
        var xpub = Own(new XPubSocket(context: _context));
        xpub.Bind(back);
        var proxy = new Proxy(xsub, xpub);
        var run = Start(proxy);
        var pub = Own(new PubSocket(context: _context));
        pub.Connect(front);
        var sub = Own(new SubSocket(context: _context));
        sub.Subscribe("news");
        sub.Connect(back);
        // The publisher sends only what someone subscribed to: a message arrives once the
        // subscription went SUB -> XPUB -> proxy -> XSUB -> PUB.
        string? got = null;
        Waits.Until(() =>
        {
            pub.SendString("sport ignored");
            pub.SendString("news today");
            return sub.TryReceive(TimeSpan.FromMilliseconds(20), out var m) && (got = m.GetString(0)) is not null;
        }, "a subscribed message through the proxy");
        Assert.Equal("news today", got);
        Assert.True(proxy.Statistics.Backend.MessagesReceived >= 1, "the subscription went through the proxy");
        Assert.Equal(ProxyExit.Terminated, Stop(proxy, run));
    }

    [Fact]
    public void Pause_and_resume_lose_and_reorder_nothing_and_capture_copies_everything()
    {
        string front = Inproc("pull"), back = Inproc("push"), cap = Inproc("capture"), ctl = Inproc("control");
        var pull = Own(new PullSocket(context: _context));
        pull.Bind(front);
        var push = Own(new PushSocket(context: _context));
        push.Bind(back);
        var capture = Own(new PushSocket(context: _context));
        capture.Bind(cap);
        var controlRep = Own(new RepSocket(context: _context));
        controlRep.Bind(ctl);
        var control = Own(new ReqSocket(context: _context));
        control.Connect(ctl);
        var captured = Own(new PullSocket(context: _context));
        captured.ReceiveHighWatermark = 10_000;
        captured.Connect(cap);
        capture.SendHighWatermark = 10_000;
        var proxy = new Proxy(pull, push, capture);
        var run = Start(proxy, controlRep);
        var source = Own(new PushSocket(context: _context));
        source.Connect(front);
        var sink = Own(new PullSocket(context: _context));
        sink.Connect(back);

        for (int i = 0; i < 1000; i++) source.SendString(i.ToString());
        for (int i = 0; i < 1000; i++) Assert.Equal(i.ToString(), sink.ReceiveString());

        control.SendString("PAUSE");
        Assert.Equal([], control.ReceiveBytes()); // libzmq: a REP control socket gets an empty reply
        Assert.True(proxy.IsPaused);
        for (int i = 1000; i < 1500; i++) source.SendString(i.ToString());
        Assert.False(sink.TryReceive(TimeSpan.FromMilliseconds(100), out _), "a message passed a paused proxy");

        control.SendString("RESUME");
        Assert.Equal([], control.ReceiveBytes());
        for (int i = 1000; i < 1500; i++) Assert.Equal(i.ToString(), sink.ReceiveString());
        Assert.False(sink.TryReceive(TimeSpan.FromMilliseconds(20), out _));

        for (int i = 0; i < 1500; i++) Assert.Equal(i.ToString(), captured.ReceiveString());
        Assert.Equal(0, proxy.CaptureDropped);

        control.SendString("STATISTICS");
        var stats = ProxyStatistics.FromFrames(control.ReceiveFrames());
        long bytes = Enumerable.Range(0, 1500).Sum(i => (long)i.ToString().Length);
        Assert.Equal(new ProxySideStatistics(1500, bytes, 0, 0), stats.Frontend);
        Assert.Equal(new ProxySideStatistics(0, 0, 1500, bytes), stats.Backend);

        control.SendString("FROB");
        Assert.StartsWith("ERROR unknown command 'FROB'", control.ReceiveString());
        control.SendString("TERMINATE");
        Assert.Equal([], control.ReceiveBytes());
        Assert.Equal(ProxyExit.Terminated, Waits.Result(run));
    }

    [Fact]
    public void A_full_backend_holds_messages_back_without_losing_any()
    {
        string front = Inproc("pull"), back = Inproc("push");
        var pull = Own(new PullSocket(context: _context));
        pull.ReceiveHighWatermark = 5;
        pull.Bind(front);
        var push = Own(new PushSocket(context: _context));
        push.SendHighWatermark = 5;
        push.Bind(back);
        var proxy = new Proxy(pull, push);
        var run = Start(proxy);
        var source = Own(new PushSocket(context: _context));
        source.SendHighWatermark = 5;
        source.Connect(front);
        var sink = Own(new PullSocket(context: _context));
        sink.ReceiveHighWatermark = 5;
        sink.Connect(back);
        const int n = 300;
        var sender = new Thread(() => { for (int i = 0; i < n; i++) source.SendString(i.ToString()); });
        sender.Start();
        for (int i = 0; i < n; i++)
        {
            if (i % 50 == 0) Thread.Sleep(20); // a slow consumer: everything upstream fills up
            Assert.Equal(i.ToString(), sink.ReceiveString());
        }
        Waits.Join(sender);
        Assert.Equal(ProxyExit.Terminated, Stop(proxy, run));
        Assert.Equal(n, proxy.Statistics.Backend.MessagesSent);
    }

    [Fact]
    public void Run_ends_on_cancellation_and_when_a_socket_closes()
    {
        var pull = Own(new PullSocket(context: _context));
        pull.Bind(Inproc("a"));
        var push = Own(new PushSocket(context: _context));
        push.Bind(Inproc("b"));
        using var proxy = new Proxy(pull, push);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.Equal(ProxyExit.Cancelled, proxy.Run(cancellationToken: cts.Token));
        var run = proxy.Start();
        Thread.Sleep(20);
        Assert.Throws<InvalidOperationException>(() => proxy.Run());
        pull.Dispose();
        Assert.Equal(ProxyExit.SocketClosed, Waits.Result(run));
    }

    [Fact]
    public void Types_that_cannot_carry_anything_are_refused_naming_them()
    {
        var push = Own(new PushSocket(context: _context));
        var pull = Own(new PullSocket(context: _context));
        var pub = Own(new PubSocket(context: _context));
        var e = Assert.Throws<ArgumentException>(() => new Proxy(push, pub)); // neither receives
        Assert.Contains("PUSH frontend", e.Message);
        Assert.Contains("PUB backend", e.Message);
        using (new Proxy(push, pull)) { } // PULL backend -> PUSH frontend is a direction
        Assert.Throws<ArgumentException>(() => new Proxy(pull, push, capture: pull));
        var sub = Own(new SubSocket(context: _context));
        Assert.Throws<ArgumentException>(() => new Proxy(pull, push, capture: sub));
    }

    [Fact]
    public void Statistics_frames_are_libzmqs_layout()
    {
        var stats = new ProxyStatistics(new(1, 2, 3, 4), new(5, 6, 7, 0x0102030405060708));
        var frames = stats.ToFrames();
        Assert.Equal(8, frames.Length);
        Assert.All(frames, f => Assert.Equal(8, f.Length));
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0], frames[0]); // native (little-endian) uint64, as libzmq sends it
        Assert.Equal([8, 7, 6, 5, 4, 3, 2, 1], frames[7]);
        Assert.Equal(stats, ProxyStatistics.FromFrames(frames));
        Assert.Throws<FormatException>(() => ProxyStatistics.FromFrames([[1, 2]]));
    }
}
