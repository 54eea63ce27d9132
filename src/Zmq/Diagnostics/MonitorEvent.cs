using System.Globalization;

namespace Zmq;

/// <summary>One socket monitor event.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Endpoint">
/// The endpoint it happened on: the string given to Connect for connect-side events, the bound
/// endpoint (with the real port, as in <see cref="Socket.LastEndpoint"/>) for listener-side events,
/// the endpoint given to Bind for <see cref="MonitorEventType.BindFailed"/>; empty for
/// <see cref="MonitorEventType.MonitorStopped"/> and <see cref="MonitorEventType.LingerExpired"/>.
/// </param>
/// <param name="PeerAddress">
/// The other end of the connection as an endpoint (e.g. <c>tcp://127.0.0.1:50123</c>), for events
/// about one connection; null for listener and connect-attempt events and for unnamed ipc peers.
/// </param>
/// <param name="Value">
/// The event's value, as libzmq defines it per event (see <see cref="MonitorEventType"/>): an OS
/// socket handle, an errno, a reconnect interval in ms, a <see cref="ZmqProtocolError"/> code or a
/// ZAP status code.
/// </param>
/// <param name="Reason">Why, in words, for failures and endings (e.g. "peer closed the connection"); otherwise null.</param>
/// <param name="Time">When the event was raised.</param>
public sealed record MonitorEvent(MonitorEventType Type, string Endpoint, string? PeerAddress, long Value, string? Reason, DateTimeOffset Time)
{
    /// <summary>The event's libzmq name without the ZMQ_EVENT_ prefix, e.g. <c>"HANDSHAKE_SUCCEEDED"</c> (as CZMQ's zmonitor names it).</summary>
    public string Name => NameOf(Type);

    /// <summary>The protocol error code of a <see cref="MonitorEventType.HandshakeFailedProtocol"/> event; null for other events.</summary>
    public ZmqProtocolError? ProtocolError => Type == MonitorEventType.HandshakeFailedProtocol ? (ZmqProtocolError)Value : null;

    /// <summary>The name of one event type, e.g. <c>"CONNECT_RETRIED"</c>; a hexadecimal number for a combination.</summary>
    public static string NameOf(MonitorEventType type) => type switch
    {
        MonitorEventType.Connected => "CONNECTED",
        MonitorEventType.ConnectDelayed => "CONNECT_DELAYED",
        MonitorEventType.ConnectRetried => "CONNECT_RETRIED",
        MonitorEventType.Listening => "LISTENING",
        MonitorEventType.BindFailed => "BIND_FAILED",
        MonitorEventType.Accepted => "ACCEPTED",
        MonitorEventType.AcceptFailed => "ACCEPT_FAILED",
        MonitorEventType.Closed => "CLOSED",
        MonitorEventType.CloseFailed => "CLOSE_FAILED",
        MonitorEventType.Disconnected => "DISCONNECTED",
        MonitorEventType.MonitorStopped => "MONITOR_STOPPED",
        MonitorEventType.HandshakeFailedNoDetail => "HANDSHAKE_FAILED_NO_DETAIL",
        MonitorEventType.HandshakeSucceeded => "HANDSHAKE_SUCCEEDED",
        MonitorEventType.HandshakeFailedProtocol => "HANDSHAKE_FAILED_PROTOCOL",
        MonitorEventType.HandshakeFailedAuth => "HANDSHAKE_FAILED_AUTH",
        MonitorEventType.LingerExpired => "LINGER_EXPIRED",
        _ => "0x" + ((int)type).ToString("X", CultureInfo.InvariantCulture),
    };

    /// <inheritdoc/>
    public override string ToString()
    {
        string value = Type == MonitorEventType.HandshakeFailedProtocol
            ? "0x" + Value.ToString("X8", CultureInfo.InvariantCulture)
            : Value.ToString(CultureInfo.InvariantCulture);
        string peer = PeerAddress is null ? "" : " peer " + PeerAddress;
        string reason = Reason is null ? "" : ": " + Reason;
        string endpoint = Endpoint.Length == 0 ? "" : " " + Endpoint;
        return $"{Name}{endpoint}{peer} value {value}{reason}";
    }
}
