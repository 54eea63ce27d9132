namespace Zmq.Hosting;

/// <summary>
/// How one named socket is made: its type, endpoints and options. Bound from configuration
/// (<c>Zmq:Sockets:NAME</c>, see docs/hosting.md) and/or set in code
/// (<c>services.AddZmqSocket&lt;PullSocket&gt;("jobs", o =&gt; ...)</c>). A property left null keeps
/// the socket type's default. Options are applied when the socket is created, before its
/// endpoints attach; they are read once (a configuration reload does not change a live socket).
/// </summary>
public sealed class ZmqSocketOptions
{
    /// <summary>The socket type (configuration: <c>Type</c>, e.g. <c>Rep</c>, <c>Pull</c>, <c>XPub</c>). Required.</summary>
    public SocketType? Type { get; set; }

    /// <summary>
    /// Endpoints in CZMQ's syntax, each attached in order: <c>@tcp://*:5555</c> binds,
    /// <c>&gt;tcp://host:5555</c> connects, no prefix does the type's default (PUB, XPUB, REP, ROUTER and
    /// PULL bind). An entry may itself be a comma-separated list (configuration: a string or an array).
    /// </summary>
    public IList<string> Endpoints { get; } = new List<string>();

    /// <summary>SNDHWM: <see cref="Socket.SendHighWatermark"/>.</summary>
    public int? SendHighWatermark { get; set; }

    /// <summary>RCVHWM: <see cref="Socket.ReceiveHighWatermark"/>.</summary>
    public int? ReceiveHighWatermark { get; set; }

    /// <summary>LINGER: <see cref="Socket.Linger"/>. At host shutdown a linger longer than the time left of the host's shutdown timeout is cut to it.</summary>
    public TimeSpan? Linger { get; set; }

    /// <summary>SNDTIMEO: <see cref="Socket.SendTimeout"/>.</summary>
    public TimeSpan? SendTimeout { get; set; }

    /// <summary>RCVTIMEO: <see cref="Socket.ReceiveTimeout"/>.</summary>
    public TimeSpan? ReceiveTimeout { get; set; }

    /// <summary>RECONNECT_IVL: <see cref="Socket.ReconnectInterval"/>.</summary>
    public TimeSpan? ReconnectInterval { get; set; }

    /// <summary>RECONNECT_IVL_MAX: <see cref="Socket.ReconnectIntervalMax"/>.</summary>
    public TimeSpan? ReconnectIntervalMax { get; set; }

    /// <summary>HANDSHAKE_IVL: <see cref="Socket.HandshakeInterval"/>.</summary>
    public TimeSpan? HandshakeInterval { get; set; }

    /// <summary>HEARTBEAT_IVL: <see cref="Socket.HeartbeatInterval"/>.</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>HEARTBEAT_TIMEOUT: <see cref="Socket.HeartbeatTimeout"/>.</summary>
    public TimeSpan? HeartbeatTimeout { get; set; }

    /// <summary>HEARTBEAT_TTL: <see cref="Socket.HeartbeatTtl"/>.</summary>
    public TimeSpan? HeartbeatTtl { get; set; }

    /// <summary>CONNECT_TIMEOUT: <see cref="Socket.ConnectTimeout"/>.</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>MAXMSGSIZE: <see cref="Socket.MaxMessageSize"/>.</summary>
    public long? MaxMessageSize { get; set; }

    /// <summary>IMMEDIATE: <see cref="Socket.Immediate"/>.</summary>
    public bool? Immediate { get; set; }

    /// <summary>ROUTING_ID as text (its UTF-8 bytes): <see cref="Socket.RoutingId"/>.</summary>
    public string? RoutingId { get; set; }

    /// <summary>Topics (prefixes) a SUB or XSUB socket subscribes to; <c>""</c> subscribes to everything.</summary>
    public IList<string> Subscribe { get; } = new List<string>();

    /// <summary>CURVE keys and role.</summary>
    public ZmqCurveOptions Curve { get; } = new();

    /// <summary>PLAIN credentials and role.</summary>
    public ZmqPlainOptions Plain { get; } = new();

    /// <summary>
    /// Any other libzmq option by number (<see cref="Socket.SetOption"/>: e.g.
    /// <see cref="SocketOption.RouterMandatory"/> = true, <see cref="SocketOption.TcpKeepalive"/> = 1).
    /// In configuration, such an option is a key of the socket's section named as the
    /// <see cref="SocketOption"/> member or as libzmq names it (<c>RouterMandatory</c>,
    /// <c>ZMQ_ROUTER_MANDATORY</c>). Applied after the typed options above.
    /// </summary>
    public IDictionary<SocketOption, object?> Options { get; } = new Dictionary<SocketOption, object?>();

    /// <summary>Runs last, after every option above and before the endpoints attach: anything else the socket needs.</summary>
    public Action<Socket>? ConfigureSocket { get; set; }

    /// <summary>Where each value came from (option key -> configuration path and text), for error messages.</summary>
    internal Dictionary<string, (string Path, string? Text, bool Secret)> Sources { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Configuration problems found while reading (unknown keys, unreadable values).</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}

/// <summary>
/// CURVE for one socket. A server needs its secret key (<see cref="SecretKey"/>,
/// <see cref="Certificate"/> or <see cref="KeyPair"/>) and <see cref="Server"/> = true; a client
/// needs the server's public key (<see cref="ServerKey"/> or <see cref="ServerCertificate"/>) and
/// gets a fresh key pair of its own unless one is given.
/// </summary>
public sealed class ZmqCurveOptions
{
    /// <summary>CURVE_SERVER: this socket is the CURVE server.</summary>
    public bool? Server { get; set; }

    /// <summary>This socket's secret key in Z85 (40 characters); the public key is derived from it.</summary>
    public string? SecretKey { get; set; }

    /// <summary>This socket's public key in Z85, checked against the secret key when both are given.</summary>
    public string? PublicKey { get; set; }

    /// <summary>
    /// Path of this socket's CZMQ certificate (zcert): <c>PATH_secret</c> is read when it exists
    /// (it must, for the socket's own keys), as <see cref="global::Zmq.Certificate.Load"/> reads it.
    /// </summary>
    public string? Certificate { get; set; }

    /// <summary>This socket's key pair, in code (not from configuration).</summary>
    public CurveKeyPair? KeyPair { get; set; }

    /// <summary>CURVE_SERVERKEY: the server's public key in Z85; makes this socket a CURVE client.</summary>
    public string? ServerKey { get; set; }

    /// <summary>Path of the server's public CZMQ certificate; makes this socket a CURVE client of it.</summary>
    public string? ServerCertificate { get; set; }

    internal bool IsEmpty => Server is null && SecretKey is null && PublicKey is null && Certificate is null && KeyPair is null && ServerKey is null && ServerCertificate is null;
}

/// <summary>PLAIN for one socket: a server (checked by the ZAP handler, e.g. the authenticator) or a client's credentials.</summary>
public sealed class ZmqPlainOptions
{
    /// <summary>PLAIN_SERVER: accept PLAIN clients (a PLAIN server refuses everyone while no ZAP handler is bound).</summary>
    public bool? Server { get; set; }

    /// <summary>PLAIN_USERNAME: makes this socket a PLAIN client.</summary>
    public string? Username { get; set; }

    /// <summary>PLAIN_PASSWORD.</summary>
    public string? Password { get; set; }
}
