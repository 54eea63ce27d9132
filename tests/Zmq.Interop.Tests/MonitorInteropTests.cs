using System.Text.RegularExpressions;
using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>
/// Our socket monitor against libzmq peers: an incompatible libzmq peer is reported as a handshake
/// failure with a protocol code, a mechanism mismatch with the very code libzmq's own monitor
/// reports, and a libzmq peer going away as DISCONNECTED.
/// </summary>
public sealed partial class MonitorInteropTests
{
    [GeneratedRegex(@"^tcp://127\.0\.0\.1:\d+$")]
    private static partial Regex LoopbackTcp();

    private static MonitorEvent Expect(SocketMonitor monitor, MonitorEventType type)
    {
        if (!monitor.TryRead(TimeSpan.FromMilliseconds(Side.WaitMs), out var e))
            Assert.Fail($"no monitor event within {Side.WaitMs} ms (expected {MonitorEvent.NameOf(type)})");
        Assert.True(e.Type == type, $"expected {MonitorEvent.NameOf(type)}, got {e}");
        return e;
    }

    private static List<LzMonitorEvent> Watch(LzSocket monitor, int untilEvent, int afterMs = 200)
    {
        monitor.SetOption(LzOption.RcvTimeo, 20);
        var seen = new List<LzMonitorEvent>();
        var deadline = Environment.TickCount64 + Side.WaitMs;
        while (Environment.TickCount64 < deadline)
        {
            if (LzMonitorEvent.Receive(monitor) is not { } e)
                continue;
            seen.Add(e);
            if (e.Event == untilEvent)
                deadline = Math.Min(deadline, Environment.TickCount64 + afterMs);
        }
        return seen;
    }

    [SkippableFact]
    public void LibzmqPeerOfAnIncompatibleType_HandshakeFailedProtocol_InvalidMetadata()
    {
        LibZmqRequired.Check();
        using var context = new LzContext();
        using var ours = (OurSide)Side.Ours(SocketType.Push);
        using var monitor = ours.Socket.Monitor();
        var endpoint = ours.BindEphemeral();
        using var bad = (LzSide)Side.Lz(context, SocketType.Push);
        using var lzMonitor = bad.Socket.OpenMonitor();
        bad.Connect(endpoint);

        Expect(monitor, MonitorEventType.Listening);
        var accepted = Expect(monitor, MonitorEventType.Accepted);
        Assert.Matches(LoopbackTcp(), accepted.PeerAddress!);
        var failed = Expect(monitor, MonitorEventType.HandshakeFailedProtocol);
        Assert.Equal(ZmqProtocolError.ZmtpInvalidMetadata, failed.ProtocolError);
        Assert.Equal(0x10000018, failed.Value);
        Assert.Equal(endpoint, failed.Endpoint);
        Assert.Equal(accepted.PeerAddress, failed.PeerAddress);
        Assert.Contains("PUSH", failed.Reason);
        var disconnected = Expect(monitor, MonitorEventType.Disconnected);
        Assert.Equal(accepted.Value, disconnected.Value);

        // libzmq itself reports a socket-type mismatch with DISCONNECTED only (PROTOCOL-NOTES 2.3).
        var theirs = Watch(lzMonitor, LzEvent.Disconnected);
        var names = string.Join(", ", theirs.Select(e => e.Name));
        Assert.Contains(theirs, e => e.Event == LzEvent.Disconnected);
        Assert.DoesNotContain(theirs, e => e.Event == LzEvent.HandshakeSucceeded);
        Assert.True(theirs.TrueForAll(e => e.Event is not (LzEvent.HandshakeFailedProtocol or LzEvent.HandshakeFailedNoDetail)), names);
    }

    [SkippableFact]
    public void OurConnectToAnIncompatibleLibzmqPeer_FailedThenDisconnectedThenRetried()
    {
        LibZmqRequired.Check();
        using var context = new LzContext();
        using var bad = (LzSide)Side.Lz(context, SocketType.Push);
        var endpoint = bad.BindEphemeral();
        using var ours = (OurSide)Side.Ours(SocketType.Push);
        using var monitor = ours.Socket.Monitor();
        ours.Connect(endpoint);

        Expect(monitor, MonitorEventType.ConnectDelayed);
        var connected = Expect(monitor, MonitorEventType.Connected);
        Assert.Equal(endpoint, connected.PeerAddress);
        var failed = Expect(monitor, MonitorEventType.HandshakeFailedProtocol);
        Assert.Equal(ZmqProtocolError.ZmtpInvalidMetadata, failed.ProtocolError);
        Assert.Equal(endpoint, failed.Endpoint);
        var disconnected = Expect(monitor, MonitorEventType.Disconnected);
        Assert.Equal(connected.Value, disconnected.Value);
        var retried = Expect(monitor, MonitorEventType.ConnectRetried);
        Assert.InRange(retried.Value, 20, 39); // RECONNECT_IVL 20 ms plus jitter
    }

    /// <summary>
    /// A libzmq PLAIN client against our NULL server: libzmq reads our whole greeting, reports
    /// MECHANISM_MISMATCH and closes having sent only its signature (PROTOCOL-NOTES 2.1), so our side
    /// never sees its mechanism and reports what libzmq reports for a peer closing mid-handshake:
    /// HANDSHAKE_FAILED_NO_DETAIL with EPIPE. (A peer that sends its whole greeting, as ours does, is
    /// reported as MECHANISM_MISMATCH: see MonitorHandshakeTests.)
    /// </summary>
    [SkippableFact]
    public void LibzmqPeerWithAnotherMechanism_LibzmqReportsMismatch_WeReportItsClose()
    {
        LibZmqRequired.Check();
        using var context = new LzContext();
        using var ours = (OurSide)Side.Ours(SocketType.Pull);
        using var monitor = ours.Socket.Monitor();
        var endpoint = ours.BindEphemeral();
        using var plain = (LzSide)Side.Lz(context, SocketType.Push);
        plain.Socket.SetOption(LzOption.PlainUsername, "admin");
        plain.Socket.SetOption(LzOption.PlainPassword, "secret");
        using var lzMonitor = plain.Socket.OpenMonitor();
        plain.Connect(endpoint);

        var theirs = Watch(lzMonitor, LzEvent.HandshakeFailedProtocol, afterMs: 0);
        var theirFailure = theirs.Find(e => e.Event == LzEvent.HandshakeFailedProtocol);
        Assert.True(theirFailure is not null, $"libzmq events: {string.Join(", ", theirs.Select(e => e.Name))}");
        Assert.Equal((int)ZmqProtocolError.ZmtpMechanismMismatch, theirFailure.Value);

        Expect(monitor, MonitorEventType.Listening);
        var accepted = Expect(monitor, MonitorEventType.Accepted);
        var ourFailure = Expect(monitor, MonitorEventType.HandshakeFailedNoDetail);
        Assert.Equal(accepted.PeerAddress, ourFailure.PeerAddress);
        Assert.Equal("peer closed the connection during the handshake", ourFailure.Reason);
        if (OperatingSystem.IsLinux()) Assert.Equal(32, ourFailure.Value); // EPIPE, as libzmq reports a peer closing mid-handshake
        Expect(monitor, MonitorEventType.Disconnected);
    }

    [SkippableFact]
    public void LibzmqPeerDisconnecting_Disconnected()
    {
        LibZmqRequired.Check();
        using var context = new LzContext();
        using var ours = (OurSide)Side.Ours(SocketType.Pull);
        using var monitor = ours.Socket.Monitor();
        var endpoint = ours.BindEphemeral();
        var peer = Side.Lz(context, SocketType.Push);
        try
        {
            peer.Connect(endpoint);
            peer.Send(B("hello"));
            Assert.Equal([B("hello")], ours.Receive());
        }
        finally
        {
            peer.Dispose(); // zmq_close, LINGER 0
        }

        Expect(monitor, MonitorEventType.Listening);
        var accepted = Expect(monitor, MonitorEventType.Accepted);
        var handshake = Expect(monitor, MonitorEventType.HandshakeSucceeded);
        Assert.Equal(accepted.PeerAddress, handshake.PeerAddress);
        var gone = Expect(monitor, MonitorEventType.Disconnected);
        Assert.Equal(endpoint, gone.Endpoint);
        Assert.Equal(accepted.PeerAddress, gone.PeerAddress);
        Assert.Equal(accepted.Value, gone.Value);
        Assert.Equal("peer closed the connection", gone.Reason);
    }

    [SkippableFact]
    public void LibzmqServerGoingAway_DisconnectedThenRetried()
    {
        LibZmqRequired.Check();
        using var context = new LzContext();
        var server = Side.Lz(context, SocketType.Pull);
        using var ours = (OurSide)Side.Ours(SocketType.Push);
        using var monitor = ours.Socket.Monitor();
        string endpoint;
        try
        {
            endpoint = server.BindEphemeral();
            ours.Connect(endpoint);
            ours.Send(B("hello"));
            Assert.Equal([B("hello")], server.Receive());
        }
        finally
        {
            server.Dispose();
        }

        Expect(monitor, MonitorEventType.ConnectDelayed);
        Expect(monitor, MonitorEventType.Connected);
        Expect(monitor, MonitorEventType.HandshakeSucceeded);
        var gone = Expect(monitor, MonitorEventType.Disconnected);
        Assert.Equal(endpoint, gone.Endpoint);
        Assert.Equal(endpoint, gone.PeerAddress);
        Expect(monitor, MonitorEventType.ConnectRetried);
    }
}
