namespace Zmq;

public abstract partial class Socket
{
    private int _heartbeatIvlMs;
    private int _heartbeatTimeoutMs = -1;
    private int _heartbeatTtlMs;
    private int _connectTimeoutMs;
    private int _tcpKeepalive = -1;
    private int _tcpKeepaliveIdle = -1;
    private int _tcpKeepaliveIntvl = -1;
    private int _tcpKeepaliveCnt = -1;
    private bool _immediate;
    private int _sndbuf = -1;
    private int _rcvbuf = -1;
    private int _backlog = 100;

    /// <summary>HEARTBEAT_IVL: send a ZMTP PING this often on every connection (0 = no heartbeats). Default 0.</summary>
    public TimeSpan HeartbeatInterval { get => Ms(_heartbeatIvlMs); set => _heartbeatIvlMs = ToMs(value, nameof(HeartbeatInterval)) is var v && v < 0 ? 0 : v; }

    /// <summary>
    /// HEARTBEAT_TIMEOUT: after a PING, drop the connection if nothing at all arrives within this time.
    /// Default (<see cref="Timeout.InfiniteTimeSpan"/>): the heartbeat interval, as libzmq.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get => Ms(_heartbeatTimeoutMs); set => _heartbeatTimeoutMs = ToMs(value, nameof(HeartbeatTimeout)); }

    /// <summary>
    /// HEARTBEAT_TTL: sent in our PINGs, asking the peer to drop us if it hears nothing from us for
    /// this long (0 = no limit; sent in deciseconds, at most 6553.5 s). Default 0.
    /// </summary>
    public TimeSpan HeartbeatTtl
    {
        get => Ms(_heartbeatTtlMs);
        set
        {
            int ms = ToMs(value, nameof(HeartbeatTtl));
            if (ms < 0 || ms > 655_350) throw BadOption(nameof(HeartbeatTtl), "must be from 0 to 6553.5 seconds");
            _heartbeatTtlMs = ms;
        }
    }

    /// <summary>CONNECT_TIMEOUT: give up a tcp connect attempt after this long and retry later (0 = the operating system's limit). Default 0.</summary>
    public TimeSpan ConnectTimeout { get => Ms(_connectTimeoutMs); set => _connectTimeoutMs = Math.Max(0, ToMs(value, nameof(ConnectTimeout))); }

    /// <summary>
    /// RECONNECT_STOP (libzmq 4.3.5's draft option): when a connected endpoint stops retrying.
    /// <see cref="Zmq.ReconnectStop.HandshakeFailed"/> stops after a refused handshake (wrong
    /// CURVE key, PLAIN password, incompatible type), as libzmq 4.3 always does;
    /// <see cref="Zmq.ReconnectStop.ConnectionRefused"/> after a refused connect. Default none: keep
    /// retrying with the reconnect back-off.
    /// </summary>
    public ReconnectStop ReconnectStop { get; set; }

    /// <summary>
    /// IMMEDIATE: when true, messages are queued only to peers whose connection is complete, so a
    /// connect to an absent peer does not swallow messages (send blocks or PUB drops instead).
    /// Default false (libzmq's default: queue to connecting peers too).
    /// </summary>
    public bool Immediate
    {
        get => _immediate;
        set => _immediate = value;
    }

    /// <summary>TCP_KEEPALIVE: -1 leaves the operating system default, 0 turns TCP keep-alive off, 1 on. Default -1.</summary>
    public int TcpKeepalive { get => _tcpKeepalive; set => _tcpKeepalive = value is -1 or 0 or 1 ? value : throw BadOption(nameof(TcpKeepalive), "must be -1, 0 or 1"); }

    /// <summary>TCP_KEEPALIVE_IDLE: seconds of idleness before keep-alive probes start (-1 = OS default).</summary>
    public int TcpKeepaliveIdle { get => _tcpKeepaliveIdle; set => _tcpKeepaliveIdle = value >= -1 && value != 0 ? value : throw BadOption(nameof(TcpKeepaliveIdle), "must be -1 or positive"); }

    /// <summary>TCP_KEEPALIVE_INTVL: seconds between keep-alive probes (-1 = OS default).</summary>
    public int TcpKeepaliveInterval { get => _tcpKeepaliveIntvl; set => _tcpKeepaliveIntvl = value >= -1 && value != 0 ? value : throw BadOption(nameof(TcpKeepaliveInterval), "must be -1 or positive"); }

    /// <summary>TCP_KEEPALIVE_CNT: unanswered probes before the connection is dropped (-1 = OS default).</summary>
    public int TcpKeepaliveCount { get => _tcpKeepaliveCnt; set => _tcpKeepaliveCnt = value >= -1 && value != 0 ? value : throw BadOption(nameof(TcpKeepaliveCount), "must be -1 or positive"); }

    /// <summary>SNDBUF: the kernel send buffer of each tcp/ipc connection, in bytes (-1 = the operating system's default). Default -1.</summary>
    public int SendBufferSize { get => _sndbuf; set => _sndbuf = value >= -1 ? value : throw BadOption(nameof(SendBufferSize), "must be -1 or more"); }

    /// <summary>RCVBUF: the kernel receive buffer of each tcp/ipc connection, in bytes (-1 = the operating system's default). Default -1.</summary>
    public int ReceiveBufferSize { get => _rcvbuf; set => _rcvbuf = value >= -1 ? value : throw BadOption(nameof(ReceiveBufferSize), "must be -1 or more"); }

    /// <summary>BACKLOG: how many connections a bound tcp/ipc endpoint lets wait to be accepted. Applies to later binds. Default 100.</summary>
    public int Backlog { get => _backlog; set => _backlog = value >= 0 ? value : throw BadOption(nameof(Backlog), "must be zero or positive"); }

    /// <summary>IPV6: when true, binding <c>tcp://*:port</c> listens on IPv6 and IPv4 (dual stack, <c>[::]</c>) rather than IPv4 only. Default false, as libzmq.</summary>
    public bool Ipv6 { get; set; }

    internal int HeartbeatIntervalMs => _heartbeatIvlMs;
    internal int HeartbeatTimeoutMs => _heartbeatTimeoutMs < 0 ? _heartbeatIvlMs : _heartbeatTimeoutMs;
    internal int HeartbeatTtlMs => _heartbeatTtlMs;
    internal int ConnectTimeoutMs => _connectTimeoutMs;
}
