using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Security;

public sealed class CurveHandshakeTests
{
    [Theory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Curve_push_pull_roundtrip_small_and_large(string transport)
    {
        using var scope = new SocketScope();
        var pull = scope.Pull();
        var push = scope.Push();
        SocketScope.CurvePair(pull, push, Endpoints.BindAny(transport));

        push.SendFrames("hello", "world");
        using (var m = pull.Receive())
        {
            Assert.Equal(2, m.Count);
            Assert.Equal("hello", m.GetString(0));
            Assert.Equal("world", m.GetString(1));
        }
        var big = new byte[300_000];
        Random.Shared.NextBytes(big);
        push.Send(big);
        using (var m = pull.Receive()) Assert.Equal(big, m.ToArray(0));
        for (int i = 0; i < 1000; i++) push.SendString("m" + i);
        for (int i = 0; i < 1000; i++) Assert.Equal("m" + i, pull.ReceiveString());
    }

    [Fact]
    public void Curve_pub_sub_subscriptions_and_req_rep_travel_inside_boxes()
    {
        using var scope = new SocketScope();
        var rep = scope.Rep();
        var req = scope.Req();
        var server = SocketScope.CurvePair(rep, req);
        req.SendString("ping");
        Assert.Equal("ping", rep.ReceiveString());
        rep.SendString("pong");
        Assert.Equal("pong", req.ReceiveString());

        var pub = scope.Pub();
        pub.MakeCurveServer(server);
        pub.Bind("tcp://127.0.0.1:*");
        var sub = scope.Sub();
        sub.MakeCurveClient(server.PublicKey);
        sub.Subscribe("a");
        sub.Connect(pub.LastEndpoint!);
        Wait.Until(() =>
        {
            pub.SendString("b-skip");
            pub.SendString("a-hit");
            return sub.TryReceive(TimeSpan.FromMilliseconds(50), out var m) && m.GetString(0) == "a-hit";
        }, "subscription over CURVE");
    }

    [Fact]
    public void Wrong_server_key_never_connects()
    {
        using var scope = new SocketScope();
        var server = CurveKeyPair.Generate();
        var pull = scope.Pull();
        pull.MakeCurveServer(server);
        pull.Bind("tcp://127.0.0.1:*");
        var push = scope.Push();
        push.MakeCurveClient(CurveKeyPair.Generate().PublicKey);
        push.Connect(pull.LastEndpoint!);
        push.SendString("secret");
        Assert.False(pull.TryReceive(TimeSpan.FromMilliseconds(300), out _));
    }

    [Fact]
    public void Plain_with_a_zap_handler_accepts_right_password_and_sets_user_id()
    {
        using var scope = new SocketScope();
        using var handler = new RepSocket(Zap.Endpoint.Insert(0, "@"), scope.Context) { ReceiveTimeout = TimeSpan.FromSeconds(5) };
        var serving = Task.Run(() =>
        {
            for (int i = 0; i < 2; i++)
            {
                var f = handler.ReceiveFrames();
                Assert.True(ZapRequest.TryParse(f, out var req, out var err), err);
                bool ok = req!.Username == "admin" && req.Password == "secret";
                handler.SendFrames(new ZapReply { StatusCode = ok ? 200 : 400, UserId = ok ? "admin" : "" }.ToFrames(req.RequestId));
            }
        });
        var pull = scope.Pull();
        pull.PlainServer = true;
        pull.Bind("tcp://127.0.0.1:*");
        var bad = scope.Push();
        bad.PlainUsername = "admin";
        bad.PlainPassword = "wrong";
        bad.ReconnectInterval = TimeSpan.FromSeconds(10);
        bad.Connect(pull.LastEndpoint!);
        bad.SendString("from bad");
        var good = scope.Push();
        good.PlainUsername = "admin";
        good.PlainPassword = "secret";
        Thread.Sleep(200);
        good.Connect(pull.LastEndpoint!);
        good.SendString("from good");
        using var m = pull.Receive();
        Assert.Equal("from good", m.GetString(0));
        Assert.Equal("admin", m.GetProperty("User-Id"));
        Assert.Equal("127.0.0.1", m.GetProperty("Peer-Address"));
        Assert.Equal("PUSH", m.GetProperty("Socket-Type"));
        Wait.Done(serving);
    }
}
