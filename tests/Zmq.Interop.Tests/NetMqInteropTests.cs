using NetMQ;
using NM = NetMQ.Sockets;

namespace Zmq.Interop.Tests;

/// <summary>
/// Ours against NetMQ 4.0.4.5 (a pure C# ZeroMQ that speaks ZMTP 3.0) over tcp, in this process:
/// each pattern both ways, multipart, subscriptions (the ZMTP 3.0 form: a 0x01/0x00 message), and
/// CURVE with either side as the server. No native library is involved, so nothing is skipped.
/// </summary>
public sealed class NetMqInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static string FreeEndpoint()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return $"tcp://127.0.0.1:{port}";
    }

    private static T Ours<T>(T s) where T : Socket
    {
        s.Linger = TimeSpan.FromMilliseconds(200);
        s.ReceiveTimeout = Wait;
        s.SendTimeout = Wait;
        s.ReconnectInterval = TimeSpan.FromMilliseconds(20);
        return s;
    }

    private static string NmReceive(NetMQSocket s)
    {
        Assert.True(s.TryReceiveFrameString(Wait, out var text), "NetMQ received nothing");
        return text!;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Push_pull_both_ways_in_order_with_multipart(bool oursBinds)
    {
        var ep = FreeEndpoint();
        using var nmPull = new NM.PullSocket();
        using var push = Ours(new PushSocket());
        if (oursBinds) { push.Bind(ep); nmPull.Connect(ep); } else { nmPull.Bind(ep); push.Connect(ep); }
        for (int i = 0; i < 2000; i++) push.SendString("m" + i);
        for (int i = 0; i < 2000; i++) Assert.Equal("m" + i, NmReceive(nmPull));
        push.SendFrames("a", "", "c");
        var parts = new List<string>();
        Assert.True(nmPull.TryReceiveMultipartStrings(Wait, ref parts));
        Assert.Equal(["a", "", "c"], parts);

        using var nmPush = new NM.PushSocket();
        using var pull = Ours(new PullSocket());
        var ep2 = FreeEndpoint();
        if (oursBinds) { pull.Bind(ep2); nmPush.Connect(ep2); } else { nmPush.Bind(ep2); pull.Connect(ep2); }
        for (int i = 0; i < 2000; i++) nmPush.SendFrame("n" + i);
        for (int i = 0; i < 2000; i++) Assert.Equal("n" + i, pull.ReceiveString());
    }

    [Fact]
    public void Req_rep_both_ways()
    {
        var ep = FreeEndpoint();
        using var nmRep = new NM.ResponseSocket(ep.Insert(0, "@"));
        using var req = Ours(new ReqSocket(">" + ep));
        req.SendString("ping");
        Assert.Equal("ping", NmReceive(nmRep));
        nmRep.SendFrame("pong");
        Assert.Equal("pong", req.ReceiveString());

        var ep2 = FreeEndpoint();
        using var rep = Ours(new RepSocket("@" + ep2));
        using var nmReq = new NM.RequestSocket(">" + ep2);
        nmReq.SendFrame("hello");
        Assert.Equal("hello", rep.ReceiveString());
        rep.SendString("world");
        Assert.Equal("world", NmReceive(nmReq));
    }

    [Fact]
    public void Dealer_router_ids_both_ways()
    {
        var ep = FreeEndpoint();
        using var router = Ours(new RouterSocket("@" + ep));
        using var nmDealer = new NM.DealerSocket();
        nmDealer.Options.Identity = "nm-dealer"u8.ToArray();
        nmDealer.Connect(ep);
        nmDealer.SendFrame("to router");
        using (var m = router.Receive())
        {
            Assert.Equal("nm-dealer", m.GetString(0));
            Assert.Equal("to router", m.GetString(1));
        }
        router.SendFrames("nm-dealer", "back");
        Assert.Equal("back", NmReceive(nmDealer));

        var ep2 = FreeEndpoint();
        using var nmRouter = new NM.RouterSocket("@" + ep2);
        using var dealer = Ours(new DealerSocket(">" + ep2, configure: d => d.RoutingId = "our-dealer"u8.ToArray()));
        dealer.SendString("to nm router");
        var parts = new List<string>();
        Assert.True(nmRouter.TryReceiveMultipartStrings(Wait, ref parts));
        Assert.Equal(["our-dealer", "to nm router"], parts);
        nmRouter.SendMoreFrame("our-dealer").SendFrame("reply");
        Assert.Equal("reply", dealer.ReceiveString());
    }

    [Fact]
    public void Pub_sub_filters_both_ways()
    {
        // Our PUB, NetMQ SUB (a ZMTP 3.0 subscription message reaches our publisher).
        var ep = FreeEndpoint();
        using var pub = Ours(new PubSocket("@" + ep));
        using var nmSub = new NM.SubscriberSocket(">" + ep);
        nmSub.Subscribe("weather");
        string? got = null;
        for (int i = 0; i < 100 && got is null; i++)
        {
            pub.SendString("sports skip");
            pub.SendString("weather sunny");
            if (nmSub.TryReceiveFrameString(TimeSpan.FromMilliseconds(50), out var s)) got = s;
        }
        Assert.Equal("weather sunny", got);

        // NetMQ PUB, our SUB.
        var ep2 = FreeEndpoint();
        using var nmPub = new NM.PublisherSocket("@" + ep2);
        using var sub = Ours(new SubSocket(">" + ep2, "weather"));
        got = null;
        for (int i = 0; i < 100 && got is null; i++)
        {
            nmPub.SendFrame("sports skip");
            nmPub.SendFrame("weather rain");
            if (sub.TryReceive(TimeSpan.FromMilliseconds(50), out var m)) using (m) got = m.GetString(0);
        }
        Assert.Equal("weather rain", got);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Curve_both_ways(bool oursIsServer)
    {
        var ep = FreeEndpoint();
        var serverKeys = CurveKeyPair.Generate();
        if (oursIsServer)
        {
            using var pull = Ours(new PullSocket());
            pull.MakeCurveServer(serverKeys);
            pull.Bind(ep);
            using var nmPush = new NM.PushSocket();
            nmPush.Options.CurveServerKey = serverKeys.PublicKey;
            nmPush.Options.CurveCertificate = new NetMQCertificate();
            nmPush.Connect(ep);
            for (int i = 0; i < 500; i++) nmPush.SendFrame("secret " + i);
            for (int i = 0; i < 500; i++) Assert.Equal("secret " + i, pull.ReceiveString());
        }
        else
        {
            using var nmPull = new NM.PullSocket();
            nmPull.Options.CurveServer = true;
            nmPull.Options.CurveCertificate = new NetMQCertificate(serverKeys.SecretKeyZ85, serverKeys.PublicKeyZ85);
            nmPull.Bind(ep);
            using var push = Ours(new PushSocket());
            push.MakeCurveClient(serverKeys.PublicKey);
            push.Connect(ep);
            for (int i = 0; i < 500; i++) push.SendString("secret " + i);
            for (int i = 0; i < 500; i++) Assert.Equal("secret " + i, NmReceive(nmPull));
        }
    }

    [Fact]
    public void Curve_with_the_wrong_server_key_passes_nothing()
    {
        var ep = FreeEndpoint();
        var serverKeys = CurveKeyPair.Generate();
        using var nmPull = new NM.PullSocket();
        nmPull.Options.CurveServer = true;
        nmPull.Options.CurveCertificate = new NetMQCertificate(serverKeys.SecretKeyZ85, serverKeys.PublicKeyZ85);
        nmPull.Bind(ep);
        using var push = Ours(new PushSocket());
        push.MakeCurveClient(CurveKeyPair.Generate().PublicKey);
        push.Linger = TimeSpan.Zero;
        push.Connect(ep);
        push.SendString("must not arrive");
        Assert.False(nmPull.TryReceiveFrameString(TimeSpan.FromMilliseconds(300), out _));
    }
}
