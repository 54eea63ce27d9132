using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Diagnostics.MonitorExpect;

namespace Zmq.Tests.Security;

/// <summary>ZAP as the server side speaks it: when it asks, what it sends, and how it treats replies (libzmq's rules).</summary>
public sealed class ZapTests
{
    /// <summary>A hand-written ZAP handler (REP at Zap.Endpoint) that records requests and answers with <paramref name="reply"/>.</summary>
    private static (RepSocket Handler, Task Serving, List<ZapRequest> Seen) Handler(SocketScope scope, Func<ZapRequest, byte[][]> reply, int requests = 1)
    {
        var rep = scope.Add(new RepSocket("@" + Zap.Endpoint, scope.Context));
        var seen = new List<ZapRequest>();
        var serving = Task.Run(() =>
        {
            for (int i = 0; i < requests; i++)
            {
                var frames = rep.ReceiveFrames();
                Assert.True(ZapRequest.TryParse(frames, out var req, out var error), error);
                lock (seen) seen.Add(req!);
                rep.SendFrames(reply(req!));
            }
        });
        return (rep, serving, seen);
    }

    [Fact]
    public void Null_with_a_domain_asks_the_handler_and_a_denial_refuses_the_peer()
    {
        using var scope = new SocketScope();
        using var auth = new Authenticator(scope.Context);
        auth.Deny("127.0.0.1");
        var pull = scope.Pull();
        pull.ZapDomain = "global";
        using var mon = pull.Monitor(MonitorEventType.HandshakeFailedAuth);
        pull.Bind("tcp://127.0.0.1:*");
        var push = scope.Push();
        push.Connect(pull.LastEndpoint!);
        push.SendString("denied");
        Assert.Equal(400, Expect(mon, MonitorEventType.HandshakeFailedAuth).Value);
        Assert.False(pull.TryReceive(TimeSpan.FromMilliseconds(200), out _));
        Assert.True(auth.Denied >= 1);
    }

    [Fact]
    public void Null_without_a_domain_never_asks()
    {
        using var scope = new SocketScope();
        using var auth = new Authenticator(scope.Context);
        auth.Deny("127.0.0.1");
        var pull = scope.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        var push = scope.Push();
        push.Connect(pull.LastEndpoint!);
        push.SendString("no ZAP for NULL without a domain");
        Assert.Equal("no ZAP for NULL without a domain", pull.ReceiveString());
        Assert.Equal(0, auth.Allowed + auth.Denied);
    }

    [Fact]
    public void Request_carries_libzmqs_frames_and_the_reply_metadata_reaches_messages()
    {
        using var scope = new SocketScope();
        var (_, serving, seen) = Handler(scope, req => new ZapReply
        {
            StatusCode = 200,
            UserId = "alice",
            Metadata = new Dictionary<string, byte[]> { ["Role"] = "admin"u8.ToArray() },
        }.ToFrames(req.RequestId));
        var pull = scope.Pull();
        pull.ZapDomain = "sales";
        pull.RoutingId = "server-id"u8.ToArray();
        var push = scope.Push();
        SocketScope.CurvePair(pull, push);
        push.SendString("hello");
        using var m = pull.Receive();
        Assert.Equal("alice", m.GetProperty("User-Id"));
        Assert.Equal("admin", m.GetProperty("role")); // names are case-insensitive
        Wait.Done(serving);
        var req = Assert.Single(seen);
        Assert.Equal(("1.0", "1", "sales", "127.0.0.1", "CURVE"), (req.Version, System.Text.Encoding.ASCII.GetString(req.RequestId), req.Domain, req.Address, req.Mechanism));
        Assert.Equal("server-id"u8.ToArray(), req.Identity); // the server's own id, as libzmq sends it
        Assert.Equal(push.CurvePublicKey, req.ClientKey);
    }

    public static TheoryData<string, string[], ZmqProtocolError> BadReplies => new()
    {
        { "wrong version", ["2.0", "1", "200", "", "", ""], ZmqProtocolError.ZapBadVersion },
        { "wrong request id", ["1.0", "7", "200", "", "", ""], ZmqProtocolError.ZapBadRequestId },
        { "unknown status", ["1.0", "1", "201", "", "", ""], ZmqProtocolError.ZapInvalidStatusCode },
        { "missing frames", ["1.0", "1", "200"], ZmqProtocolError.ZapMalformedReply },
    };

    [Theory]
    [MemberData(nameof(BadReplies))]
    public void Malformed_replies_fail_the_handshake_with_libzmqs_code(string what, string[] reply, ZmqProtocolError code)
    {
        using var scope = new SocketScope();
        var (_, serving, _) = Handler(scope, _ => reply.Select(System.Text.Encoding.ASCII.GetBytes).ToArray());
        var pull = scope.Pull();
        using var mon = pull.Monitor(MonitorEventType.HandshakeFailedProtocol);
        var push = scope.Push();
        push.ReconnectStop = ReconnectStop.HandshakeFailed;
        SocketScope.CurvePair(pull, push);
        push.SendString("x");
        Assert.True(Expect(mon, MonitorEventType.HandshakeFailedProtocol).Value == (long)code, what);
        Assert.False(pull.TryReceive(TimeSpan.FromMilliseconds(100), out _));
        Wait.Done(serving);
    }

    [Fact]
    public void Enforced_domain_without_a_handler_refuses_curve_clients_and_without_enforcement_accepts()
    {
        using var scope = new SocketScope();
        var strict = scope.Pull();
        strict.ZapDomain = "global";
        strict.ZapEnforceDomain = true;
        using var mon = strict.Monitor(MonitorEventType.HandshakeFailedNoDetail);
        var a = scope.Push();
        a.ReconnectStop = ReconnectStop.HandshakeFailed;
        SocketScope.CurvePair(strict, a);
        a.SendString("refused");
        Assert.Equal(14, Expect(mon, MonitorEventType.HandshakeFailedNoDetail).Value); // EFAULT, as libzmq
        Assert.False(strict.TryReceive(TimeSpan.FromMilliseconds(100), out _));

        var lax = scope.Pull();
        lax.ZapDomain = "global";
        var b = scope.Push();
        SocketScope.CurvePair(lax, b);
        b.SendString("accepted");
        Assert.Equal("accepted", lax.ReceiveString());
    }

    [Fact]
    public void A_handler_that_never_answers_does_not_hold_the_handshake_after_the_socket_closes()
    {
        using var scope = new SocketScope();
        var handler = scope.Add(new RouterSocket("@" + Zap.Endpoint, scope.Context));
        var pull = scope.Pull();
        pull.HandshakeInterval = TimeSpan.Zero; // no deadline: only the close can end the wait
        var push = scope.Push();
        SocketScope.CurvePair(pull, push);
        using var request = handler.Receive(); // the request arrives; we never answer it
        Assert.NotEmpty(request.ToArray(0));
        Assert.Equal(1, SocketProbe.AttachedCount(handler));
        pull.Dispose();
        // The waiting handshake gives up and closes its ZAP connection (without the close check it
        // would wait, and hold a thread, for ever).
        Wait.Until(() => SocketProbe.AttachedCount(handler) == 0, "the handshake's ZAP connection to be closed");
    }
}
