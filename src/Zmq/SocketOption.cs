namespace Zmq;

/// <summary>
/// libzmq's socket option numbers (zmq.h, stable API of libzmq 4.3), for code ported from libzmq or
/// CZMQ: <see cref="Socket.SetOption(SocketOption, object?)"/> and <see cref="Socket.GetOption(SocketOption)"/>
/// map them onto the typed properties. Options marked "not supported" are listed so that using one
/// fails with a <see cref="ZmqException"/> (<see cref="ZmqError.InvalidOption"/>) that names it.
/// </summary>
public enum SocketOption
{
    /// <summary>ZMQ_AFFINITY (4): I/O thread affinity (not supported: this library has no I/O thread pool).</summary>
    Affinity = 4,
    /// <summary>ZMQ_ROUTING_ID (5): The identity announced to ROUTER peers (binary, 1-255 bytes): <see cref="Socket.RoutingId"/>.</summary>
    RoutingId = 5,
    /// <summary>ZMQ_SUBSCRIBE (6): SUB/XSUB: add a subscription (binary prefix), <see cref="SubSocket.Subscribe(ReadOnlySpan{byte})"/>; XPUB with XPUB_MANUAL: <see cref="XPubSocket.Subscribe(ReadOnlySpan{byte})"/>. Set only.</summary>
    Subscribe = 6,
    /// <summary>ZMQ_UNSUBSCRIBE (7): SUB/XSUB: remove a subscription, <see cref="SubSocket.Unsubscribe(ReadOnlySpan{byte})"/>; XPUB with XPUB_MANUAL: <see cref="XPubSocket.Unsubscribe(ReadOnlySpan{byte})"/>. Set only.</summary>
    Unsubscribe = 7,
    /// <summary>ZMQ_RATE (8): Multicast data rate (not supported: no multicast transports).</summary>
    Rate = 8,
    /// <summary>ZMQ_RECOVERY_IVL (9): Multicast recovery interval (not supported).</summary>
    RecoveryIvl = 9,
    /// <summary>ZMQ_SNDBUF (11): kernel send buffer size, <see cref="Socket.SendBufferSize"/>.</summary>
    SndBuf = 11,
    /// <summary>ZMQ_RCVBUF (12): kernel receive buffer size, <see cref="Socket.ReceiveBufferSize"/>.</summary>
    RcvBuf = 12,
    /// <summary>ZMQ_RCVMORE (13): More frames follow (not supported: messages are received whole).</summary>
    RcvMore = 13,
    /// <summary>ZMQ_FD (14): The file descriptor to poll (not supported).</summary>
    Fd = 14,
    /// <summary>ZMQ_EVENTS (15): Readiness bits, ZMQ_POLLIN 1 and ZMQ_POLLOUT 2: <see cref="Socket.Events"/>. Get only.</summary>
    Events = 15,
    /// <summary>ZMQ_TYPE (16): The socket type as libzmq's number: <see cref="Socket.Type"/>. Get only.</summary>
    Type = 16,
    /// <summary>ZMQ_LINGER (17): Linger period in ms (-1 forever): <see cref="Socket.Linger"/>.</summary>
    Linger = 17,
    /// <summary>ZMQ_RECONNECT_IVL (18): Reconnect interval in ms (-1 never): <see cref="Socket.ReconnectInterval"/>.</summary>
    ReconnectIvl = 18,
    /// <summary>ZMQ_BACKLOG (19): listen backlog, <see cref="Socket.Backlog"/>.</summary>
    Backlog = 19,
    /// <summary>ZMQ_RECONNECT_IVL_MAX (21): Maximum reconnect interval in ms: <see cref="Socket.ReconnectIntervalMax"/>.</summary>
    ReconnectIvlMax = 21,
    /// <summary>ZMQ_MAXMSGSIZE (22): Largest accepted frame in bytes (int64, -1 no limit): <see cref="Socket.MaxMessageSize"/>.</summary>
    MaxMsgSize = 22,
    /// <summary>ZMQ_SNDHWM (23): Send high-water mark in messages: <see cref="Socket.SendHighWatermark"/>.</summary>
    SndHwm = 23,
    /// <summary>ZMQ_RCVHWM (24): Receive high-water mark in messages: <see cref="Socket.ReceiveHighWatermark"/>.</summary>
    RcvHwm = 24,
    /// <summary>ZMQ_MULTICAST_HOPS (25): Multicast hops (not supported).</summary>
    MulticastHops = 25,
    /// <summary>ZMQ_RCVTIMEO (27): Receive time-out in ms (-1 forever): <see cref="Socket.ReceiveTimeout"/>.</summary>
    RcvTimeo = 27,
    /// <summary>ZMQ_SNDTIMEO (28): Send time-out in ms (-1 forever): <see cref="Socket.SendTimeout"/>.</summary>
    SndTimeo = 28,
    /// <summary>ZMQ_IPV4ONLY (31): Deprecated inverse of ZMQ_IPV6 (not supported).</summary>
    Ipv4Only = 31,
    /// <summary>ZMQ_LAST_ENDPOINT (32): The last endpoint bound or connected: <see cref="Socket.LastEndpoint"/>. Get only.</summary>
    LastEndpoint = 32,
    /// <summary>ZMQ_ROUTER_MANDATORY (33): ROUTER: fail on unroutable messages: <see cref="RouterSocket.Mandatory"/>.</summary>
    RouterMandatory = 33,
    /// <summary>ZMQ_TCP_KEEPALIVE (34): TCP keep-alive (-1 system default, 0 off, 1 on): <see cref="Socket.TcpKeepalive"/>.</summary>
    TcpKeepalive = 34,
    /// <summary>ZMQ_TCP_KEEPALIVE_CNT (35): TCP keep-alive probe count: <see cref="Socket.TcpKeepaliveCount"/>.</summary>
    TcpKeepaliveCnt = 35,
    /// <summary>ZMQ_TCP_KEEPALIVE_IDLE (36): TCP keep-alive idle time in seconds: <see cref="Socket.TcpKeepaliveIdle"/>.</summary>
    TcpKeepaliveIdle = 36,
    /// <summary>ZMQ_TCP_KEEPALIVE_INTVL (37): TCP keep-alive probe interval in seconds: <see cref="Socket.TcpKeepaliveInterval"/>.</summary>
    TcpKeepaliveIntvl = 37,
    /// <summary>ZMQ_TCP_ACCEPT_FILTER (38): Deprecated accept filter (not supported).</summary>
    TcpAcceptFilter = 38,
    /// <summary>ZMQ_IMMEDIATE (39): Queue only to completed connections: <see cref="Socket.Immediate"/>.</summary>
    Immediate = 39,
    /// <summary>ZMQ_XPUB_VERBOSE (40): XPUB: pass every subscribe: <see cref="XPubSocket.Verbose"/>.</summary>
    XPubVerbose = 40,
    /// <summary>ZMQ_ROUTER_RAW (41): Deprecated raw ROUTER (not supported).</summary>
    RouterRaw = 41,
    /// <summary>ZMQ_IPV6 (42): dual-stack wildcard binds, <see cref="Socket.Ipv6"/> (0 or 1).</summary>
    Ipv6 = 42,
    /// <summary>ZMQ_MECHANISM (43): The security mechanism as libzmq's number (0 NULL, 1 PLAIN, 2 CURVE): <see cref="Socket.Mechanism"/>. Get only.</summary>
    Mechanism = 43,
    /// <summary>ZMQ_PLAIN_SERVER (44): PLAIN server role: <see cref="Socket.PlainServer"/>.</summary>
    PlainServer = 44,
    /// <summary>ZMQ_PLAIN_USERNAME (45): PLAIN user name (a string): <see cref="Socket.PlainUsername"/>.</summary>
    PlainUsername = 45,
    /// <summary>ZMQ_PLAIN_PASSWORD (46): PLAIN password (a string): <see cref="Socket.PlainPassword"/>.</summary>
    PlainPassword = 46,
    /// <summary>ZMQ_CURVE_SERVER (47): CURVE server role: <see cref="Socket.CurveServer"/>.</summary>
    CurveServer = 47,
    /// <summary>ZMQ_CURVE_PUBLICKEY (48): this socket's CURVE public key (32 bytes, or 40 Z85 characters): <see cref="Socket.CurvePublicKey"/>.</summary>
    CurvePublicKey = 48,
    /// <summary>ZMQ_CURVE_SECRETKEY (49): this socket's CURVE secret key (32 bytes, or 40 Z85 characters): <see cref="Socket.CurveSecretKey"/>.</summary>
    CurveSecretKey = 49,
    /// <summary>ZMQ_CURVE_SERVERKEY (50): the server's CURVE public key (32 bytes, or 40 Z85 characters): <see cref="Socket.CurveServerKey"/>.</summary>
    CurveServerKey = 50,
    /// <summary>ZMQ_PROBE_ROUTER (51): ROUTER, DEALER, REQ: send an empty message to each new peer: <see cref="DealerSocket.ProbeRouter"/>.</summary>
    ProbeRouter = 51,
    /// <summary>ZMQ_REQ_CORRELATE (52): REQ: request ids: <see cref="ReqSocket.Correlate"/>.</summary>
    ReqCorrelate = 52,
    /// <summary>ZMQ_REQ_RELAXED (53): REQ: allow a new request before the reply: <see cref="ReqSocket.Relaxed"/>.</summary>
    ReqRelaxed = 53,
    /// <summary>ZMQ_CONFLATE (54): PUSH, PULL, PUB, SUB, DEALER: keep only the newest message per queue: <see cref="PushSocket.Conflate"/>.</summary>
    Conflate = 54,
    /// <summary>ZMQ_ZAP_DOMAIN (55): the ZAP domain (a string): <see cref="Socket.ZapDomain"/>.</summary>
    ZapDomain = 55,
    /// <summary>ZMQ_ROUTER_HANDOVER (56): ROUTER: a new peer takes over a routing id in use: <see cref="RouterSocket.Handover"/>.</summary>
    RouterHandover = 56,
    /// <summary>ZMQ_TOS (57): IP type-of-service (not supported yet).</summary>
    Tos = 57,
    /// <summary>ZMQ_IPC_FILTER_PID (58): Deprecated ipc filter (not supported).</summary>
    IpcFilterPid = 58,
    /// <summary>ZMQ_IPC_FILTER_UID (59): Deprecated ipc filter (not supported).</summary>
    IpcFilterUid = 59,
    /// <summary>ZMQ_IPC_FILTER_GID (60): Deprecated ipc filter (not supported).</summary>
    IpcFilterGid = 60,
    /// <summary>ZMQ_CONNECT_ROUTING_ID (61): Routing id for the next connect (not supported yet).</summary>
    ConnectRoutingId = 61,
    /// <summary>ZMQ_GSSAPI_SERVER (62): GSSAPI (not supported).</summary>
    GssapiServer = 62,
    /// <summary>ZMQ_GSSAPI_PRINCIPAL (63): GSSAPI (not supported).</summary>
    GssapiPrincipal = 63,
    /// <summary>ZMQ_GSSAPI_SERVICE_PRINCIPAL (64): GSSAPI (not supported).</summary>
    GssapiServicePrincipal = 64,
    /// <summary>ZMQ_GSSAPI_PLAINTEXT (65): GSSAPI (not supported).</summary>
    GssapiPlaintext = 65,
    /// <summary>ZMQ_HANDSHAKE_IVL (66): Handshake time limit in ms (0 none): <see cref="Socket.HandshakeInterval"/>.</summary>
    HandshakeIvl = 66,
    /// <summary>ZMQ_SOCKS_PROXY (68): SOCKS5 proxy (not supported).</summary>
    SocksProxy = 68,
    /// <summary>ZMQ_XPUB_NODROP (69): XPUB, PUB: block instead of dropping for a full subscriber: <see cref="XPubSocket.NoDrop"/>.</summary>
    XPubNoDrop = 69,
    /// <summary>ZMQ_BLOCKY (70): A context option in libzmq (not a socket option here).</summary>
    Blocky = 70,
    /// <summary>ZMQ_XPUB_MANUAL (71): XPUB: the application applies subscriptions: <see cref="XPubSocket.Manual"/>.</summary>
    XPubManual = 71,
    /// <summary>ZMQ_XPUB_WELCOME_MSG (72): XPUB: message sent to each new subscriber: <see cref="XPubSocket.WelcomeMessage"/>.</summary>
    XPubWelcomeMsg = 72,
    /// <summary>ZMQ_STREAM_NOTIFY (73): STREAM sockets (not supported).</summary>
    StreamNotify = 73,
    /// <summary>ZMQ_INVERT_MATCHING (74): PUB, XPUB, SUB: deliver what does not match: <see cref="SubSocket.InvertMatching"/>.</summary>
    InvertMatching = 74,
    /// <summary>ZMQ_HEARTBEAT_IVL (75): ZMTP heartbeat interval in ms: <see cref="Socket.HeartbeatInterval"/>.</summary>
    HeartbeatIvl = 75,
    /// <summary>ZMQ_HEARTBEAT_TTL (76): ZMTP heartbeat time-to-live in ms: <see cref="Socket.HeartbeatTtl"/>.</summary>
    HeartbeatTtl = 76,
    /// <summary>ZMQ_HEARTBEAT_TIMEOUT (77): ZMTP heartbeat time-out in ms (-1: the interval): <see cref="Socket.HeartbeatTimeout"/>.</summary>
    HeartbeatTimeout = 77,
    /// <summary>ZMQ_XPUB_VERBOSER (78): XPUB: pass every subscribe and unsubscribe: <see cref="XPubSocket.Verboser"/>.</summary>
    XPubVerboser = 78,
    /// <summary>ZMQ_CONNECT_TIMEOUT (79): connect() time-out in ms: <see cref="Socket.ConnectTimeout"/>.</summary>
    ConnectTimeout = 79,
    /// <summary>ZMQ_TCP_MAXRT (80): TCP maximum retransmit time-out (not supported yet).</summary>
    TcpMaxRt = 80,
    /// <summary>ZMQ_THREAD_SAFE (81): Whether the socket is thread-safe (not supported as an option; every socket here is).</summary>
    ThreadSafe = 81,
    /// <summary>ZMQ_MULTICAST_MAXTPDU (84): Multicast (not supported).</summary>
    MulticastMaxTpdu = 84,
    /// <summary>ZMQ_VMCI_BUFFER_SIZE (85): VMCI (not supported).</summary>
    VmciBufferSize = 85,
    /// <summary>ZMQ_VMCI_BUFFER_MIN_SIZE (86): VMCI (not supported).</summary>
    VmciBufferMinSize = 86,
    /// <summary>ZMQ_VMCI_BUFFER_MAX_SIZE (87): VMCI (not supported).</summary>
    VmciBufferMaxSize = 87,
    /// <summary>ZMQ_VMCI_CONNECT_TIMEOUT (88): VMCI (not supported).</summary>
    VmciConnectTimeout = 88,
    /// <summary>ZMQ_USE_FD (89): Pre-opened listening descriptor (not supported).</summary>
    UseFd = 89,
    /// <summary>ZMQ_GSSAPI_PRINCIPAL_NAMETYPE (90): GSSAPI (not supported).</summary>
    GssapiPrincipalNametype = 90,
    /// <summary>ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE (91): GSSAPI (not supported).</summary>
    GssapiServicePrincipalNametype = 91,
    /// <summary>ZMQ_BINDTODEVICE (92): Bind to a network device (not supported yet).</summary>
    BindToDevice = 92,
    /// <summary>ZMQ_ZAP_ENFORCE_DOMAIN (93, draft in libzmq 4.3): refuse peers when a ZAP domain is set but no handler is bound: <see cref="Socket.ZapEnforceDomain"/>.</summary>
    ZapEnforceDomain = 93,
    /// <summary>ZMQ_RECONNECT_STOP (109, draft in libzmq 4.3.5): when to stop reconnecting, <see cref="Socket.ReconnectStop"/> (1 connection refused, 2 handshake failed).</summary>
    ReconnectStop = 109,
}

/// <summary>When a connecting socket gives up on an endpoint (libzmq's ZMQ_RECONNECT_STOP_* values).</summary>
[Flags]
public enum ReconnectStop
{
    /// <summary>Never: keep reconnecting with the back-off (the default).</summary>
    None = 0,
    /// <summary>ZMQ_RECONNECT_STOP_CONN_REFUSED: stop when the connection is refused (nobody listens).</summary>
    ConnectionRefused = 1,
    /// <summary>ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED: stop when the ZMTP handshake fails (authentication refused, wrong key, incompatible type, protocol error).</summary>
    HandshakeFailed = 2,
}
