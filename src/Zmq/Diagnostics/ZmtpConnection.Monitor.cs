using Zmq.Wire;
using Zmq.Diagnostics;
using Zmq.Routing;

namespace Zmq.Engine;

/// <summary>The connection's side of socket monitoring (see Diagnostics/MonitorHub.cs); kept here so the engine files carry only one-line hooks.</summary>
internal sealed partial class ZmtpConnection
{
    private volatile bool _handshakeDone;

    /// <summary>True once the ZMTP handshake completed: a later ending is a plain DISCONNECTED, not a handshake failure.</summary>
    public bool HandshakeDone => _handshakeDone;

    /// <summary>Hook: the handshake completed (HANDSHAKE_SUCCEEDED).</summary>
    private void MarkHandshakeDone()
    {
        _handshakeDone = true;
        ZmqMetrics.Handshakes.Add(1, SocketTag, new("outcome", "ok"));
        if (!IsClosed) _host.Monitors?.HandshakeSucceeded(this);
    }

    // ---- metrics (Diagnostics/ZmqMetrics.cs): once per connection, never per message ----

    private bool _counted;

    private KeyValuePair<string, object?> SocketTag => new("socket.type", SocketTypeInfo.WireName(_s.Type));

    private KeyValuePair<string, object?> TransportTag => new("transport", _sock.AddressFamily == System.Net.Sockets.AddressFamily.Unix ? "ipc" : "tcp");

    private void CountOpened()
    {
        _counted = true;
        var transport = TransportTag;
        ZmqMetrics.ConnectionsOpened.Add(1, SocketTag, transport);
        ZmqMetrics.ConnectionsActive.Add(1, SocketTag, transport);
    }

    private void CountClosed()
    {
        if (!_counted) return;
        ZmqMetrics.ConnectionsActive.Add(-1, SocketTag, TransportTag);
        if (!_handshakeDone && CloseKind != CloseKind.Local)
            ZmqMetrics.Handshakes.Add(1, SocketTag, new("outcome", ZmqMetrics.FailureOutcome(CloseKind)));
    }
}
