using System.Diagnostics;
using System.Text;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Contract;

/// <summary>PUSH/PULL, REQ/REP, DEALER/ROUTER and PAIR between our own sockets.</summary>
public abstract class PatternContract : ContractBase
{
    protected PatternContract(bool portablePoller = false) : base(portablePoller) { }

    // ---------------- PUSH / PULL ----------------

    [Fact]
    public void PushPull_RoundRobinOverTwoPullers()
    {
        var pull1 = S.Pull();
        var pull2 = S.Pull();
        var ep1 = Bind(pull1);
        var ep2 = Bind(pull2);
        var push = S.Push();
        push.Connect(ep1); // connect-side peers join routing at Connect: strict alternation from the first message
        push.Connect(ep2);
        for (int i = 0; i < 20; i++) push.SendString("m" + i);
        var got1 = Enumerable.Range(0, 10).Select(_ => pull1.ReceiveString()).ToArray();
        var got2 = Enumerable.Range(0, 10).Select(_ => pull2.ReceiveString()).ToArray();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "m" + (2 * i)), got1);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "m" + (2 * i + 1)), got2);
        Assert.False(pull1.TryReceive(out _));
    }

    [Fact]
    public void PushPull_BoundPush_SpreadsEvenlyOverConnectedPullers()
    {
        var push = S.Push();
        var ep = Bind(push);
        var pulls = new[] { S.Pull(), S.Pull(), S.Pull() };
        foreach (var p in pulls) p.Connect(ep);
        SocketProbe.WaitConnected(push, 3);
        for (int i = 0; i < 30; i++) push.SendString("m" + i);
        foreach (var p in pulls)
        {
            var got = Enumerable.Range(0, 10).Select(_ => int.Parse(p.ReceiveString().AsSpan(1))).ToArray();
            Assert.All(got.Zip(got.Skip(1)), pair => Assert.Equal(pair.First + 3, pair.Second)); // every third message
        }
    }

    [Fact]
    public void PushPull_FairQueuingFromTwoPushers()
    {
        const int N = 50;
        var pull = S.Pull();
        var ep = Bind(pull);
        var a = S.Push();
        var b = S.Push();
        a.Connect(ep);
        b.Connect(ep);
        SocketProbe.WaitConnected(pull, 2);
        for (int i = 0; i < N; i++) a.SendString("a" + i);
        for (int i = 0; i < N; i++) b.SendString("b" + i);
        // Wait until both streams sit in the PULL's queues, then check the receive order.
        Wait.Until(() => SocketProbe.InboundCount(pull) == 2 * N, "all messages are queued at the PULL");
        var got = Enumerable.Range(0, 2 * N).Select(_ => pull.ReceiveString()).ToArray();
        for (int i = 1; i < got.Length; i++)
            Assert.True(got[i][0] != got[i - 1][0], $"not fair at {i}: {got[i - 1]} then {got[i]}");
        Assert.Equal(Enumerable.Range(0, N).Select(i => "a" + i), got.Where(s => s[0] == 'a'));
        Assert.Equal(Enumerable.Range(0, N).Select(i => "b" + i), got.Where(s => s[0] == 'b'));
    }

    [Fact]
    public void Push_WithoutPeers_WouldBlock()
    {
        var push = S.Push();
        Assert.False(push.TrySend("x"u8));
        push.SendTimeout = TimeSpan.FromMilliseconds(100);
        var ex = Assert.Throws<ZmqTimeoutException>(() => push.SendString("x"));
        Assert.Equal(ZmqError.Timeout, ex.Error);
        Assert.Equal(SocketType.Push, ex.SocketType);
    }

    [Fact]
    public void Push_BlocksAtHighWatermark_ThenResumes()
    {
        var pull = S.Pull();
        pull.ReceiveHighWatermark = 1;
        var ep = Bind(pull);
        var push = S.Push();
        push.SendHighWatermark = 1;
        push.Connect(ep);
        SocketProbe.WaitConnected(push, 1);

        var payload = new byte[64 * 1024];
        int sent = 0;
        // Fill the pipes and the kernel buffers until nothing moves for 300 ms.
        while (push.TrySend(payload, TimeSpan.FromMilliseconds(300)))
        {
            if (++sent > 5000) Assert.Fail("PUSH never became full");
        }
        Assert.False(push.TrySend(payload));

        push.SendTimeout = TimeSpan.FromMilliseconds(150);
        var sw = Stopwatch.StartNew();
        Assert.Throws<ZmqTimeoutException>(() => push.Send(payload));
        Assert.InRange(sw.ElapsedMilliseconds, 100, 5000);

        for (int i = 0; i < sent; i++)
        {
            using var m = pull.Receive();
            Assert.Equal(payload.Length, m.GetSpan(0).Length);
        }
        Assert.True(push.TrySend("more"u8, TimeSpan.FromSeconds(5)));
        Assert.Equal("more", pull.ReceiveString());
    }

    /// <summary>
    /// Regression test for a fixed BUG (Routing/LoadBalancer.cs Pick; see LoadBalancerTests): after two of three bound-side
    /// peers leave, the round-robin cursor points past the end of the peer list and Send throws
    /// ArgumentOutOfRangeException instead of sending to the remaining peer.
    /// </summary>
    [Fact]
    [Trait("Category", "Regression")]
    [Trait("Bug", "LoadBalancer cursor past the end after peers leave (fixed)")]
    public void Push_KeepsSending_WhenPullersLeave()
    {
        var push = S.Push();
        var ep = Bind(push);
        var pulls = new[] { S.Pull(), S.Pull(), S.Pull() };
        foreach (var p in pulls) p.Connect(ep);
        SocketProbe.WaitConnected(push, 3);
        push.SendString("m0");
        push.SendString("m1"); // cursor now at the third peer
        pulls[1].Dispose();
        pulls[2].Dispose();
        Wait.Until(() => SocketProbe.PeerCount(push) == 1, "the PUSH forgot the two pullers that left");
        push.SendString("after");
        Assert.Equal("after", ReceiveUntil(pulls[0], "after").Last());
    }

    /// <summary>
    /// Regression test for a fixed BUG (Routing/FairQueue.cs Pick; see FairQueueTests): after the PULL took a message from its
    /// second peer (cursor at the third) and two pushers left, Receive throws
    /// ArgumentOutOfRangeException instead of returning the remaining pusher's message.
    /// </summary>
    [Fact]
    [Trait("Category", "Regression")]
    [Trait("Bug", "FairQueue cursor past the end after peers leave (fixed)")]
    public void Pull_KeepsReceiving_WhenPushersLeave()
    {
        var pull = S.Pull();
        var ep = Bind(pull);
        var pushes = new[] { S.Push(), S.Push(), S.Push() };
        for (int i = 0; i < 3; i++)
        {
            pushes[i].Connect(ep);
            SocketProbe.WaitConnected(pull, i + 1); // attach order = peer-list order
        }
        pushes[1].SendString("from the second");
        Assert.Equal("from the second", pull.ReceiveString()); // cursor now at the third peer
        pushes[1].Dispose();
        pushes[2].Dispose();
        Wait.Until(() => SocketProbe.PeerCount(pull) == 1, "the PULL forgot the two pushers that left");
        pushes[0].SendString("from the first");
        Assert.Equal("from the first", pull.ReceiveString());
    }

    // ---------------- REQ / REP ----------------

    [Fact]
    public void ReqRep_RoundTrips()
    {
        var rep = S.Rep();
        var ep = Bind(rep);
        var req = S.Req();
        req.Connect(ep);
        for (int i = 0; i < 10; i++)
        {
            req.SendString("ping" + i);
            Assert.Equal("ping" + i, rep.ReceiveString());
            rep.SendFrames("pong", i.ToString());
            Assert.Equal(["pong", i.ToString()], req.ReceiveStrings());
        }
    }

    [Fact]
    public void Req_SendTwice_ThrowsInvalidState()
    {
        var rep = S.Rep();
        var ep = Bind(rep);
        var req = S.Req();
        req.Connect(ep);
        req.SendString("first");
        var ex = Assert.Throws<ZmqException>(() => req.SendString("second"));
        Assert.Equal(ZmqError.InvalidState, ex.Error);
        Assert.Equal(SocketType.Req, ex.SocketType);
        // the first request is unaffected
        Assert.Equal("first", rep.ReceiveString());
        rep.SendString("reply");
        Assert.Equal("reply", req.ReceiveString());
        req.SendString("third"); // allowed again
    }

    [Fact]
    public void Req_ReceiveBeforeSend_ThrowsInvalidState()
    {
        var req = S.Req();
        var ex = Assert.Throws<ZmqException>(() => req.TryReceive(out _));
        Assert.Equal(ZmqError.InvalidState, ex.Error);
    }

    [Fact]
    public void Rep_SendBeforeReceive_ThrowsInvalidState()
    {
        var rep = S.Rep();
        Bind(rep);
        var ex = Assert.Throws<ZmqException>(() => rep.SendString("unasked"));
        Assert.Equal(ZmqError.InvalidState, ex.Error);
        Assert.Equal(SocketType.Rep, ex.SocketType);
    }

    [Fact]
    public void Rep_ReceiveTwice_ThrowsInvalidState()
    {
        var rep = S.Rep();
        var ep = Bind(rep);
        var req = S.Req();
        req.Connect(ep);
        req.SendString("q");
        Assert.Equal("q", rep.ReceiveString());
        var ex = Assert.Throws<ZmqException>(() => rep.TryReceive(out _));
        Assert.Equal(ZmqError.InvalidState, ex.Error);
    }

    [Fact]
    public void Req_RoundRobinsOverTwoReps()
    {
        var rep1 = S.Rep();
        var rep2 = S.Rep();
        var ep1 = Bind(rep1);
        var ep2 = Bind(rep2);
        var req = S.Req();
        req.Connect(ep1);
        req.Connect(ep2);
        for (int i = 0; i < 6; i++)
        {
            var rep = i % 2 == 0 ? rep1 : rep2;
            req.SendString("q" + i);
            Assert.Equal("q" + i, rep.ReceiveString());
            rep.SendString(i % 2 == 0 ? "one" : "two");
            Assert.Equal(i % 2 == 0 ? "one" : "two", req.ReceiveString());
        }
    }

    [Fact]
    public void Req_ToRouter_SeesTheEnvelope()
    {
        var router = S.Router();
        var ep = Bind(router);
        var req = S.Req();
        req.Connect(ep);
        req.SendFrames("hello", "world");
        var frames = router.ReceiveFrames();
        Assert.Equal(4, frames.Length);
        Assert.Equal(5, frames[0].Length); // generated routing id
        Assert.Empty(frames[1]);           // delimiter
        Assert.Equal("hello", Encoding.UTF8.GetString(frames[2]));
        Assert.Equal("world", Encoding.UTF8.GetString(frames[3]));

        // A reply without the delimiter is malformed: REQ drops it and waits for a good one.
        router.SendFrames(frames[0], "bogus"u8.ToArray());
        router.SendFrames(frames[0], [], "answer"u8.ToArray());
        Assert.Equal("answer", req.ReceiveString());
    }

    [Fact]
    public void Dealer_ToRep()
    {
        var rep = S.Rep();
        var ep = Bind(rep);
        var dealer = S.Dealer();
        dealer.Connect(ep);
        dealer.SendFrames([], "request"u8.ToArray());
        Assert.Equal("request", rep.ReceiveString());
        rep.SendString("reply");
        var frames = dealer.ReceiveFrames();
        Assert.Equal(2, frames.Length);
        Assert.Empty(frames[0]);
        Assert.Equal("reply", Encoding.UTF8.GetString(frames[1]));
    }

    [Fact]
    public void Rep_KeepsAMultiHopEnvelope()
    {
        var rep = S.Rep();
        var ep = Bind(rep);
        var dealer = S.Dealer();
        dealer.Connect(ep);
        dealer.SendFrames("hop1"u8.ToArray(), "hop2"u8.ToArray(), [], "body"u8.ToArray());
        Assert.Equal("body", rep.ReceiveString());
        rep.SendString("answer");
        var frames = dealer.ReceiveFrames();
        Assert.Equal(["hop1", "hop2", "", "answer"], frames.Select(Encoding.UTF8.GetString));
    }

    // ---------------- DEALER / ROUTER ----------------

    [Fact]
    public void DealerRouter_ExplicitRoutingId()
    {
        var router = S.Router();
        var ep = Bind(router);
        var dealer = S.Dealer();
        dealer.RoutingId = "client-1"u8.ToArray();
        dealer.Connect(ep);
        dealer.SendString("hi");
        var frames = router.ReceiveFrames();
        Assert.Equal("client-1", Encoding.UTF8.GetString(frames[0]));
        Assert.Equal("hi", Encoding.UTF8.GetString(frames[1]));
        router.SendFrames("client-1", "back");
        Assert.Equal("back", dealer.ReceiveString());
    }

    [Fact]
    public void DealerRouter_GeneratedIds_AreFiveBytesStartingWithZero_AndDistinct()
    {
        var router = S.Router();
        var ep = Bind(router);
        var d1 = S.Dealer();
        var d2 = S.Dealer();
        d1.Connect(ep);
        d2.Connect(ep);
        d1.SendString("one");
        d2.SendString("two");
        var ids = new Dictionary<string, byte[]>();
        for (int i = 0; i < 2; i++)
        {
            var f = router.ReceiveFrames();
            ids[Encoding.UTF8.GetString(f[1])] = f[0];
        }
        Assert.All(ids.Values, id =>
        {
            Assert.Equal(5, id.Length);
            Assert.Equal(0, id[0]);
        });
        Assert.NotEqual(ids["one"], ids["two"]);
        router.SendFrames(ids["two"], "to-two"u8.ToArray());
        router.SendFrames(ids["one"], "to-one"u8.ToArray());
        Assert.Equal("to-one", d1.ReceiveString());
        Assert.Equal("to-two", d2.ReceiveString());
    }

    [Fact]
    public void Router_Mandatory_UnknownId_ThrowsHostUnreachable()
    {
        var router = S.Router();
        Bind(router);
        router.Mandatory = true;
        var ex = Assert.Throws<ZmqException>(() => router.SendFrames("nobody", "x"));
        Assert.Equal(ZmqError.HostUnreachable, ex.Error);
        Assert.Equal(SocketType.Router, ex.SocketType);
        Assert.Contains(Convert.ToHexStringLower("nobody"u8), ex.Message);
    }

    [Fact]
    public void Router_NotMandatory_UnknownId_DropsSilently()
    {
        var router = S.Router();
        var ep = Bind(router);
        var dealer = S.Dealer();
        dealer.RoutingId = "d"u8.ToArray();
        dealer.Connect(ep);
        dealer.SendString("hello");
        Assert.Equal("hello", router.ReceiveStrings()[1]);
        var sw = Stopwatch.StartNew();
        router.SendFrames("nobody", "lost");      // returns at once, no error
        Assert.True(router.TrySend(new Message().Add("nobody").Add("lost")));
        Assert.True(sw.ElapsedMilliseconds < 1000);
        router.SendFrames("d", "delivered");
        Assert.Equal("delivered", dealer.ReceiveString());
    }

    [Fact]
    public void Router_MessageWithoutRoutingFrame_IsInvalid()
    {
        var router = S.Router();
        var ex = Assert.Throws<ZmqException>(() => router.SendString("just one frame"));
        Assert.Equal(ZmqError.InvalidMessage, ex.Error);
    }

    [Fact]
    public void Router_DuplicateRoutingId_SecondPeerIsRefused()
    {
        var router = S.Router();
        var ep = Bind(router);
        var first = S.Dealer();
        first.RoutingId = "same"u8.ToArray();
        first.Connect(ep);
        first.SendString("from-first");
        Assert.Equal(["same", "from-first"], router.ReceiveStrings());

        var second = S.Dealer();
        second.RoutingId = "same"u8.ToArray();
        if (!ConnectRefusedPeer(second, ep)) second.SendString("from-second"); // queued at the connect side; never delivered
        Assert.False(router.TryReceive(TimeSpan.FromMilliseconds(300), out var m), "the duplicate's message arrived: " + m);
        router.SendFrames("same", "to-first");
        Assert.Equal("to-first", first.ReceiveString());
        Assert.False(second.TryReceive(TimeSpan.FromMilliseconds(50), out _));
    }

    [Fact]
    public void Router_ReplyToReceivedMessage_ByResendingIt()
    {
        var router = S.Router();
        var ep = Bind(router);
        var dealer = S.Dealer();
        dealer.Connect(ep);
        dealer.SendFrames("a", "b");
        using (var m = router.Receive())
        {
            Assert.Equal(3, m.Count);
            router.Send(m); // the routing id is frame 0: goes back to the sender
        }
        Assert.Equal(["a", "b"], dealer.ReceiveStrings());
    }

    [Fact]
    public void DealerDealer_BothWays()
    {
        var d1 = S.Dealer();
        var ep = Bind(d1);
        var d2 = S.Dealer();
        d2.Connect(ep);
        d2.SendString("to-bound");
        Assert.Equal("to-bound", d1.ReceiveString());
        d1.SendString("to-connected");
        Assert.Equal("to-connected", d2.ReceiveString());
    }

    [Fact]
    public void RouterRouter_WithExplicitIds()
    {
        var server = S.Router();
        var ep = Bind(server);
        var client = S.Router();
        client.RoutingId = "client"u8.ToArray();
        client.Mandatory = true;
        client.Connect(ep);
        SocketProbe.WaitConnected(client, 1);
        // The server announces an empty Identity, so the client knows it only by a generated id:
        // the server (which knows "client") speaks first, and the client answers to the id it saw.
        Wait.Until(() => SocketProbe.ConnectedCount(server) == 1, "server sees the client");
        server.Mandatory = true;
        server.SendFrames("client", "hello client");
        var got = client.ReceiveFrames();
        Assert.Equal(5, got[0].Length); // the server announced no identity: the client generated one
        Assert.Equal("hello client", Encoding.UTF8.GetString(got[1]));
        client.SendFrames(got[0], "hello server"u8.ToArray());
        Assert.Equal(["client", "hello server"], server.ReceiveStrings());
    }

    // ---------------- PAIR ----------------

    [Fact]
    public void Pair_BothWays()
    {
        var a = S.Pair();
        var ep = Bind(a);
        var b = S.Pair();
        b.Connect(ep);
        b.SendString("b->a");
        Assert.Equal("b->a", a.ReceiveString());
        a.SendFrames("a->b", "2");
        Assert.Equal(["a->b", "2"], b.ReceiveStrings());
    }

    [Fact]
    public void Pair_SecondPeerIsRefused()
    {
        var a = S.Pair();
        var ep = Bind(a);
        var first = S.Pair();
        first.Connect(ep);
        first.SendString("first");
        Assert.Equal("first", a.ReceiveString());

        var second = S.Pair();
        if (!ConnectRefusedPeer(second, ep)) second.SendString("second"); // queued at the connect side; never delivered
        Assert.False(a.TryReceive(TimeSpan.FromMilliseconds(300), out var m), "the second PAIR got through: " + m);
        Assert.Equal(1, SocketProbe.PeerCount(a));

        a.SendString("still first");
        Assert.Equal("still first", first.ReceiveString());
        first.SendString("and back");
        Assert.Equal("and back", a.ReceiveString());
    }
}
