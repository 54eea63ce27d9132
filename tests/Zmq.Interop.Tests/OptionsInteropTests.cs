using System.Buffers.Binary;
using System.Text;
using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>
/// The socket options whose effect crosses the wire, against libzmq 4.3.4: PROBE_ROUTER both ways,
/// REQ_CORRELATE (the request id frame, its byte order and increment), REQ_RELAXED,
/// ROUTER_HANDOVER, XPUB_VERBOSE/VERBOSER/MANUAL/WELCOME_MSG, INVERT_MATCHING and CONFLATE.
/// </summary>
public sealed class OptionsInteropTests : IDisposable
{
    private const int WaitMs = Side.WaitMs;
    private readonly List<IDisposable> _sockets = [];
    private LzContext? _ctx;

    public void Dispose()
    {
        for (int i = _sockets.Count - 1; i >= 0; i--) _sockets[i].Dispose();
        _ctx?.Dispose();
    }

    private LzSocket Lz(int type)
    {
        var s = (_ctx ??= new LzContext()).Socket(type);
        s.SetOption(LzOption.Linger, 0);
        s.SetOption(LzOption.SndTimeo, WaitMs);
        s.SetOption(LzOption.RcvTimeo, WaitMs);
        s.SetOption(LzOption.HandshakeIvl, 2000);
        s.SetOption(LzOption.ReconnectIvl, 20);
        _sockets.Add(s);
        return s;
    }

    private T Ours<T>(T s) where T : Socket
    {
        s.Linger = TimeSpan.FromMilliseconds(100);
        s.HandshakeInterval = TimeSpan.FromSeconds(2);
        s.ReconnectInterval = TimeSpan.FromMilliseconds(20);
        s.ReceiveTimeout = TimeSpan.FromMilliseconds(WaitMs);
        s.SendTimeout = TimeSpan.FromMilliseconds(WaitMs);
        _sockets.Add(s);
        return s;
    }

    private static string Bind(Socket s)
    {
        TestPorts.BindLoopback(e => s.Bind(e));
        return s.LastEndpoint!;
    }

    private static string Bind(LzSocket s)
    {
        TestPorts.BindLoopback(e => s.Bind(e));
        return s.LastEndpoint;
    }

    private static byte[][] LzReceive(LzSocket s, string what) =>
        s.ReceiveMultipart()?.ToArray() ?? throw new Xunit.Sdk.XunitException($"libzmq: nothing received within {WaitMs} ms: {what}");

    /// <summary>Receives on ours while the libzmq sockets process their commands (attaching connections, sending subscriptions).</summary>
    private static byte[][] ReceivePumping(Socket ours, string what, params LzSocket[] pump)
    {
        var deadline = Environment.TickCount64 + WaitMs;
        while (true)
        {
            foreach (var p in pump) p.GetInt(LzOption.Events);
            if (ours.TryReceive(TimeSpan.FromMilliseconds(20), out var m))
                using (m) return m.ToArrays();
            if (Environment.TickCount64 > deadline) throw new Xunit.Sdk.XunitException($"ours: nothing received within {WaitMs} ms: {what}");
        }
    }

    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);

    // ---- PROBE_ROUTER ----

    [SkippableFact]
    public void LibzmqDealerWithProbeRouter_OurRouterReceivesTheEmptyProbeFirst()
    {
        LibZmqRequired.Check();
        var router = Ours(new RouterSocket());
        var dealer = Lz(LzSocketType.Dealer);
        dealer.SetOption(LzOption.RoutingId, B("lz-dealer"));
        dealer.SetOption(LzOption.ProbeRouter, 1);
        dealer.Connect(Bind(router));
        Equal([B("lz-dealer"), []], router.ReceiveFrames(), "the probe from a libzmq DEALER with ZMQ_PROBE_ROUTER");
        router.SendFrames(B("lz-dealer"), B("hello"));
        Equal([B("hello")], LzReceive(dealer, "our ROUTER talking first, to the probed id"), "reply");
    }

    [SkippableFact]
    public void OurDealerWithProbeRouter_LibzmqRouterReceivesTheEmptyProbeFirst()
    {
        LibZmqRequired.Check();
        var router = Lz(LzSocketType.Router);
        var dealer = Ours(new DealerSocket());
        dealer.RoutingId = B("our-dealer");
        dealer.ProbeRouter = true;
        dealer.Connect(Bind(router));
        Equal([B("our-dealer"), []], LzReceive(router, "probe"), "libzmq ROUTER receiving our DEALER's probe");
        router.SendMultipart(B("our-dealer"), B("hello"));
        Assert.Equal("hello", dealer.ReceiveString());
    }

    [SkippableFact]
    public void OurReqWithProbeRouter_LibzmqRouterReceivesTheProbeBeforeTheRequest()
    {
        LibZmqRequired.Check();
        var router = Lz(LzSocketType.Router);
        var req = Ours(new ReqSocket());
        req.RoutingId = B("our-req");
        req.ProbeRouter = true;
        req.Connect(Bind(router));
        Equal([B("our-req"), []], LzReceive(router, "probe"), "probe from our REQ");
        req.SendString("request");
        Equal([B("our-req"), [], B("request")], LzReceive(router, "request"), "request after the probe");
    }

    // ---- REQ_CORRELATE / REQ_RELAXED ----

    [SkippableFact]
    public void OurReqWithCorrelate_LibzmqRouterSeesTheRequestIdFrame()
    {
        LibZmqRequired.Check();
        var router = Lz(LzSocketType.Router);
        var req = Ours(new ReqSocket());
        req.RoutingId = B("req");
        req.Correlate = true;
        req.Connect(Bind(router));
        uint? previous = null;
        for (int i = 0; i < 3; i++)
        {
            req.SendString("q" + i);
            var got = LzReceive(router, "request " + i);
            Assert.True(got.Length == 4 && got[1].Length == 4 && got[2].Length == 0, $"expected [id, request-id(4), \"\", body], got {Show(got)}");
            uint id = BinaryPrimitives.ReadUInt32LittleEndian(got[1]);
            if (previous is { } p) Assert.Equal(unchecked(p + 1), id);
            previous = id;
            var stale = (byte[])got[1].Clone();
            stale[0] ^= 0x5A;
            router.SendMultipart(got[0], stale, [], B("not this one"));
            router.SendMultipart(got[0], got[1], [], B("r" + i));
            Assert.Equal("r" + i, req.ReceiveString());
        }
    }

    [SkippableFact]
    public void LibzmqReqWithCorrelate_OurRouterSeesLittleEndianIdsGrowingByOne()
    {
        LibZmqRequired.Check();
        var router = Ours(new RouterSocket());
        var req = Lz(LzSocketType.Req);
        req.SetOption(LzOption.RoutingId, B("lz-req"));
        req.SetOption(LzOption.ReqCorrelate, 1);
        req.Connect(Bind(router));
        uint? previous = null;
        for (int i = 0; i < 3; i++)
        {
            req.SendString("q" + i);
            var got = router.ReceiveFrames();
            Assert.True(got.Length == 4 && got[1].Length == 4 && got[2].Length == 0, $"expected [id, request-id(4), \"\", body], got {Show(got)}");
            uint id = BinaryPrimitives.ReadUInt32LittleEndian(got[1]);
            if (previous is { } p) Assert.Equal(unchecked(p + 1), id); // the same order and step as ours
            previous = id;
            router.SendFrames(got[0], got[1], [], B("r" + i));
            Assert.Equal("r" + i, Text(LzReceive(req, "reply " + i)[0]));
        }
    }

    [SkippableFact]
    public void OurReqRelaxedAndCorrelated_WithLibzmqRouter_OnlyTheNewestRequestsReplyIsTaken()
    {
        LibZmqRequired.Check();
        var router = Lz(LzSocketType.Router);
        var req = Ours(new ReqSocket());
        req.RoutingId = B("req");
        req.Correlate = true;
        req.Relaxed = true;
        req.Connect(Bind(router));
        req.SendString("q1");
        var first = LzReceive(router, "q1");
        req.SendString("q2"); // relaxed: no reply needed first
        var second = LzReceive(router, "q2");
        Assert.Equal("q2", Text(second[3]));
        router.SendMultipart(first[0], first[1], [], B("late reply to q1"));
        router.SendMultipart(second[0], second[1], [], B("reply to q2"));
        Assert.Equal("reply to q2", req.ReceiveString());
    }

    // ---- ROUTER_HANDOVER ----

    [SkippableFact]
    public void OurRouterWithHandover_ASecondLibzmqDealerWithTheSameIdTakesOver()
    {
        LibZmqRequired.Check();
        var router = Ours(new RouterSocket());
        router.Handover = true;
        router.Mandatory = true;
        var ep = Bind(router);
        var first = Lz(LzSocketType.Dealer);
        first.SetOption(LzOption.RoutingId, B("X"));
        first.SetOption(LzOption.ReconnectIvl, -1); // once handed over, it stays away
        first.Connect(ep);
        first.SendString("from first");
        Equal([B("X"), B("from first")], router.ReceiveFrames(), "first");

        var second = Lz(LzSocketType.Dealer);
        second.SetOption(LzOption.RoutingId, B("X"));
        second.Connect(ep);
        second.SendString("from second");
        Equal([B("X"), B("from second")], ReceivePumping(router, "second", first, second), "second, same id");
        router.SendFrames(B("X"), B("to X"));
        Equal([B("to X")], LzReceive(second, "the id now routes to the second"), "handed over");
        first.SetOption(LzOption.RcvTimeo, 200);
        Assert.Null(first.ReceiveMultipart());
    }

    [SkippableFact]
    public void OurRouterWithoutHandover_RefusesTheSecondLibzmqDealer()
    {
        LibZmqRequired.Check();
        var router = Ours(new RouterSocket());
        router.Mandatory = true;
        var ep = Bind(router);
        var first = Lz(LzSocketType.Dealer);
        first.SetOption(LzOption.RoutingId, B("X"));
        first.Connect(ep);
        first.SendString("from first");
        Equal([B("X"), B("from first")], router.ReceiveFrames(), "first");
        var second = Lz(LzSocketType.Dealer);
        second.SetOption(LzOption.RoutingId, B("X"));
        second.Connect(ep);
        second.SetOption(LzOption.SndTimeo, 0);
        second.SendString("from second"); // queued in libzmq; our ROUTER refuses the connection
        Assert.False(router.TryReceive(TimeSpan.FromMilliseconds(300), out _));
        router.SendFrames(B("X"), B("to X"));
        Equal([B("to X")], LzReceive(first, "the id still routes to the first"), "kept");
    }

    // ---- XPUB options ----

    [SkippableFact]
    public void OurXPubVerboseAndVerboser_SeeEveryLibzmqSubscriptionAndCancel()
    {
        LibZmqRequired.Check();
        var xpub = Ours(new XPubSocket());
        xpub.Verboser = true;
        var ep = Bind(xpub);
        var a = Lz(LzSocketType.Sub);
        var b = Lz(LzSocketType.Sub);
        a.Connect(ep);
        b.Connect(ep);
        a.Subscribe("A");
        Equal([[1, .. B("A")]], ReceivePumping(xpub, "+A from a", a, b), "first subscribe");
        b.Subscribe("A");
        Equal([[1, .. B("A")]], ReceivePumping(xpub, "+A from b (verbose)", a, b), "duplicate subscribe passed up");
        a.Unsubscribe("A");
        Equal([[0, .. B("A")]], ReceivePumping(xpub, "-A from a (verboser)", a, b), "non-last unsubscribe passed up");
        b.Unsubscribe("A");
        Equal([[0, .. B("A")]], ReceivePumping(xpub, "-A from b", a, b), "last unsubscribe");
    }

    [SkippableFact]
    public void OurXPubWelcomeMessage_ReachesALibzmqSub()
    {
        LibZmqRequired.Check();
        var xpub = Ours(new XPubSocket());
        xpub.WelcomeMessage = B("WELCOME");
        var sub = Lz(LzSocketType.Sub);
        sub.Subscribe("WELCOME");
        sub.Connect(Bind(xpub));
        Equal([B("WELCOME")], LzReceive(sub, "welcome message"), "XPUB_WELCOME_MSG");
    }

    [SkippableFact]
    public void OurXPubManual_LibzmqSubGetsOnlyWhatTheApplicationSubscribedItTo()
    {
        LibZmqRequired.Check();
        var xpub = Ours(new XPubSocket());
        xpub.Manual = true;
        var sub = Lz(LzSocketType.Sub);
        sub.Connect(Bind(xpub));
        sub.Subscribe(""); // asks for everything; the XPUB application decides
        Equal([[1]], ReceivePumping(xpub, "the SUB's request", sub), "manual: request passed up");
        xpub.Subscribe("news");
        xpub.SendString("sports");
        xpub.SendString("news:1");
        Equal([B("news:1")], LzReceive(sub, "manually subscribed topic"), "only the applied topic");
    }

    // ---- INVERT_MATCHING ----

    [SkippableFact]
    public void OurPubInverted_LibzmqSubInverted()
    {
        LibZmqRequired.Check();
        var pub = Ours(new PubSocket());
        pub.InvertMatching = true;
        var sub = Lz(LzSocketType.Sub);
        sub.SetOption(LzOption.InvertMatching, 1);
        sub.Subscribe("A");
        sub.Connect(Bind(pub));
        SettleLz(pub, sub, "probe");
        pub.SendString("A1");
        pub.SendString("B1");
        Equal([B("B1")], LzReceive(sub, "non-matching message"), "inverted");
    }

    [SkippableFact]
    public void LibzmqPubInverted_OurSubInverted()
    {
        LibZmqRequired.Check();
        var pub = Lz(LzSocketType.Pub);
        pub.SetOption(LzOption.InvertMatching, 1);
        var sub = Ours(new SubSocket());
        sub.InvertMatching = true;
        sub.Subscribe("A");
        sub.Connect(Bind(pub));
        var deadline = Environment.TickCount64 + WaitMs;
        while (true)
        {
            pub.SendString("probe");
            if (sub.TryReceive(TimeSpan.FromMilliseconds(20), out var m))
            {
                using (m) Assert.Equal("probe", m.GetString(0));
                break;
            }
            Assert.True(Environment.TickCount64 < deadline, "our inverted SUB never got the libzmq PUB's probe");
        }
        pub.SendString("A1");
        pub.SendString("B1");
        string next;
        do next = sub.ReceiveString(); while (next == "probe");
        Assert.Equal("B1", next);
    }

    private static void SettleLz(Socket pub, LzSocket sub, string probe)
    {
        sub.SetOption(LzOption.RcvTimeo, 20);
        var deadline = Environment.TickCount64 + WaitMs;
        while (true)
        {
            pub.SendString(probe);
            var got = sub.ReceiveMultipart();
            if (got is not null && got.Count == 1 && Text(got[0]) == probe) break;
            Assert.True(Environment.TickCount64 < deadline, $"libzmq SUB never received \"{probe}\"");
        }
        sub.SetOption(LzOption.RcvTimeo, 300);
        while (sub.ReceiveMultipart() is { } extra) Assert.Equal(probe, Text(extra[0]));
        sub.SetOption(LzOption.RcvTimeo, WaitMs);
    }

    // ---- CONFLATE ----

    [SkippableFact]
    public void OurPushConflating_BeforeTheLibzmqPullExists_OnlyTheNewestArrives()
    {
        LibZmqRequired.Check();
        var ep = $"tcp://127.0.0.1:{Zmq.Tests.Infrastructure.Ports.Free()}"; // nobody there yet
        var push = Ours(new PushSocket());
        push.Conflate = true;
        push.Connect(ep);
        for (int i = 0; i < 50; i++) Assert.True(push.TrySend(B("m" + i)));
        var pull = Lz(LzSocketType.Pull);
        pull.Bind(ep);
        Equal([B("m49")], LzReceive(pull, "the newest"), "conflated");
        pull.SetOption(LzOption.RcvTimeo, 200);
        Assert.Null(pull.ReceiveMultipart());
    }

    [SkippableFact]
    public void LibzmqPush_OurPullConflating_ReceivesTheNewest()
    {
        LibZmqRequired.Check();
        var pull = Ours(new PullSocket());
        pull.Conflate = true;
        pull.ReceiveHighWatermark = 10;
        var push = Lz(LzSocketType.Push);
        push.Connect(Bind(pull));
        for (int i = 0; i < 200; i++) push.SendString("m" + i);
        var got = new List<string>();
        while (got.Count == 0 || got[^1] != "m199") got.Add(Text(ReceivePumping(pull, "the newest", push)[0]));
        Assert.True(got.Count < 100, $"{got.Count} messages received: not conflated");
        Assert.False(pull.TryReceive(TimeSpan.FromMilliseconds(200), out _));
    }
}
