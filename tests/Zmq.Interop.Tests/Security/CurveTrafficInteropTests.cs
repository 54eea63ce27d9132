using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests.Security;

/// <summary>
/// CURVE against libzmq 4.3 over tcp and ipc: our client with a libzmq server and a libzmq client
/// with our server, for PUSH/PULL, DEALER/ROUTER, REQ/REP (either end the CURVE server), SUB/PUB
/// and SUB/XPUB (the subscription travels inside a CURVE MESSAGE box as a SUBSCRIBE command, and
/// XPUB shows it). Each runs a multipart message, a large (over 1 MiB) message and a 10,000-message
/// run that must arrive complete and in order. The server's keys come from one library and the
/// client's from the other: whichever side is ours uses a pair made by libzmq (zmq_curve_keypair),
/// and libzmq uses a pair made by us.
/// </summary>
public sealed class CurveTrafficInteropTests
{
    /// <summary>(client type, server type) per pattern; the client connects, the server binds.</summary>
    private static readonly Dictionary<string, (SocketType Client, SocketType Server)> Patterns = new()
    {
        ["push-pull"] = (SocketType.Push, SocketType.Pull),
        ["dealer-router"] = (SocketType.Dealer, SocketType.Router),
        ["req-rep"] = (SocketType.Req, SocketType.Rep),
        ["rep-req"] = (SocketType.Rep, SocketType.Req),
        ["sub-pub"] = (SocketType.Sub, SocketType.Pub),
        ["sub-xpub"] = (SocketType.Sub, SocketType.XPub),
    };

    public static TheoryData<string, bool, string> Cases
    {
        get
        {
            var data = new TheoryData<string, bool, string>();
            foreach (var pattern in Patterns.Keys)
                foreach (var oursIsServer in new[] { false, true })
                    foreach (var transport in new[] { Transport.Tcp, Transport.Ipc })
                        data.Add(pattern, oursIsServer, transport);
            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Traffic(string pattern, bool oursIsServer, string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var (clientType, serverType) = Patterns[pattern];
        Side server = oursIsServer ? rig.Ours(serverType) : rig.Theirs(serverType);
        Side client = oursIsServer ? rig.Theirs(clientType) : rig.Ours(clientType);
        var serverKeys = oursIsServer ? CurveKeys.MadeByLibzmq() : CurveKeyPair.Generate();
        var clientKeys = oursIsServer ? CurveKeyPair.Generate() : CurveKeys.MadeByLibzmq();
        CurveKeys.MakeServer(server, serverKeys);
        CurveKeys.MakeClient(client, serverKeys.PublicKey, clientKeys);
        server.SetHighWatermarks(4 * BulkCount);
        client.SetHighWatermarks(4 * BulkCount);

        var ourMonitor = rig.Monitor((OurSecureSide)(oursIsServer ? server : client));
        var endpoint = rig.Bind(server, transport);
        client.Connect(endpoint);

        switch (pattern)
        {
            case "push-pull":
                PushPull(client, server);
                break;
            case "dealer-router":
                DealerRouter(client, server);
                break;
            case "req-rep":
                RequestReply(client, server);
                break;
            case "rep-req":
                RequestReply(server, client);
                break;
            default:
                PubSubTests.Scenario(server, client); // the subscriptions travel inside CURVE boxes
                break;
        }

        // The handshake really was CURVE and succeeded once: no failed attempt before it.
        var seen = new List<MonitorEvent>();
        SecurityAssert.Await(ourMonitor, MonitorEventType.HandshakeSucceeded, seen);
        Assert.DoesNotContain(seen, e => e.Type is MonitorEventType.HandshakeFailedAuth or MonitorEventType.HandshakeFailedProtocol or MonitorEventType.HandshakeFailedNoDetail);
        Assert.Equal(SecurityMechanism.Curve, ((OurSecureSide)(oursIsServer ? server : client)).Socket.Mechanism);
    }

    private static void PushPull(Side push, Side pull)
    {
        var multipart = Multipart("curve push");
        push.Send(multipart);
        Equal(multipart, pull.ReceivePumping(push), $"multipart {push} -> {pull}");
        var large = Large(1);
        push.Send(large);
        Equal([large], pull.Receive(), $"large {push} -> {pull}");
        Bulk(push, [], pull, []);
    }

    private static void DealerRouter(Side dealer, Side router)
    {
        var multipart = Multipart("curve dealer");
        dealer.Send(multipart);
        var got = router.ReceivePumping(dealer);
        var id = got[0];
        Equal(multipart, got[1..], $"multipart {dealer} -> {router}");

        var back = Multipart("curve router");
        router.Send(Concat([id], back));
        Equal(back, dealer.Receive(), $"multipart {router} -> {dealer}");

        var large = Large(2);
        dealer.Send(large);
        Equal([id, large], router.Receive(), $"large {dealer} -> {router}");
        var largeBack = Large(3);
        router.Send(id, largeBack);
        Equal([largeBack], dealer.Receive(), $"large {router} -> {dealer}");

        Bulk(dealer, [], router, [id]);
        Bulk(router, [id], dealer, []);
    }

    private static void RequestReply(Side req, Side rep)
    {
        var request = Multipart("curve request");
        req.Send(request);
        Equal(request, rep.ReceivePumping(req), $"multipart request {req} -> {rep}");
        var large = Large(4);
        rep.Send(large);
        Equal([large], req.Receive(), $"large reply {rep} -> {req}");

        req.Send(Large(5));
        Equal([Large(5)], rep.Receive(), $"large request {req} -> {rep}");
        var reply = Multipart("curve reply");
        rep.Send(reply);
        Equal(reply, req.Receive(), $"multipart reply {rep} -> {req}");

        for (var i = 0; i < RoundTrips; i++)
        {
            req.Send(Seq(i));
            var got = rep.Receive();
            Assert.True(got.Length == 1 && ReadSeq(got[0]) == i, $"request {i}: {Show(got)}");
            rep.Send(Seq(i, [0x52]));
            got = req.Receive();
            Assert.True(got.Length == 1 && ReadSeq(got[0], 1) == i, $"reply {i}: {Show(got)}");
        }
    }

    /// <summary>
    /// The CURVE roles do not follow bind and connect: a CURVE server that connects to a client that
    /// binds works with either library as the server.
    /// </summary>
    [SkippableTheory]
    [InlineData(true, Transport.Tcp)]
    [InlineData(true, Transport.Ipc)]
    [InlineData(false, Transport.Tcp)]
    [InlineData(false, Transport.Ipc)]
    public void ServerConnects_ClientBinds(bool oursIsServer, string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        Side server = oursIsServer ? rig.Ours(SocketType.Dealer) : rig.Theirs(SocketType.Dealer);
        Side client = oursIsServer ? rig.Theirs(SocketType.Dealer) : rig.Ours(SocketType.Dealer);
        var serverKeys = CurveKeyPair.Generate();
        CurveKeys.MakeServer(server, serverKeys, z85: true);
        CurveKeys.MakeClient(client, serverKeys.PublicKey, CurveKeyPair.Generate(), z85: false);
        var endpoint = rig.Bind(client, transport);
        server.Connect(endpoint);

        var hello = Multipart("from the connecting server");
        server.Send(hello);
        Equal(hello, client.ReceivePumping(server), $"{server} (CURVE server, connecting) -> {client} (CURVE client, bound)");
        var back = Multipart("from the bound client");
        client.Send(back);
        Equal(back, server.Receive(), $"{client} -> {server}");
    }
}
