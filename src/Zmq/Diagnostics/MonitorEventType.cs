namespace Zmq;

/// <summary>
/// The events a socket monitor reports (see <see cref="Socket.Monitor(MonitorEventType, int)"/>), with
/// libzmq's <c>ZMQ_EVENT_*</c> values so that masks and the libzmq wire format carry over unchanged.
/// Combine them to choose what a monitor receives.
/// </summary>
[Flags]
public enum MonitorEventType
{
    /// <summary>No events.</summary>
    None = 0,

    /// <summary>
    /// ZMQ_EVENT_CONNECTED: a connect attempt succeeded (the TCP or ipc connection exists; the ZMTP
    /// handshake follows). Value: the connection's OS socket handle (libzmq: its fd).
    /// </summary>
    Connected = 0x0001,

    /// <summary>
    /// ZMQ_EVENT_CONNECT_DELAYED: a tcp connect attempt has started and has not completed yet (libzmq
    /// emits it when a non-blocking connect returns EINPROGRESS). Emitted before every tcp attempt,
    /// never for ipc. Value: the errno EINPROGRESS.
    /// </summary>
    ConnectDelayed = 0x0002,

    /// <summary>
    /// ZMQ_EVENT_CONNECT_RETRIED: a connect attempt failed or a connection ended, and the next attempt
    /// is scheduled. Value: the reconnect interval in milliseconds (RECONNECT_IVL, backed off and
    /// with jitter, as libzmq computes it).
    /// </summary>
    ConnectRetried = 0x0004,

    /// <summary>ZMQ_EVENT_LISTENING: a tcp or ipc bind succeeded. Value: the listening socket's OS handle.</summary>
    Listening = 0x0008,

    /// <summary>ZMQ_EVENT_BIND_FAILED: a tcp or ipc bind failed (Bind also throws). Value: the errno, e.g. EADDRINUSE.</summary>
    BindFailed = 0x0010,

    /// <summary>ZMQ_EVENT_ACCEPTED: a listener accepted a connection (the handshake follows). Value: the connection's OS handle.</summary>
    Accepted = 0x0020,

    /// <summary>ZMQ_EVENT_ACCEPT_FAILED: accepting a connection failed (e.g. out of file descriptors). Value: the errno.</summary>
    AcceptFailed = 0x0040,

    /// <summary>
    /// ZMQ_EVENT_CLOSED: a listening socket was closed (Unbind, Dispose), or, as in libzmq, the
    /// socket of a connect attempt was closed because the attempt failed or was abandoned.
    /// Value: the OS handle of the closed socket.
    /// </summary>
    Closed = 0x0080,

    /// <summary>
    /// ZMQ_EVENT_CLOSE_FAILED: a listener could not be closed cleanly (ipc: its socket file could not
    /// be removed). Reported instead of <see cref="Closed"/>. Value: the errno.
    /// </summary>
    CloseFailed = 0x0100,

    /// <summary>
    /// ZMQ_EVENT_DISCONNECTED: a connection ended, established or still handshaking, whoever ended it
    /// (<see cref="MonitorEvent.Reason"/> says why). Value: the connection's OS handle.
    /// </summary>
    Disconnected = 0x0200,

    /// <summary>
    /// ZMQ_EVENT_MONITOR_STOPPED: the last event of every monitor, when the monitor or its socket is
    /// disposed. Value 0, empty endpoint.
    /// </summary>
    MonitorStopped = 0x0400,

    /// <summary>
    /// ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: the handshake failed for a reason other than the protocol,
    /// e.g. HANDSHAKE_IVL expired (ETIMEDOUT) or the peer closed or reset the connection (EPIPE,
    /// ECONNRESET). Value: the errno. A <see cref="Disconnected"/> follows.
    /// </summary>
    HandshakeFailedNoDetail = 0x0800,

    /// <summary>ZMQ_EVENT_HANDSHAKE_SUCCEEDED: the ZMTP handshake completed; messages can flow. Value 0.</summary>
    HandshakeSucceeded = 0x1000,

    /// <summary>
    /// ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: the peer broke the ZMTP protocol during the handshake.
    /// Value: one of <see cref="ZmqProtocolError"/> (libzmq's ZMQ_PROTOCOL_ERROR_* codes). A
    /// <see cref="Disconnected"/> follows.
    /// </summary>
    HandshakeFailedProtocol = 0x2000,

    /// <summary>
    /// ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: authentication failed. Value: the ZAP status code (300, 400,
    /// 500), e.g. from a peer's ERROR "400". A <see cref="Disconnected"/> follows.
    /// </summary>
    HandshakeFailedAuth = 0x4000,

    /// <summary>Every libzmq event (ZMQ_EVENT_ALL, 0xFFFF).</summary>
    AllLibZmq = 0xFFFF,

    /// <summary>
    /// This library's own event (not in libzmq, never sent in <see cref="MonitorFormat.LibZmq"/>
    /// form): Dispose's LINGER ran out with messages still undelivered, and they were dropped.
    /// Value: the number of messages dropped.
    /// </summary>
    LingerExpired = 0x2_0000,

    /// <summary>Every event: all of libzmq's plus <see cref="LingerExpired"/>.</summary>
    All = AllLibZmq | LingerExpired,
}
