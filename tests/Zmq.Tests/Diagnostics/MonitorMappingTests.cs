using Zmq.Wire;
using System.Net.Sockets;
using Zmq.Diagnostics;
using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Diagnostics.MonitorExpect;

namespace Zmq.Tests.Diagnostics;

/// <summary>
/// The table from a connection's ending (<see cref="CloseKind"/>) to libzmq's handshake-failure
/// events and codes, and the hooks that cannot be provoked here (ACCEPT_FAILED needs the process
/// to run out of file descriptors), driven directly.
/// </summary>
public sealed class MonitorMappingTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    public static TheoryData<string, string?, MonitorEventType, long> Failures() => new()
    {
        { nameof(CloseKind.HandshakeTimeout), "handshake did not complete within HANDSHAKE_IVL", MonitorEventType.HandshakeFailedNoDetail, Errno.ETimedOut },
        { nameof(CloseKind.PeerClosed), "peer closed the connection during the handshake", MonitorEventType.HandshakeFailedNoDetail, Errno.EPipe },
        { nameof(CloseKind.Network), "network error: ConnectionReset", MonitorEventType.HandshakeFailedNoDetail, Errno.EConnReset },
        { nameof(CloseKind.Network), "timed out", MonitorEventType.HandshakeFailedNoDetail, Errno.ETimedOut },
        { nameof(CloseKind.Network), "network error: something else", MonitorEventType.HandshakeFailedNoDetail, Errno.EConnReset },
        { nameof(CloseKind.Internal), "internal error: x", MonitorEventType.HandshakeFailedNoDetail, 14 },
        { nameof(CloseKind.UnsupportedVersion), "ZMTP/2.0", MonitorEventType.HandshakeFailedProtocol, 0x1000_0000 },
        { nameof(CloseKind.MechanismMismatch), "mismatch", MonitorEventType.HandshakeFailedProtocol, 0x1100_0002 },
        { nameof(CloseKind.IncompatibleSocketType), "incompatible", MonitorEventType.HandshakeFailedProtocol, 0x1000_0018 },
        { nameof(CloseKind.InvalidMetadata), "malformed READY metadata", MonitorEventType.HandshakeFailedProtocol, 0x1000_0018 },
        { nameof(CloseKind.UnexpectedCommand), "expected READY, got PING", MonitorEventType.HandshakeFailedProtocol, 0x1000_0001 },
        { nameof(CloseKind.Protocol), "frame too large", MonitorEventType.HandshakeFailedProtocol, 0x1000_0000 },
        { nameof(CloseKind.PeerError), "peer sent ERROR during handshake: \"300\"", MonitorEventType.HandshakeFailedAuth, 300 },
        { nameof(CloseKind.PeerError), "peer sent ERROR during handshake: \"500\"", MonitorEventType.HandshakeFailedAuth, 500 },
        { nameof(CloseKind.PeerError), "peer sent ERROR during handshake: \"200\"", MonitorEventType.HandshakeFailedProtocol, 0x1000_0000 },
        { nameof(CloseKind.PeerError), "peer sent ERROR during handshake: \"\"", MonitorEventType.HandshakeFailedProtocol, 0x1000_0000 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void HandshakeFailure_MapsAsLibzmq(string kind, string? reason, MonitorEventType type, long value)
    {
        var mapped = MonitorHub.HandshakeFailure(Enum.Parse<CloseKind>(kind), reason);
        Assert.NotNull(mapped);
        Assert.Equal(type, mapped.Value.Type);
        Assert.Equal(value, mapped.Value.Value);
    }

    [Theory]
    [InlineData(nameof(CloseKind.Local))]
    [InlineData(nameof(CloseKind.Refused))]
    [InlineData(nameof(CloseKind.HeartbeatTimeout))]
    public void EndingsThatAreNoHandshakeFailure(string kind) => Assert.Null(MonitorHub.HandshakeFailure(Enum.Parse<CloseKind>(kind), "x"));

    [Fact]
    public void EveryCloseKind_IsDecided()
    {
        // A new CloseKind must be placed in the table on purpose: either a failure event or none.
        var none = new[] { CloseKind.Local, CloseKind.Refused, CloseKind.HeartbeatTimeout };
        foreach (var kind in Enum.GetValues<CloseKind>())
            Assert.True(none.Contains(kind) || MonitorHub.HandshakeFailure(kind, "") is not null, $"{kind} is not mapped");
    }

    [Fact]
    public void AcceptFailed_CarriesTheErrno()
    {
        var pull = S.Pull();
        using var mon = pull.Monitor(MonitorEventType.AcceptFailed);
        pull.Monitors!.AcceptFailed("tcp://127.0.0.1:5555", new SocketException((int)SocketError.TooManyOpenSockets));
        var e = Expect(mon, MonitorEventType.AcceptFailed);
        Assert.Equal("tcp://127.0.0.1:5555", e.Endpoint);
        if (!OperatingSystem.IsWindows()) Assert.Equal(24, e.Value); // EMFILE
        Assert.Equal("TooManyOpenSockets", e.Reason);
    }

    [Fact]
    public void Errno_OfExceptions()
    {
        Assert.Equal(Errno.EAddrInUse, Errno.Of(new ZmqException(ZmqError.AddressInUse, "x")));
        Assert.Equal(Errno.EAccess, Errno.Of(new UnauthorizedAccessException()));
        Assert.Equal(Errno.Of(SocketError.ConnectionRefused), Errno.Of(new ZmqException(ZmqError.Network, "x", inner: new SocketException((int)SocketError.ConnectionRefused))));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(111, Errno.Of(SocketError.ConnectionRefused));
            Assert.Equal(115, Errno.EInProgress);
        }
    }
}
