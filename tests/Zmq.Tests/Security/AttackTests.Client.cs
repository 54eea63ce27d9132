using System.Text;
using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Diagnostics.MonitorExpect;

namespace Zmq.Tests.Security;

/// <summary>Our CURVE client against a bad server (a <see cref="RawCurveServer"/> on a raw listener).</summary>
public sealed partial class AttackTests
{
    [Theory]
    [InlineData("a tampered WELCOME box", (int)ZmqProtocolError.ZmtpCryptographic)]
    [InlineData("a WELCOME from a server without the server key's secret", (int)ZmqProtocolError.ZmtpCryptographic)]
    [InlineData("a truncated WELCOME", (int)ZmqProtocolError.ZmtpMalformedCommandWelcome)]
    [InlineData("a tampered READY box", (int)ZmqProtocolError.ZmtpCryptographic)]
    [InlineData("a WELCOME announcing a low-order transient key S' = 0", (int)ZmqProtocolError.ZmtpCryptographic)]
    public void Our_CURVE_client_drops_a_bad_server_and_keeps_reconnecting(string how, int code)
    {
        using var listener = new RawListener();
        var push = S.Push();
        push.MakeCurveClient(_serverKeys.PublicKey);
        using var mon = push.Monitor();
        push.Connect(listener.Endpoint);

        var bad = new RawCurveServer(listener.Accept(), _serverKeys);
        _raws.Add(bad.Peer);
        bad.Greet();
        bad.ReadHello();
        switch (how)
        {
            case "a tampered WELCOME box":
                bad.SendWelcome(flipBit: (16 + 40) * 8 + 2);
                break;
            case "a WELCOME from a server without the server key's secret":
                bad.SendWelcome(signer: CurveKeyPair.Generate().SecretKey);
                break;
            case "a WELCOME announcing a low-order transient key S' = 0":
                bad.SendWelcome(announcedTransient: new byte[32]);
                break;
            case "a truncated WELCOME":
                bad.SendWelcome(truncateTo: 100);
                break;
            default:
                bad.SendWelcome();
                Assert.Equal("PUSH", Encoding.ASCII.GetString(bad.ReadInitiate()["Socket-Type"]));
                bad.SendReady("PULL", flipBit: 8 * 8 + 1);
                break;
        }
        var rest = bad.Peer.ExpectClosed(DropWithin);
        Assert.True(rest.Length == 0, $"our client sent {rest.Length} more bytes to the bad server: {Convert.ToHexString(rest)}");

        var seen = Until(mon, MonitorEventType.Disconnected);
        Assert.DoesNotContain(seen, e => e.Type == MonitorEventType.HandshakeSucceeded);
        Assert.True(seen.Count >= 2, $"saw only {Names(seen)}");
        var failed = seen[^2];
        Assert.True(failed.Type == MonitorEventType.HandshakeFailedProtocol && code == failed.Value,
            $"expected HANDSHAKE_FAILED_PROTOCOL {(ZmqProtocolError)code} (0x{code:X8}), got {failed}");
        Assert.Equal(listener.Endpoint, failed.Endpoint);
        Assert.Equal(failed.Reason, seen[^1].Reason);

        // It reconnects with a fresh transient key, and a good server gets its message.
        var good = new RawCurveServer(listener.Accept(DropWithin), _serverKeys);
        _raws.Add(good.Peer);
        good.Greet();
        good.ReadHello();
        Assert.False(good.ClientTransient.AsSpan().SequenceEqual(bad.ClientTransient), "a new connection must use a new C'");
        good.SendWelcome();
        Assert.Equal("PUSH", Encoding.ASCII.GetString(good.ReadInitiate()["Socket-Type"]));
        Assert.Equal(push.CurvePublicKey, good.ClientKey);
        good.SendReady("PULL");
        Until(mon, MonitorEventType.HandshakeSucceeded);
        push.SendString("after");
        var (more, payload) = good.ReadMessage();
        Assert.False(more);
        Assert.Equal("after", Encoding.UTF8.GetString(payload));
    }

    [Theory]
    [InlineData("a MESSAGE with READY's nonce", (int)ZmqProtocolError.ZmtpInvalidSequence)]
    [InlineData("a repeated MESSAGE nonce", (int)ZmqProtocolError.ZmtpInvalidSequence)]
    [InlineData("a tampered MESSAGE box", (int)ZmqProtocolError.ZmtpCryptographic)]
    [InlineData("a MESSAGE boxed as the client's (reflected)", (int)ZmqProtocolError.ZmtpCryptographic)]
    [InlineData("a plaintext frame", (int)ZmqProtocolError.ZmtpUnexpectedCommand)]
    public void Our_CURVE_client_drops_a_server_that_sends_a_bad_MESSAGE(string how, int code)
    {
        using var listener = new RawListener();
        var dealer = S.Dealer();
        dealer.MakeCurveClient(_serverKeys.PublicKey);
        using var mon = dealer.Monitor();
        dealer.Connect(listener.Endpoint);

        var server = new RawCurveServer(listener.Accept(), _serverKeys);
        _raws.Add(server.Peer);
        server.Greet();
        server.ReadHello();
        server.SendWelcome();
        Assert.Equal("DEALER", Encoding.ASCII.GetString(server.ReadInitiate()["Socket-Type"]));
        server.SendReady("ROUTER");
        Until(mon, MonitorEventType.HandshakeSucceeded);
        server.Peer.Send(server.MessageFrame("first"u8));
        Assert.True(dealer.TryReceive(TimeSpan.FromSeconds(2), out var first), "a good server MESSAGE must arrive");
        using (first) Assert.Equal("first", first.GetString(0));

        var bad = how switch
        {
            "a MESSAGE with READY's nonce" => server.MessageFrame("bad"u8, nonce: 1),
            "a repeated MESSAGE nonce" => server.MessageFrame("bad"u8, nonce: 2),
            "a tampered MESSAGE box" => server.MessageFrame("bad"u8, flipBit: 16 * 8),
            "a MESSAGE boxed as the client's (reflected)" => server.MessageFrame("bad"u8, prefix: "CurveZMQMESSAGEC"),
            _ => RawPeer.Frame("bad"),
        };
        server.Peer.Send(bad);
        var rest = server.Peer.ExpectClosed(DropWithin);
        Assert.True(rest.Length == 0, $"our client sent {rest.Length} bytes: {Convert.ToHexString(rest)}");
        var seen = Until(mon, MonitorEventType.Disconnected);
        Assert.True(seen.Count >= 2, $"saw only {Names(seen)}");
        var failed = seen[^2];
        Assert.True(failed.Type == MonitorEventType.HandshakeFailedProtocol && code == failed.Value,
            $"expected HANDSHAKE_FAILED_PROTOCOL {(ZmqProtocolError)code} (0x{code:X8}), got {failed}");
        Assert.False(dealer.TryReceive(TimeSpan.FromMilliseconds(50), out var leaked), $"the application received \"{leaked?.GetString(0)}\"");

        // It reconnects (a new connection, fresh keys).
        var again = new RawCurveServer(listener.Accept(DropWithin), _serverKeys);
        _raws.Add(again.Peer);
        again.Greet();
        again.ReadHello();
        Assert.False(again.ClientTransient.AsSpan().SequenceEqual(server.ClientTransient));
    }
}
