using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;
using static Zmq.Interop.Tests.Security.SecurityAssert;

namespace Zmq.Interop.Tests.Security;

/// <summary>
/// What else travels inside a CURVE session with libzmq 4.3, over tcp and ipc, either library the
/// CURVE server: ZMTP heartbeats (PING and PONG go inside MESSAGE boxes with the COMMAND flag; a
/// wrong encoding shows as a dropped connection or as a stray message), and the DEALER's routing id
/// (sent in the INITIATE or READY metadata box) reaching the ROUTER.
/// </summary>
public sealed class CurveSessionInteropTests
{
    public static TheoryData<bool, string> Cases => new()
    {
        { true, Transport.Tcp },
        { true, Transport.Ipc },
        { false, Transport.Tcp },
        { false, Transport.Ipc },
    };

    private static (OurSecureSide Ours, LzSide Theirs) CurvePair(SecurityRig rig, SocketType ourType, SocketType theirType, bool oursIsServer)
    {
        var ours = rig.Ours(ourType);
        var theirs = rig.Theirs(theirType);
        var serverKeys = oursIsServer ? CurveKeys.MadeByLibzmq() : CurveKeyPair.Generate();
        if (oursIsServer)
        {
            CurveKeys.MakeServer(ours, serverKeys);
            CurveKeys.MakeClient(theirs, serverKeys.PublicKey, CurveKeyPair.Generate());
        }
        else
        {
            CurveKeys.MakeServer(theirs, serverKeys, z85: true);
            CurveKeys.MakeClient(ours, serverKeys.PublicKey, CurveKeys.MadeByLibzmq());
        }
        return (ours, theirs);
    }

    /// <summary>Both sides PING every 50 ms with a 200 ms time-out; an idle second later the connection is still up on both sides and only data was delivered.</summary>
    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Heartbeats_InsideCurve_KeepAnIdleConnection(bool oursIsServer, string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var (ours, theirs) = CurvePair(rig, SocketType.Dealer, SocketType.Dealer, oursIsServer);
        ours.Socket.HeartbeatInterval = TimeSpan.FromMilliseconds(50);
        ours.Socket.HeartbeatTimeout = TimeSpan.FromMilliseconds(200);
        ours.Socket.HeartbeatTtl = TimeSpan.FromMilliseconds(500);
        theirs.Socket.SetOption(LzOption.HeartbeatIvl, 50);
        theirs.Socket.SetOption(LzOption.HeartbeatTimeout, 200);
        theirs.Socket.SetOption(LzOption.HeartbeatTtl, 500);
        var monitor = rig.Monitor(ours);
        using var lzMonitor = SecurityRig.Monitor(theirs);
        Side server = oursIsServer ? ours : theirs, client = oursIsServer ? theirs : ours;
        client.Connect(rig.Bind(server, transport));

        ours.Send(B("before"));
        Equal([B("before")], theirs.Receive(), "ours -> libzmq before the idle time");
        theirs.Send(B("before, back"));
        Equal([B("before, back")], ours.Receive(), "libzmq -> ours before the idle time");

        // Idle for five heartbeat time-outs, libzmq's socket kept serviced (its heartbeats run in its I/O thread anyway).
        NothingArrives(ours, "idle CURVE connection (a PING or PONG surfaced as data?)", other: theirs);
        NothingArrives(theirs, "idle CURVE connection (a PING or PONG surfaced as data?)");
        NothingArrives(ours, "idle CURVE connection", other: theirs);

        var ourEvents = Drain(monitor, 0);
        Assert.Contains(ourEvents, e => e.Type == MonitorEventType.HandshakeSucceeded);
        Assert.DoesNotContain(ourEvents, e => e.Type == MonitorEventType.Disconnected);
        var theirEvents = DrainLz(lzMonitor, 20);
        Assert.Contains(theirEvents, e => e.Event == LzEvent.HandshakeSucceeded);
        Assert.DoesNotContain(theirEvents, e => e.Event == LzEvent.Disconnected);

        ours.Send(B("after"));
        Equal([B("after")], theirs.Receive(), "ours -> libzmq after the idle time");
        theirs.Send(B("after, back"));
        Equal([B("after, back")], ours.Receive(), "libzmq -> ours after the idle time");
    }

    /// <summary>A DEALER's ROUTING_ID reaches the ROUTER through the CURVE metadata, our DEALER to a libzmq ROUTER and the reverse.</summary>
    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void RoutingId_TravelsInCurveMetadata(bool oursIsServer, string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();

        // Our DEALER, libzmq ROUTER.
        var (dealer, router) = CurvePair(rig, SocketType.Dealer, SocketType.Router, oursIsServer);
        dealer.SetRoutingId(B("our-dealer"));
        Side server = oursIsServer ? dealer : router, client = oursIsServer ? router : dealer;
        client.Connect(rig.Bind(server, transport));
        dealer.Send(B("hi"));
        Equal([B("our-dealer"), B("hi")], router.ReceivePumping(dealer), "our DEALER -> libzmq ROUTER");
        router.Send(B("our-dealer"), B("hi back"));
        Equal([B("hi back")], dealer.Receive(), "libzmq ROUTER -> our DEALER");

        // libzmq DEALER, our ROUTER.
        var (ourRouter, lzDealer) = CurvePair(rig, SocketType.Router, SocketType.Dealer, oursIsServer);
        lzDealer.SetRoutingId(B("lz-dealer"));
        server = oursIsServer ? ourRouter : lzDealer;
        client = oursIsServer ? lzDealer : ourRouter;
        client.Connect(rig.Bind(server, transport));
        lzDealer.Send(B("hello"));
        Equal([B("lz-dealer"), B("hello")], ourRouter.Receive(), "libzmq DEALER -> our ROUTER");
        ourRouter.Send(B("lz-dealer"), B("hello back"));
        Equal([B("hello back")], lzDealer.Receive(), "our ROUTER -> libzmq DEALER");
    }
}
