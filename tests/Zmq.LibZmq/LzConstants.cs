namespace Zmq.LibZmq;

/// <summary>libzmq socket types (zmq.h ZMQ_PAIR ... ZMQ_STREAM).</summary>
public static class LzSocketType
{
    /// <summary>ZMQ_PAIR.</summary>
    public const int Pair = 0;
    /// <summary>ZMQ_PUB.</summary>
    public const int Pub = 1;
    /// <summary>ZMQ_SUB.</summary>
    public const int Sub = 2;
    /// <summary>ZMQ_REQ.</summary>
    public const int Req = 3;
    /// <summary>ZMQ_REP.</summary>
    public const int Rep = 4;
    /// <summary>ZMQ_DEALER.</summary>
    public const int Dealer = 5;
    /// <summary>ZMQ_ROUTER.</summary>
    public const int Router = 6;
    /// <summary>ZMQ_PULL.</summary>
    public const int Pull = 7;
    /// <summary>ZMQ_PUSH.</summary>
    public const int Push = 8;
    /// <summary>ZMQ_XPUB.</summary>
    public const int XPub = 9;
    /// <summary>ZMQ_XSUB.</summary>
    public const int XSub = 10;
    /// <summary>ZMQ_STREAM.</summary>
    public const int Stream = 11;
}

/// <summary>Flags for send and receive calls.</summary>
public static class LzFlags
{
    /// <summary>No flags: block (subject to SNDTIMEO/RCVTIMEO).</summary>
    public const int None = 0;
    /// <summary>ZMQ_DONTWAIT: fail with EAGAIN instead of blocking.</summary>
    public const int DontWait = 1;
    /// <summary>ZMQ_SNDMORE: more frames of this message follow.</summary>
    public const int SendMore = 2;
}

/// <summary>Socket options (zmq_setsockopt/zmq_getsockopt) of stable libzmq 4.3.</summary>
/// <remarks>
/// Value types per zmq_setsockopt(3): most are int; <see cref="MaxMsgSize"/> is int64 and
/// <see cref="Affinity"/> uint64 (<see cref="LzSocket"/> widens them for you); identities,
/// subscriptions, keys and names are binary/strings.
/// </remarks>
public static class LzOption
{
    /// <summary>ZMQ_AFFINITY (uint64).</summary>
    public const int Affinity = 4;
    /// <summary>ZMQ_ROUTING_ID (binary, 1-255 bytes).</summary>
    public const int RoutingId = 5;
    /// <summary>ZMQ_IDENTITY: old name of <see cref="RoutingId"/>.</summary>
    public const int Identity = 5;
    /// <summary>ZMQ_SUBSCRIBE (binary prefix).</summary>
    public const int Subscribe = 6;
    /// <summary>ZMQ_UNSUBSCRIBE (binary prefix).</summary>
    public const int Unsubscribe = 7;
    /// <summary>ZMQ_SNDBUF (int, kernel send buffer).</summary>
    public const int SndBuf = 11;
    /// <summary>ZMQ_RCVBUF (int, kernel receive buffer).</summary>
    public const int RcvBuf = 12;
    /// <summary>ZMQ_RCVMORE (int, get only).</summary>
    public const int RcvMore = 13;
    /// <summary>ZMQ_FD (int on POSIX, get only).</summary>
    public const int Fd = 14;
    /// <summary>ZMQ_EVENTS (int: 1 = POLLIN, 2 = POLLOUT; get only).</summary>
    public const int Events = 15;
    /// <summary>ZMQ_TYPE (int, get only).</summary>
    public const int Type = 16;
    /// <summary>ZMQ_LINGER (int ms; -1 = forever, libzmq's default).</summary>
    public const int Linger = 17;
    /// <summary>ZMQ_RECONNECT_IVL (int ms).</summary>
    public const int ReconnectIvl = 18;
    /// <summary>ZMQ_BACKLOG (int).</summary>
    public const int Backlog = 19;
    /// <summary>ZMQ_RECONNECT_IVL_MAX (int ms).</summary>
    public const int ReconnectIvlMax = 21;
    /// <summary>ZMQ_MAXMSGSIZE (int64 bytes; -1 = no limit).</summary>
    public const int MaxMsgSize = 22;
    /// <summary>ZMQ_SNDHWM (int messages).</summary>
    public const int SndHwm = 23;
    /// <summary>ZMQ_RCVHWM (int messages).</summary>
    public const int RcvHwm = 24;
    /// <summary>ZMQ_RCVTIMEO (int ms; -1 = forever).</summary>
    public const int RcvTimeo = 27;
    /// <summary>ZMQ_SNDTIMEO (int ms; -1 = forever).</summary>
    public const int SndTimeo = 28;
    /// <summary>ZMQ_LAST_ENDPOINT (string, get only).</summary>
    public const int LastEndpoint = 32;
    /// <summary>ZMQ_ROUTER_MANDATORY (int 0/1).</summary>
    public const int RouterMandatory = 33;
    /// <summary>ZMQ_TCP_KEEPALIVE (int).</summary>
    public const int TcpKeepalive = 34;
    /// <summary>ZMQ_TCP_KEEPALIVE_CNT (int).</summary>
    public const int TcpKeepaliveCnt = 35;
    /// <summary>ZMQ_TCP_KEEPALIVE_IDLE (int).</summary>
    public const int TcpKeepaliveIdle = 36;
    /// <summary>ZMQ_TCP_KEEPALIVE_INTVL (int).</summary>
    public const int TcpKeepaliveIntvl = 37;
    /// <summary>ZMQ_IMMEDIATE (int 0/1).</summary>
    public const int Immediate = 39;
    /// <summary>ZMQ_XPUB_VERBOSE (int 0/1).</summary>
    public const int XPubVerbose = 40;
    /// <summary>ZMQ_ROUTER_RAW (int 0/1).</summary>
    public const int RouterRaw = 41;
    /// <summary>ZMQ_IPV6 (int 0/1).</summary>
    public const int Ipv6 = 42;
    /// <summary>ZMQ_MECHANISM (int: 0 NULL, 1 PLAIN, 2 CURVE, 3 GSSAPI; get only).</summary>
    public const int Mechanism = 43;
    /// <summary>ZMQ_PLAIN_SERVER (int 0/1).</summary>
    public const int PlainServer = 44;
    /// <summary>ZMQ_PLAIN_USERNAME (string).</summary>
    public const int PlainUsername = 45;
    /// <summary>ZMQ_PLAIN_PASSWORD (string).</summary>
    public const int PlainPassword = 46;
    /// <summary>ZMQ_CURVE_SERVER (int 0/1).</summary>
    public const int CurveServer = 47;
    /// <summary>ZMQ_CURVE_PUBLICKEY (32 bytes or 40-char Z85 string).</summary>
    public const int CurvePublicKey = 48;
    /// <summary>ZMQ_CURVE_SECRETKEY (32 bytes or 40-char Z85 string).</summary>
    public const int CurveSecretKey = 49;
    /// <summary>ZMQ_CURVE_SERVERKEY (32 bytes or 40-char Z85 string).</summary>
    public const int CurveServerKey = 50;
    /// <summary>ZMQ_PROBE_ROUTER (int 0/1).</summary>
    public const int ProbeRouter = 51;
    /// <summary>ZMQ_REQ_CORRELATE (int 0/1).</summary>
    public const int ReqCorrelate = 52;
    /// <summary>ZMQ_REQ_RELAXED (int 0/1).</summary>
    public const int ReqRelaxed = 53;
    /// <summary>ZMQ_CONFLATE (int 0/1).</summary>
    public const int Conflate = 54;
    /// <summary>ZMQ_ZAP_DOMAIN (string).</summary>
    public const int ZapDomain = 55;
    /// <summary>ZMQ_ROUTER_HANDOVER (int 0/1).</summary>
    public const int RouterHandover = 56;
    /// <summary>ZMQ_TOS (int).</summary>
    public const int Tos = 57;
    /// <summary>ZMQ_CONNECT_ROUTING_ID (binary; set before the next connect).</summary>
    public const int ConnectRoutingId = 61;
    /// <summary>ZMQ_HANDSHAKE_IVL (int ms; 0 = none; default 30000).</summary>
    public const int HandshakeIvl = 66;
    /// <summary>ZMQ_XPUB_NODROP (int 0/1).</summary>
    public const int XPubNoDrop = 69;
    /// <summary>ZMQ_XPUB_MANUAL (int 0/1).</summary>
    public const int XPubManual = 71;
    /// <summary>ZMQ_XPUB_WELCOME_MSG (binary).</summary>
    public const int XPubWelcomeMsg = 72;
    /// <summary>ZMQ_STREAM_NOTIFY (int 0/1).</summary>
    public const int StreamNotify = 73;
    /// <summary>ZMQ_INVERT_MATCHING (int 0/1).</summary>
    public const int InvertMatching = 74;
    /// <summary>ZMQ_HEARTBEAT_IVL (int ms; 0 = off).</summary>
    public const int HeartbeatIvl = 75;
    /// <summary>ZMQ_HEARTBEAT_TTL (int ms, rounded down to 100 ms units on the wire).</summary>
    public const int HeartbeatTtl = 76;
    /// <summary>ZMQ_HEARTBEAT_TIMEOUT (int ms).</summary>
    public const int HeartbeatTimeout = 77;
    /// <summary>ZMQ_XPUB_VERBOSER (int 0/1).</summary>
    public const int XPubVerboser = 78;
    /// <summary>ZMQ_CONNECT_TIMEOUT (int ms).</summary>
    public const int ConnectTimeout = 79;
    /// <summary>ZMQ_TCP_MAXRT (int ms).</summary>
    public const int TcpMaxRt = 80;
    /// <summary>ZMQ_THREAD_SAFE (int, get only).</summary>
    public const int ThreadSafe = 81;
    /// <summary>ZMQ_BINDTODEVICE (string).</summary>
    public const int BindToDevice = 92;

    /// <summary>True for options whose native value is 64 bits wide.</summary>
    public static bool Is64Bit(int option) => option is MaxMsgSize or Affinity;
}

/// <summary>Context options (zmq_ctx_set/zmq_ctx_get).</summary>
public static class LzContextOption
{
    /// <summary>ZMQ_IO_THREADS (default 1).</summary>
    public const int IoThreads = 1;
    /// <summary>ZMQ_MAX_SOCKETS.</summary>
    public const int MaxSockets = 2;
    /// <summary>ZMQ_SOCKET_LIMIT (get only).</summary>
    public const int SocketLimit = 3;
    /// <summary>ZMQ_IPV6 default for new sockets.</summary>
    public const int Ipv6 = 42;
    /// <summary>ZMQ_BLOCKY: 0 makes new sockets default to LINGER 0, so zmq_ctx_term cannot hang.</summary>
    public const int Blocky = 70;
}

/// <summary>Security mechanism values returned by <see cref="LzOption.Mechanism"/>.</summary>
public static class LzMechanism
{
    /// <summary>ZMQ_NULL.</summary>
    public const int Null = 0;
    /// <summary>ZMQ_PLAIN.</summary>
    public const int Plain = 1;
    /// <summary>ZMQ_CURVE.</summary>
    public const int Curve = 2;
    /// <summary>ZMQ_GSSAPI.</summary>
    public const int Gssapi = 3;
}

/// <summary>Socket monitor event bits (zmq_socket_monitor).</summary>
public static class LzEvent
{
    /// <summary>ZMQ_EVENT_CONNECTED (value: fd).</summary>
    public const int Connected = 0x0001;
    /// <summary>ZMQ_EVENT_CONNECT_DELAYED.</summary>
    public const int ConnectDelayed = 0x0002;
    /// <summary>ZMQ_EVENT_CONNECT_RETRIED (value: reconnect interval).</summary>
    public const int ConnectRetried = 0x0004;
    /// <summary>ZMQ_EVENT_LISTENING (value: fd).</summary>
    public const int Listening = 0x0008;
    /// <summary>ZMQ_EVENT_BIND_FAILED (value: errno).</summary>
    public const int BindFailed = 0x0010;
    /// <summary>ZMQ_EVENT_ACCEPTED (value: fd).</summary>
    public const int Accepted = 0x0020;
    /// <summary>ZMQ_EVENT_ACCEPT_FAILED (value: errno).</summary>
    public const int AcceptFailed = 0x0040;
    /// <summary>ZMQ_EVENT_CLOSED (value: fd).</summary>
    public const int Closed = 0x0080;
    /// <summary>ZMQ_EVENT_CLOSE_FAILED (value: errno).</summary>
    public const int CloseFailed = 0x0100;
    /// <summary>ZMQ_EVENT_DISCONNECTED (value: fd).</summary>
    public const int Disconnected = 0x0200;
    /// <summary>ZMQ_EVENT_MONITOR_STOPPED.</summary>
    public const int MonitorStopped = 0x0400;
    /// <summary>ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL (value: errno).</summary>
    public const int HandshakeFailedNoDetail = 0x0800;
    /// <summary>ZMQ_EVENT_HANDSHAKE_SUCCEEDED.</summary>
    public const int HandshakeSucceeded = 0x1000;
    /// <summary>ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL (value: ZMQ_PROTOCOL_ERROR_* code).</summary>
    public const int HandshakeFailedProtocol = 0x2000;
    /// <summary>ZMQ_EVENT_HANDSHAKE_FAILED_AUTH (value: ZAP status code, e.g. 400).</summary>
    public const int HandshakeFailedAuth = 0x4000;
    /// <summary>ZMQ_EVENT_ALL.</summary>
    public const int All = 0xFFFF;
}

/// <summary>errno values that callers test for.</summary>
public static class LzErrno
{
    private const int HausNumero = 156384712;

    /// <summary>EAGAIN: would block, or SNDTIMEO/RCVTIMEO expired.</summary>
    public static readonly int EAgain = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 35 : 11;
    /// <summary>EINTR: interrupted by a signal (retried internally by <see cref="LzSocket"/>).</summary>
    public const int EIntr = 4;
    /// <summary>EHOSTUNREACH (Linux value): ROUTER_MANDATORY and the peer is unknown.</summary>
    public static readonly int EHostUnreach = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 65 : 113;
    /// <summary>EFSM: operation not valid in the socket's current state (e.g. REQ sending twice).</summary>
    public const int EFsm = HausNumero + 51;
    /// <summary>ENOCOMPATPROTO.</summary>
    public const int ENoCompatProto = HausNumero + 52;
    /// <summary>ETERM: the context was terminated.</summary>
    public const int ETerm = HausNumero + 53;
    /// <summary>EMTHREAD.</summary>
    public const int EMThread = HausNumero + 54;
}
