using System.Net.Sockets;
using System.Text;
using Zmq.Diagnostics;
using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Diagnostics.MonitorExpect;

namespace Zmq.Tests.Diagnostics;

/// <summary>
/// Handshake failures provoked by a raw ZMTP peer: each must be reported as libzmq reports it
/// (HANDSHAKE_FAILED_NO_DETAIL with an errno, HANDSHAKE_FAILED_PROTOCOL with a ZMQ_PROTOCOL_ERROR_*
/// code, HANDSHAKE_FAILED_AUTH with a ZAP status), naming the raw peer's address, and be followed by
/// DISCONNECTED; never a HANDSHAKE_SUCCEEDED.
/// </summary>
public sealed class MonitorHandshakeTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    /// <summary>A bound PULL with a monitor; <paramref name="misbehave"/> runs on a raw peer; returns the failure event.</summary>
    private MonitorEvent FailureOf(Action<RawPeer> misbehave, MonitorEventType expected, Action<PullSocket>? configure = null)
    {
        var pull = S.Pull();
        configure?.Invoke(pull);
        using var mon = pull.Monitor();
        pull.Bind("tcp://127.0.0.1:*");
        var endpoint = pull.LastEndpoint!;
        Expect(mon, MonitorEventType.Listening);
        using var raw = RawPeer.Connect(endpoint);
        var peer = LocalEndpoint(raw.Socket);
        var accepted = Expect(mon, MonitorEventType.Accepted);
        Assert.Equal(peer, accepted.PeerAddress);
        misbehave(raw);

        var failed = Next(mon);
        Assert.True(failed.Type == expected, $"expected {MonitorEvent.NameOf(expected)}, got {failed}");
        Assert.Equal(endpoint, failed.Endpoint);
        Assert.Equal(peer, failed.PeerAddress);
        Assert.False(string.IsNullOrEmpty(failed.Reason));

        var disconnected = Expect(mon, MonitorEventType.Disconnected);
        Assert.Equal(endpoint, disconnected.Endpoint);
        Assert.Equal(peer, disconnected.PeerAddress);
        Assert.Equal(accepted.Value, disconnected.Value);
        Assert.Equal(failed.Reason, disconnected.Reason);
        Quiet(mon, TimeSpan.FromMilliseconds(30));
        return failed;
    }

    private static void AssertProtocol(MonitorEvent e, ZmqProtocolError code)
    {
        Assert.Equal(MonitorEventType.HandshakeFailedProtocol, e.Type);
        Assert.Equal((long)code, e.Value);
        Assert.Equal(code, e.ProtocolError);
    }

    [Fact]
    public void HandshakeTimeout_NoDetail_ETIMEDOUT()
    {
        var e = FailureOf(_ => { }, MonitorEventType.HandshakeFailedNoDetail,
            pull => pull.HandshakeInterval = TimeSpan.FromMilliseconds(150));
        Assert.Equal(Errno.ETimedOut, e.Value);
        if (OperatingSystem.IsLinux()) Assert.Equal(110, e.Value);
        Assert.Contains("HANDSHAKE_IVL", e.Reason);
    }

    [Fact]
    public void PeerClosesDuringHandshake_NoDetail_EPIPE()
    {
        var e = FailureOf(raw =>
        {
            raw.Send(RawPeer.Greeting().AsSpan(0, 10).ToArray());
            raw.Socket.Shutdown(SocketShutdown.Send);
        }, MonitorEventType.HandshakeFailedNoDetail);
        Assert.Equal(Errno.EPipe, e.Value);
    }

    [Fact]
    public void PeerResetsDuringHandshake_NoDetail_ECONNRESET()
    {
        var e = FailureOf(raw =>
        {
            raw.Send(RawPeer.Greeting().AsSpan(0, 5).ToArray());
            raw.Socket.LingerState = new LingerOption(true, 0); // close with RST
            raw.Socket.Close();
        }, MonitorEventType.HandshakeFailedNoDetail);
        Assert.Equal(Errno.EConnReset, e.Value);
    }

    [Fact]
    public void MechanismMismatch_Protocol_MECHANISM_MISMATCH()
    {
        var e = FailureOf(raw => raw.Send(RawPeer.Greeting(mechanism: "CURVE")), MonitorEventType.HandshakeFailedProtocol);
        AssertProtocol(e, ZmqProtocolError.ZmtpMechanismMismatch);
        Assert.Equal(0x11000002, e.Value);
    }

    [Fact]
    public void IncompatibleSocketType_Protocol_INVALID_METADATA()
    {
        var e = FailureOf(raw => raw.Send(RawPeer.Greeting(), RawPeer.Ready("PUB")), MonitorEventType.HandshakeFailedProtocol);
        AssertProtocol(e, ZmqProtocolError.ZmtpInvalidMetadata);
        Assert.Contains("incompatible", e.Reason);
    }

    [Fact]
    public void UnknownSocketType_Protocol_INVALID_METADATA()
    {
        var e = FailureOf(raw => raw.Send(RawPeer.Greeting(), RawPeer.Ready("BOGUS")), MonitorEventType.HandshakeFailedProtocol);
        AssertProtocol(e, ZmqProtocolError.ZmtpInvalidMetadata);
    }

    [Fact]
    public void MalformedReadyProperties_Protocol_INVALID_METADATA()
    {
        // Socket-Type claims a 10-byte value but only 4 bytes follow.
        byte[] props = [11, .. "Socket-Type"u8, 0, 0, 0, 10, .. "PUSH"u8];
        var e = FailureOf(raw => raw.Send(RawPeer.Greeting(), RawPeer.Command("READY", props)), MonitorEventType.HandshakeFailedProtocol);
        AssertProtocol(e, ZmqProtocolError.ZmtpInvalidMetadata);
    }

    [Fact]
    public void MessageFrameInsteadOfReady_Protocol_UNEXPECTED_COMMAND()
    {
        var e = FailureOf(raw => raw.Send(RawPeer.Greeting(), RawPeer.Frame("hello")), MonitorEventType.HandshakeFailedProtocol);
        AssertProtocol(e, ZmqProtocolError.ZmtpUnexpectedCommand);
        Assert.Equal(0x10000001, e.Value);
    }

    [Fact]
    public void OtherCommandInsteadOfReady_Protocol_UNEXPECTED_COMMAND()
    {
        var e = FailureOf(raw => raw.Send(RawPeer.Greeting(), RawPeer.Command("PING", [0, 0])), MonitorEventType.HandshakeFailedProtocol);
        AssertProtocol(e, ZmqProtocolError.ZmtpUnexpectedCommand);
    }

    [Fact]
    public void Zmtp20Peer_Protocol_UNSPECIFIED()
    {
        // A ZMTP/2.0 greeting (libzmq 3.x): signature, revision 1, socket type.
        byte[] v2 = [0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 1, 8];
        var e = FailureOf(raw => raw.Send(v2), MonitorEventType.HandshakeFailedProtocol);
        AssertProtocol(e, ZmqProtocolError.ZmtpUnspecified);
        Assert.Contains("ZMTP/2.0", e.Reason);
    }

    [Fact]
    public void HandshakeFrameOverMaxMessageSize_Protocol_UNSPECIFIED()
    {
        var e = FailureOf(raw => raw.Send(RawPeer.Greeting(), RawPeer.Ready("PUSH")), MonitorEventType.HandshakeFailedProtocol,
            pull => pull.MaxMessageSize = 8);
        AssertProtocol(e, ZmqProtocolError.ZmtpUnspecified);
        Assert.Contains("MAXMSGSIZE", e.Reason);
    }

    [Fact]
    public void ErrorWithZapStatus_Auth_WithTheStatus()
    {
        var e = FailureOf(raw => raw.Send(RawPeer.Greeting(), RawPeer.Error("400")), MonitorEventType.HandshakeFailedAuth);
        Assert.Equal(400, e.Value);
        Assert.Null(e.ProtocolError);
    }

    [Fact]
    public void ErrorWithOtherReason_Protocol_UNSPECIFIED()
    {
        var e = FailureOf(raw => raw.Send(RawPeer.Greeting(), RawPeer.Error("Invalid socket type")), MonitorEventType.HandshakeFailedProtocol);
        AssertProtocol(e, ZmqProtocolError.ZmtpUnspecified);
        Assert.Contains("Invalid socket type", e.Reason);
    }

    [Fact]
    public void ProtocolErrorAfterTheHandshake_IsOnlyDisconnected()
    {
        var pull = S.Pull();
        using var mon = pull.Monitor();
        pull.Bind("tcp://127.0.0.1:*");
        using var raw = RawPeer.Connect(pull.LastEndpoint!);
        raw.Handshake("PUSH");
        var names = Until(mon, MonitorEventType.HandshakeSucceeded).Select(e => e.Type);
        Assert.Equal([MonitorEventType.Listening, MonitorEventType.Accepted, MonitorEventType.HandshakeSucceeded], names);
        raw.Send(RawPeer.Ready("PUSH")); // a second READY
        var e = Expect(mon, MonitorEventType.Disconnected);
        Assert.Equal(LocalEndpoint(raw.Socket), e.PeerAddress);
        Assert.Equal("unexpected READY after the handshake", e.Reason);
        Quiet(mon, TimeSpan.FromMilliseconds(30));
    }

    [Fact]
    public void ConnectSide_HandshakeTimeout_ThenDisconnectedThenRetried()
    {
        using var listener = new RawListener();
        var dealer = S.Dealer();
        dealer.HandshakeInterval = TimeSpan.FromMilliseconds(150);
        using var mon = dealer.Monitor();
        dealer.Connect(listener.Endpoint);
        using var raw = listener.Accept(); // accepts and says nothing
        var seen = Until(mon, MonitorEventType.ConnectRetried);
        Assert.Equal(
            [MonitorEventType.ConnectDelayed, MonitorEventType.Connected, MonitorEventType.HandshakeFailedNoDetail,
             MonitorEventType.Disconnected, MonitorEventType.ConnectRetried],
            seen.Select(e => e.Type));
        Assert.All(seen, e => Assert.Equal(listener.Endpoint, e.Endpoint));
        Assert.Equal(Errno.ETimedOut, seen[2].Value);
        Assert.Equal(listener.Endpoint, seen[2].PeerAddress);
        Assert.Equal(seen[1].Value, seen[3].Value); // CONNECTED and DISCONNECTED name the same handle
    }

    [Fact]
    public void ConnectSide_PeerWithAnotherMechanism_Protocol()
    {
        using var listener = new RawListener();
        var dealer = S.Dealer();
        using var mon = dealer.Monitor(MonitorEventType.HandshakeFailedProtocol | MonitorEventType.HandshakeSucceeded);
        dealer.Connect(listener.Endpoint);
        using var raw = listener.Accept();
        raw.Send(RawPeer.Greeting(mechanism: "PLAIN"));
        var e = Expect(mon, MonitorEventType.HandshakeFailedProtocol);
        Assert.Equal(ZmqProtocolError.ZmtpMechanismMismatch, e.ProtocolError);
        Assert.Equal(listener.Endpoint, e.Endpoint);
        Assert.Contains(Encoding.ASCII.GetString("PLAIN"u8), e.Reason);
    }
}
