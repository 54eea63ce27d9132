using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Options.OptionTestKit;

namespace Zmq.Tests.Options;

/// <summary>ROUTER_HANDOVER and PROBE_ROUTER (libzmq router.cpp / dealer.cpp xattach_pipe).</summary>
public class RouterOptionsTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    private DealerSocket DealerWithId(string id)
    {
        var d = S.Dealer();
        d.RoutingId = B(id);
        d.ReconnectInterval = Timeout.InfiniteTimeSpan; // a peer that was handed over stays away (else it would take the id back)
        return d;
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("inproc")]
    public void Handover_NewPeerTakesTheIdAndTheOldOneIsDisconnected(string transport)
    {
        var router = S.Router();
        router.Handover = true;
        router.Mandatory = true;
        var ep = Bind(router, transport);

        var first = DealerWithId("X");
        first.Connect(ep);
        first.SendString("from first");
        Assert.Equal(["X", "from first"], router.ReceiveStrings());

        var second = DealerWithId("X");
        second.Connect(ep);
        second.SendString("from second");
        Assert.Equal(["X", "from second"], router.ReceiveStrings());

        router.SendFrames("X", "to X");
        Assert.Equal("to X", second.ReceiveString());
        AssertNothing(first, what: "(the handed-over peer)");
        Wait.Until(() => SocketProbe.AttachedCount(router) == 1, "the old peer left the ROUTER");
    }

    [Fact]
    public void Handover_MessagesTheOldPeerAlreadySentStayReadable_UnderAFreshId()
    {
        var router = S.Router();
        router.Handover = true;
        var ep = Bind(router, "inproc");
        var first = DealerWithId("X");
        first.Connect(ep);
        first.SendString("queued by first");
        Wait.Until(() => SocketProbe.InboundCount(router) == 1, "the first message waits at the ROUTER");

        var second = DealerWithId("X");
        second.Connect(ep);
        Wait.Until(() => SocketProbe.AttachedCount(router) == 1 && SocketProbe.ConnectedCount(router) == 1, "the second peer took over");
        var got = router.ReceiveFrames();
        Assert.Equal("queued by first", Strings(got)[1]);
        Assert.Equal(5, got[0].Length); // re-keyed under a generated id, as libzmq does
        Assert.Equal(0, got[0][0]);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("inproc")]
    public void WithoutHandover_ADuplicateIdIsRefused(string transport)
    {
        var router = S.Router();
        router.Mandatory = true;
        Assert.False(router.Handover);
        var ep = Bind(router, transport);
        var first = DealerWithId("X");
        first.Connect(ep);
        first.SendString("from first");
        Assert.Equal(["X", "from first"], router.ReceiveStrings());

        var second = DealerWithId("X");
        try
        {
            second.Connect(ep);
        }
        catch (ZmqException)
        {
            // inproc reports the refusal at Connect
        }
        second.TrySend("from second"u8);
        AssertNothing(router, 300, "(the duplicate should have been refused)");
        router.SendFrames("X", "to X");
        Assert.Equal("to X", first.ReceiveString());
    }

    [Theory]
    [InlineData("tcp", true)]
    [InlineData("tcp", false)]
    [InlineData("inproc", true)]
    [InlineData("inproc", false)]
    public void ProbeRouter_Dealer_TheRouterLearnsTheIdFirst(string transport, bool bindFirst)
    {
        var router = S.Router();
        router.Mandatory = true;
        var dealer = S.Dealer();
        dealer.RoutingId = B("prober");
        dealer.ProbeRouter = true;
        string ep;
        if (bindFirst)
        {
            ep = Bind(router, transport);
            dealer.Connect(ep);
        }
        else
        {
            ep = transport == "inproc" ? Inproc("probe") : $"tcp://127.0.0.1:{Ports.Free()}";
            dealer.Connect(ep);
            dealer.SendString("after the probe");
            router.Bind(ep);
        }
        var probe = router.ReceiveFrames();
        Assert.Equal([B("prober"), []], probe);
        if (bindFirst) dealer.SendString("after the probe");
        Assert.Equal(["prober", "after the probe"], router.ReceiveStrings());
        // With the id learnt from the probe, the ROUTER can talk first.
        router.SendFrames("prober", "hello");
        Assert.Equal("hello", dealer.ReceiveString());
    }

    [Fact]
    public void ProbeRouter_Off_SendsNothing()
    {
        var router = S.Router();
        var dealer = S.Dealer();
        dealer.Connect(Bind(router, "tcp"));
        SocketProbe.WaitConnected(router, 1);
        AssertNothing(router);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("inproc")]
    public void ProbeRouter_Router_ProbesTheRouterItConnectsTo(string transport)
    {
        var server = S.Router();
        var client = S.Router();
        client.RoutingId = B("client-router");
        client.ProbeRouter = true;
        client.Connect(Bind(server, transport));
        Assert.Equal([B("client-router"), []], server.ReceiveFrames());
    }

    [Fact]
    public void ProbeRouter_BindingRouter_ProbesEachAcceptedPeer()
    {
        var server = S.Router();
        server.RoutingId = B("server");
        server.ProbeRouter = true;
        var ep = Bind(server, "tcp");
        var a = S.Router();
        var b = S.Router();
        a.Connect(ep);
        b.Connect(ep);
        Assert.Equal([B("server"), []], a.ReceiveFrames());
        Assert.Equal([B("server"), []], b.ReceiveFrames());
    }

    [Fact]
    public void ProbeRouter_Req_ProbeComesBeforeTheFirstRequest()
    {
        var router = S.Router();
        var req = S.Req();
        req.RoutingId = B("req");
        req.ProbeRouter = true;
        req.Connect(Bind(router, "tcp"));
        Assert.Equal([B("req"), []], router.ReceiveFrames());
        req.SendString("request");
        Assert.Equal(["req", "", "request"], router.ReceiveStrings());
        router.SendFrames("req", "", "reply");
        Assert.Equal("reply", req.ReceiveString());
    }
}
