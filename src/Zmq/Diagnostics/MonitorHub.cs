using Zmq.Wire;
using System.Net;
using System.Net.Sockets;
using Zmq.Engine;
using Zmq.Transports;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Diagnostics;

/// <summary>Where a monitor's events go: a queue read by the application, or an inproc PAIR socket.</summary>
internal abstract class MonitorSink(MonitorEventType events)
{
    public MonitorEventType Events { get; } = events;

    /// <summary>Takes one event; never blocks and never throws (a full sink drops and counts).</summary>
    public abstract void Deliver(MonitorEvent e);

    /// <summary>After MONITOR_STOPPED: no more events will come.</summary>
    public abstract void Complete();
}

/// <summary>
/// A socket's monitors and the hook methods the transports and engines call. The socket's
/// <see cref="Socket.Monitors"/> field points here only while at least one monitor exists, so a hook
/// costs one null check when nobody monitors. Events are built off the message path (connections,
/// listeners, connect attempts), delivered in one order to every monitor under one lock, and dropped
/// once the hub has stopped, so that MONITOR_STOPPED is always the last event a monitor sees.
/// </summary>
internal sealed class MonitorHub
{
    /// <summary>Marks a socket disposed without ever having had a monitor: new monitors are refused.</summary>
    public static readonly MonitorHub Disposed = new(null, stopped: true);

    private readonly Socket? _socket;
    private readonly Lock _lock = new();
    private MonitorSink[] _sinks = [];
    private volatile int _mask;
    private bool _stopped;

    public MonitorHub(Socket? socket, bool stopped = false)
    {
        _socket = socket;
        _stopped = stopped;
    }

    public bool IsStopped
    {
        get
        {
            lock (_lock) return _stopped;
        }
    }

    /// <summary>True when some monitor wants events of this type.</summary>
    public bool Wants(MonitorEventType type) => (_mask & (int)type) != 0;

    /// <summary>Adds a monitor; false when the socket has been disposed.</summary>
    public bool TryAdd(MonitorSink sink)
    {
        lock (_lock)
        {
            if (_stopped) return false;
            _sinks = [.. _sinks, sink];
            Update();
        }
        return true;
    }

    /// <summary>Removes a monitor, sending it MONITOR_STOPPED as its last event.</summary>
    public void Remove(MonitorSink sink)
    {
        lock (_lock)
        {
            int i = Array.IndexOf(_sinks, sink);
            if (i < 0) return;
            _sinks = [.. _sinks.AsSpan(0, i), .. _sinks.AsSpan(i + 1)];
            Update();
            StopOne(sink, StoppedEvent());
        }
    }

    /// <summary>The socket is disposed: every monitor gets MONITOR_STOPPED; later events are dropped.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            if (_stopped) return;
            _stopped = true;
            var e = StoppedEvent();
            foreach (var s in _sinks) StopOne(s, e);
            _sinks = [];
            Update();
        }
    }

    private static MonitorEvent StoppedEvent() => new(MonitorEventType.MonitorStopped, "", null, 0, null, DateTimeOffset.UtcNow);

    private static void StopOne(MonitorSink sink, MonitorEvent stopped)
    {
        if ((sink.Events & MonitorEventType.MonitorStopped) != 0) sink.Deliver(stopped);
        sink.Complete();
    }

    private void Update()
    {
        int mask = 0;
        foreach (var s in _sinks) mask |= (int)s.Events;
        _mask = mask;
        if (_socket is not null) _socket.Monitors = _sinks.Length > 0 ? this : null;
    }

    private void Emit(MonitorEventType type, string endpoint, string? peer, long value, string? reason)
    {
        if (!Wants(type)) return;
        var e = new MonitorEvent(type, endpoint, peer, value, reason, DateTimeOffset.UtcNow);
        lock (_lock)
        {
            if (_stopped) return;
            foreach (var s in _sinks)
                if ((s.Events & type) != 0) s.Deliver(e);
        }
    }

    // ---- hooks: listeners ----

    public void Listening(string endpoint, NetSocket listener) =>
        Emit(MonitorEventType.Listening, endpoint, null, HandleOf(listener), null);

    public void BindFailed(string endpoint, Exception error) =>
        Emit(MonitorEventType.BindFailed, endpoint, null, Errno.Of(error), Describe(error));

    public void Accepted(ZmtpConnection connection, NetSocket client)
    {
        if (Wants(MonitorEventType.Accepted))
            Emit(MonitorEventType.Accepted, connection.Endpoint, PeerOf(connection), HandleOf(client), null);
    }

    public void AcceptFailed(string endpoint, Exception error) =>
        Emit(MonitorEventType.AcceptFailed, endpoint, null, Errno.Of(error), Describe(error));

    /// <summary>A listener stopped: CLOSED, or CLOSE_FAILED (instead, as libzmq does) when cleaning up after it failed.</summary>
    public void ListenerClosed(string endpoint, NetSocket listener, Exception? cleanupError)
    {
        if (cleanupError is null) Emit(MonitorEventType.Closed, endpoint, null, HandleOf(listener), null);
        else Emit(MonitorEventType.CloseFailed, endpoint, null, Errno.Of(cleanupError), Describe(cleanupError));
    }

    // ---- hooks: connectors ----

    /// <summary>A connect attempt starts. tcp only: an ipc connect completes or fails at once, as in libzmq.</summary>
    public void ConnectDelayed(string endpoint)
    {
        if (endpoint.StartsWith("tcp://", StringComparison.Ordinal))
            Emit(MonitorEventType.ConnectDelayed, endpoint, null, Errno.EInProgress, null);
    }

    public void Connected(ZmtpConnection connection, NetSocket sock)
    {
        if (Wants(MonitorEventType.Connected))
            Emit(MonitorEventType.Connected, connection.Endpoint, PeerOf(connection), HandleOf(sock), null);
    }

    /// <summary>The socket of a failed or abandoned connect attempt was closed (libzmq reports CLOSED for it).</summary>
    public void ConnectAttemptClosed(string endpoint, NetSocket? sock, string reason)
    {
        if (sock is not null) Emit(MonitorEventType.Closed, endpoint, null, HandleOf(sock), reason);
    }

    public void ConnectRetried(string endpoint, int delayMs, string reason) =>
        Emit(MonitorEventType.ConnectRetried, endpoint, null, delayMs, reason);

    // ---- hooks: connections ----

    public void HandshakeSucceeded(ZmtpConnection connection)
    {
        if (Wants(MonitorEventType.HandshakeSucceeded))
            Emit(MonitorEventType.HandshakeSucceeded, connection.Endpoint, PeerOf(connection), 0, null);
    }

    /// <summary>An authentication failure with a ZAP status code (300, 400, 500): for the security mechanisms.</summary>
    public void HandshakeFailedAuth(ZmtpConnection connection, int status, string reason)
    {
        if (Wants(MonitorEventType.HandshakeFailedAuth))
            Emit(MonitorEventType.HandshakeFailedAuth, connection.Endpoint, PeerOf(connection), status, reason);
    }

    /// <summary>
    /// A connection ended (called once, from its Close): HANDSHAKE_FAILED_* first when it ended during
    /// the handshake for a reason of the peer's or the network's, then DISCONNECTED.
    /// </summary>
    public void ConnectionClosed(ZmtpConnection connection, NetSocket sock)
    {
        const MonitorEventType any = MonitorEventType.Disconnected | MonitorEventType.HandshakeFailedNoDetail
            | MonitorEventType.HandshakeFailedProtocol | MonitorEventType.HandshakeFailedAuth;
        if (!Wants(any)) return;
        string? reason = connection.CloseReason;
        string? peer = PeerOf(connection);
        if ((!connection.HandshakeDone || connection.CloseKind == CloseKind.ProtocolCode)
            && HandshakeFailure(connection.CloseKind, reason, connection.CloseDetail) is var (type, value))
            Emit(type, connection.Endpoint, peer, value, reason);
        Emit(MonitorEventType.Disconnected, connection.Endpoint, peer, HandleOf(sock), reason);
    }

    // ---- socket ----

    public void LingerExpired(int dropped) => Emit(MonitorEventType.LingerExpired, "", null, dropped,
        $"linger expired with {dropped} message(s) undelivered; they were dropped");

    // ---- mapping ----

    /// <summary>
    /// The handshake-failure event of a connection that ended before its handshake completed, as
    /// libzmq reports the same failure (see PROTOCOL-NOTES and zmq.h); null for endings that are no
    /// handshake failure (closed by this side, refused by the socket).
    /// </summary>
    internal static (MonitorEventType Type, long Value)? HandshakeFailure(CloseKind kind, string? reason, long detail = 0) => kind switch
    {
        CloseKind.AuthFailed => (MonitorEventType.HandshakeFailedAuth, detail),
        CloseKind.ProtocolCode => (MonitorEventType.HandshakeFailedProtocol, detail),
        CloseKind.NoZapHandler => (MonitorEventType.HandshakeFailedNoDetail, 14), // EFAULT, as libzmq
        CloseKind.HandshakeTimeout => (MonitorEventType.HandshakeFailedNoDetail, Errno.ETimedOut),
        CloseKind.PeerClosed => (MonitorEventType.HandshakeFailedNoDetail, Errno.EPipe),
        CloseKind.Network => (MonitorEventType.HandshakeFailedNoDetail, NetworkErrno(reason)),
        CloseKind.Internal => (MonitorEventType.HandshakeFailedNoDetail, 14), // EFAULT, as libzmq for its internal failures
        CloseKind.UnsupportedVersion => Protocol(ZmqProtocolError.ZmtpUnspecified),
        CloseKind.MechanismMismatch => Protocol(ZmqProtocolError.ZmtpMechanismMismatch),
        CloseKind.IncompatibleSocketType => Protocol(ZmqProtocolError.ZmtpInvalidMetadata),
        CloseKind.InvalidMetadata => Protocol(ZmqProtocolError.ZmtpInvalidMetadata),
        CloseKind.UnexpectedCommand => Protocol(ZmqProtocolError.ZmtpUnexpectedCommand),
        CloseKind.Protocol => Protocol(ZmqProtocolError.ZmtpUnspecified),
        CloseKind.PeerError => ZapStatus(reason) is int status
            ? (MonitorEventType.HandshakeFailedAuth, status)
            : Protocol(ZmqProtocolError.ZmtpUnspecified),
        _ => null,
    };

    private static (MonitorEventType, long) Protocol(ZmqProtocolError code) => (MonitorEventType.HandshakeFailedProtocol, (long)code);

    /// <summary>
    /// A peer's ERROR reason that is a ZAP status code ("300", "400", "500") means an authentication
    /// failure, as libzmq's mechanism_base_t::handle_error_reason reads it. The engine quotes the
    /// reason at the end of the close reason: <c>peer sent ERROR during handshake: "400"</c>.
    /// </summary>
    private static int? ZapStatus(string? reason)
    {
        if (reason is null || reason.Length < 5 || reason[^1] != '"' || reason[^5] != '"') return null;
        char c = reason[^4];
        return c is >= '3' and <= '5' && reason[^3] == '0' && reason[^2] == '0' ? (c - '0') * 100 : null;
    }

    /// <summary>The errno of a network failure, from the engine's reason ("network error: ConnectionReset", "timed out").</summary>
    private static long NetworkErrno(string? reason)
    {
        const string prefix = "network error: ";
        if (reason == "timed out") return Errno.ETimedOut;
        if (reason is not null && reason.StartsWith(prefix, StringComparison.Ordinal)
            && Enum.TryParse<SocketError>(reason.AsSpan(prefix.Length), out var error))
            return Errno.Of(error);
        return Errno.EConnReset;
    }

    // ---- helpers ----

    private static long HandleOf(NetSocket s)
    {
        try
        {
            return (long)s.Handle;
        }
        catch (Exception)
        {
            return -1;
        }
    }

    /// <summary>The peer's address as an endpoint: tcp://ip:port, or ipc:// with the peer's path (null when unnamed).</summary>
    internal static string? PeerOf(ZmtpConnection connection)
    {
        string remote = connection.RemoteAddress;
        if (remote.Length == 0) return null;
        if (connection.Endpoint.StartsWith("tcp://", StringComparison.Ordinal))
            return IPEndPoint.TryParse(remote, out var ep) ? TcpAddress.Format(ep) : "tcp://" + remote;
        if (connection.Endpoint.StartsWith("ipc://", StringComparison.Ordinal))
            return "ipc://" + remote.Replace('\0', '@');
        return remote;
    }

    private static string Describe(Exception ex) => ex switch
    {
        ZmqException z => z.Message,
        SocketException se => se.SocketErrorCode.ToString(),
        _ => ex.Message,
    };
}
