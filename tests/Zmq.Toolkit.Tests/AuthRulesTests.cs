using System.Text;

namespace Zmq.Toolkit.Tests;

/// <summary>
/// zauth split in two: the rules decide a request without any socket; the Authenticator is the ZAP
/// handler applying them, one per context, each with its own rules or sharing one set.
/// </summary>
public sealed class AuthRulesTests
{
    private static ZapRequest Request(string mechanism, string address = "127.0.0.1", params byte[][] credentials) => new()
    {
        Version = Zap.Version,
        RequestId = [1],
        Domain = "",
        Address = address,
        Identity = [],
        Mechanism = mechanism,
        Credentials = credentials,
    };

    private static ZapRequest Plain(string user, string password, string address = "127.0.0.1") =>
        Request("PLAIN", address, Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(password));

    [Fact]
    public void The_rules_decide_without_a_socket_in_zauths_order()
    {
        var rules = new AuthRules();
        Assert.Equal(Zap.Success, rules.Decide(Request("NULL")).Reply.StatusCode);
        Assert.Equal(Zap.AuthenticationFailure, rules.Decide(Plain("admin", "secret")).Reply.StatusCode); // PLAIN not configured
        rules.ConfigurePlain(new Dictionary<string, string> { ["admin"] = "secret" });
        var (ok, reason) = rules.Decide(Plain("admin", "secret"));
        Assert.Equal(Zap.Success, ok.StatusCode);
        Assert.Equal("admin", ok.UserId);
        Assert.Equal("password correct", reason);
        Assert.Equal(Zap.AuthenticationFailure, rules.Decide(Plain("admin", "wrong")).Reply.StatusCode);

        rules.Deny("10.0.0.9");
        Assert.Equal("address denied", rules.Decide(Plain("admin", "secret", "10.0.0.9")).Reason);
        rules.Allow("127.0.0.1");
        Assert.Equal(Zap.Success, rules.Decide(Plain("admin", "secret")).Reply.StatusCode);
        Assert.Equal("address not in allow list", rules.Decide(Request("NULL", "10.0.0.8")).Reason);

        var key = CurveKeyPair.Generate().PublicKey;
        Assert.Equal("CURVE not configured", rules.Decide(Request("CURVE", "127.0.0.1", key)).Reason);
        rules.ConfigureCurveAllowAny();
        Assert.Equal(Z85.Encode(key), rules.Decide(Request("CURVE", "127.0.0.1", key)).Reply.UserId);

        rules.Custom = r => r.Mechanism == "NULL" ? new ZapReply { StatusCode = Zap.TemporaryError, StatusText = "busy" } : null;
        Assert.Equal(Zap.TemporaryError, rules.Decide(Request("NULL")).Reply.StatusCode);
        rules.Custom = _ => new ZapReply { StatusCode = 201 };
        Assert.Equal(Zap.InternalError, rules.Decide(Request("NULL")).Reply.StatusCode); // a status ZAP does not have
    }

    [Fact]
    public void Two_contexts_two_handlers_each_with_its_own_rules()
    {
        using var plainSide = new Context();
        using var curveSide = new Context();
        using var plainAuth = new Authenticator(plainSide);
        plainAuth.ConfigurePlain(new Dictionary<string, string> { ["admin"] = "secret" });
        var shared = new AuthRules();
        shared.ConfigureCurveAllowAny();
        using var curveAuth = new Authenticator(shared, curveSide);
        Assert.Same(shared, curveAuth.Rules);
        Assert.Throws<ZmqException>(() => new Authenticator(plainSide)); // one handler per context

        var server = CurveKeyPair.Generate();
        using var curvePull = new PullSocket(context: curveSide) { ReceiveTimeout = TimeSpan.FromSeconds(10), Linger = TimeSpan.Zero };
        curvePull.MakeCurveServer(server);
        curvePull.Bind("tcp://127.0.0.1:*");
        using var plainPull = new PullSocket(context: plainSide) { ReceiveTimeout = TimeSpan.FromSeconds(10), Linger = TimeSpan.Zero };
        plainPull.PlainServer = true;
        plainPull.Bind("tcp://127.0.0.1:*");

        using var curveClient = new PushSocket { Linger = TimeSpan.Zero };
        curveClient.MakeCurveClient(server.PublicKey);
        curveClient.Connect(curvePull.LastEndpoint!);
        curveClient.SendString("curve");
        Assert.Equal("curve", curvePull.ReceiveString());

        using var plainClient = new PushSocket { Linger = TimeSpan.Zero, PlainUsername = "admin", PlainPassword = "secret" };
        plainClient.Connect(plainPull.LastEndpoint!);
        plainClient.SendString("plain");
        Assert.Equal("plain", plainPull.ReceiveString());
        Assert.Equal(1, plainAuth.Allowed);
        Assert.Equal(1, curveAuth.Allowed);
    }
}
