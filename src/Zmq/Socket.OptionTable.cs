using System.Text;

namespace Zmq;

public abstract partial class Socket
{
    /// <summary>
    /// Sets an option by libzmq's number, for code ported from libzmq or CZMQ
    /// (<c>zmq_setsockopt</c>). Values are given as libzmq takes them: an <see cref="int"/> for
    /// numbers, times in milliseconds (-1 for infinite; a <see cref="TimeSpan"/> works too) and
    /// flags (0 or 1; a <see cref="bool"/> works too), a <see cref="long"/> for
    /// <see cref="SocketOption.MaxMsgSize"/>, and binary values as <see cref="T:byte[]"/>,
    /// <see cref="ReadOnlyMemory{T}"/> or a string (UTF-8), null clearing them. Each option sets
    /// the typed property named in its <see cref="SocketOption"/> documentation, with the same
    /// checks and the same moment of effect.
    /// </summary>
    /// <exception cref="ZmqException"><see cref="ZmqError.InvalidOption"/> when the option is not
    /// supported, does not apply to this socket type, is read-only, or the value is of the wrong
    /// kind or out of range; the message names the option.</exception>
    public void SetOption(SocketOption option, object? value)
    {
        var spec = Spec(option);
        if (spec.Set is null) throw OptionError(spec, "is read-only");
        try
        {
            spec.Set(this, value);
        }
        catch (OptionValueException e)
        {
            throw OptionError(spec, $"expects {e.Message}, not {Describe(value)}");
        }
        catch (ZmqException e) when (e.Error == ZmqError.InvalidOption && !e.Message.Contains(spec.Name, StringComparison.Ordinal))
        {
            // The property's own check (e.g. a negative high-water mark): say which libzmq option it was.
            throw new ZmqException(ZmqError.InvalidOption, $"option {spec.Name} rejects {Describe(value)}: {e.Message}", Type, inner: e);
        }
    }

    /// <summary>
    /// Reads an option by libzmq's number (<c>zmq_getsockopt</c>), in libzmq's representation: an
    /// <see cref="int"/> for numbers, times in milliseconds (-1 for infinite) and flags (0 or 1), a
    /// <see cref="long"/> for <see cref="SocketOption.MaxMsgSize"/>, a <see cref="T:byte[]"/> for
    /// binary values (empty when unset) and a <see cref="string"/> for
    /// <see cref="SocketOption.LastEndpoint"/>.
    /// </summary>
    /// <exception cref="ZmqException"><see cref="ZmqError.InvalidOption"/> when the option is not
    /// supported, does not apply to this socket type, or can only be set; the message names it.</exception>
    public object GetOption(SocketOption option)
    {
        var spec = Spec(option);
        if (spec.Get is null) throw OptionError(spec, "can only be set");
        var value = spec.Get(this);
        return value is bool b ? (b ? 1 : 0) : value;
    }

    /// <summary>One option: its libzmq name and how it reads and writes this library's property.</summary>
    private sealed record OptionSpec(string Name, Func<Socket, object>? Get, Action<Socket, object?>? Set, bool Supported = true);

    /// <summary>libzmq option number -> typed property (ARCHITECTURE rule 3: a table, not an if-chain).</summary>
    private static readonly Dictionary<SocketOption, OptionSpec> OptionTable = new()
    {
        [SocketOption.Affinity] = Unsupported("ZMQ_AFFINITY"),
        [SocketOption.RoutingId] = new("ZMQ_ROUTING_ID", s => s.RoutingId ?? [], (s, v) => s.RoutingId = Bytes(v)),
        [SocketOption.Subscribe] = new("ZMQ_SUBSCRIBE", null, (s, v) => Subscription(s, true, v)),
        [SocketOption.Unsubscribe] = new("ZMQ_UNSUBSCRIBE", null, (s, v) => Subscription(s, false, v)),
        [SocketOption.Rate] = Unsupported("ZMQ_RATE"),
        [SocketOption.RecoveryIvl] = Unsupported("ZMQ_RECOVERY_IVL"),
        [SocketOption.SndBuf] = new("ZMQ_SNDBUF", s => s.SendBufferSize, (s, v) => s.SendBufferSize = Int(v)),
        [SocketOption.RcvBuf] = new("ZMQ_RCVBUF", s => s.ReceiveBufferSize, (s, v) => s.ReceiveBufferSize = Int(v)),
        [SocketOption.RcvMore] = Unsupported("ZMQ_RCVMORE"),
        [SocketOption.Fd] = Unsupported("ZMQ_FD"),
        [SocketOption.Events] = new("ZMQ_EVENTS", s => (int)s.Events, null),
        [SocketOption.Type] = new("ZMQ_TYPE", s => (int)s.Type, null),
        [SocketOption.Linger] = new("ZMQ_LINGER", s => ToInt(s.Linger), (s, v) => s.Linger = Millis(v)),
        [SocketOption.ReconnectIvl] = new("ZMQ_RECONNECT_IVL", s => ToInt(s.ReconnectInterval), (s, v) => s.ReconnectInterval = Millis(v)),
        [SocketOption.Backlog] = new("ZMQ_BACKLOG", s => s.Backlog, (s, v) => s.Backlog = Int(v)),
        [SocketOption.ReconnectIvlMax] = new("ZMQ_RECONNECT_IVL_MAX", s => ToInt(s.ReconnectIntervalMax), (s, v) => s.ReconnectIntervalMax = Millis(v)),
        [SocketOption.MaxMsgSize] = new("ZMQ_MAXMSGSIZE", s => s.MaxMessageSize, (s, v) => s.MaxMessageSize = Long(v)),
        [SocketOption.SndHwm] = new("ZMQ_SNDHWM", s => s.SendHighWatermark, (s, v) => s.SendHighWatermark = Int(v)),
        [SocketOption.RcvHwm] = new("ZMQ_RCVHWM", s => s.ReceiveHighWatermark, (s, v) => s.ReceiveHighWatermark = Int(v)),
        [SocketOption.MulticastHops] = Unsupported("ZMQ_MULTICAST_HOPS"),
        [SocketOption.RcvTimeo] = new("ZMQ_RCVTIMEO", s => ToInt(s.ReceiveTimeout), (s, v) => s.ReceiveTimeout = Millis(v)),
        [SocketOption.SndTimeo] = new("ZMQ_SNDTIMEO", s => ToInt(s.SendTimeout), (s, v) => s.SendTimeout = Millis(v)),
        [SocketOption.Ipv4Only] = Unsupported("ZMQ_IPV4ONLY"),
        [SocketOption.LastEndpoint] = new("ZMQ_LAST_ENDPOINT", s => s.LastEndpoint ?? "", null),
        [SocketOption.RouterMandatory] = Typed<RouterSocket>("ZMQ_ROUTER_MANDATORY", s => s.Mandatory, (s, v) => s.Mandatory = Flag(v)),
        [SocketOption.TcpKeepalive] = new("ZMQ_TCP_KEEPALIVE", s => s.TcpKeepalive, (s, v) => s.TcpKeepalive = Int(v)),
        [SocketOption.TcpKeepaliveCnt] = new("ZMQ_TCP_KEEPALIVE_CNT", s => s.TcpKeepaliveCount, (s, v) => s.TcpKeepaliveCount = Int(v)),
        [SocketOption.TcpKeepaliveIdle] = new("ZMQ_TCP_KEEPALIVE_IDLE", s => s.TcpKeepaliveIdle, (s, v) => s.TcpKeepaliveIdle = Int(v)),
        [SocketOption.TcpKeepaliveIntvl] = new("ZMQ_TCP_KEEPALIVE_INTVL", s => s.TcpKeepaliveInterval, (s, v) => s.TcpKeepaliveInterval = Int(v)),
        [SocketOption.TcpAcceptFilter] = Unsupported("ZMQ_TCP_ACCEPT_FILTER"),
        [SocketOption.Immediate] = new("ZMQ_IMMEDIATE", s => s.Immediate, (s, v) => s.Immediate = Flag(v)),
        [SocketOption.XPubVerbose] = Typed<XPubSocket>("ZMQ_XPUB_VERBOSE", s => s.Verbose, (s, v) => s.Verbose = Flag(v)),
        [SocketOption.RouterRaw] = Unsupported("ZMQ_ROUTER_RAW"),
        [SocketOption.Ipv6] = new("ZMQ_IPV6", s => s.Ipv6, (s, v) => s.Ipv6 = Flag(v)),
        [SocketOption.Mechanism] = new("ZMQ_MECHANISM", s => (int)s.Mechanism, null),
        [SocketOption.PlainServer] = new("ZMQ_PLAIN_SERVER", s => s.PlainServer, (s, v) => s.PlainServer = Flag(v)),
        [SocketOption.PlainUsername] = new("ZMQ_PLAIN_USERNAME", s => s.PlainUsername ?? "", (s, v) => s.PlainUsername = Text(v)),
        [SocketOption.PlainPassword] = new("ZMQ_PLAIN_PASSWORD", s => s.PlainPassword ?? "", (s, v) => s.PlainPassword = Text(v)),
        [SocketOption.CurveServer] = new("ZMQ_CURVE_SERVER", s => s.CurveServer, (s, v) => s.CurveServer = Flag(v)),
        [SocketOption.CurvePublicKey] = new("ZMQ_CURVE_PUBLICKEY", s => s.CurvePublicKey ?? [], (s, v) => s.CurvePublicKey = Key(v)),
        [SocketOption.CurveSecretKey] = new("ZMQ_CURVE_SECRETKEY", s => s.CurveSecretKey ?? [], (s, v) => s.CurveSecretKey = Key(v)),
        [SocketOption.CurveServerKey] = new("ZMQ_CURVE_SERVERKEY", s => s.CurveServerKey ?? [], (s, v) => s.CurveServerKey = Key(v)),
        [SocketOption.ProbeRouter] = Typed<IProbeRouterOption>("ZMQ_PROBE_ROUTER", s => s.ProbeRouter, (s, v) => s.ProbeRouter = Flag(v)),
        [SocketOption.ReqCorrelate] = Typed<ReqSocket>("ZMQ_REQ_CORRELATE", s => s.Correlate, (s, v) => s.Correlate = Flag(v)),
        [SocketOption.ReqRelaxed] = Typed<ReqSocket>("ZMQ_REQ_RELAXED", s => s.Relaxed, (s, v) => s.Relaxed = Flag(v)),
        [SocketOption.Conflate] = Typed<IConflateOption>("ZMQ_CONFLATE", s => s.Conflate, (s, v) => s.Conflate = Flag(v)),
        [SocketOption.ZapDomain] = new("ZMQ_ZAP_DOMAIN", s => s.ZapDomain, (s, v) => s.ZapDomain = Text(v) ?? ""),
        [SocketOption.RouterHandover] = Typed<RouterSocket>("ZMQ_ROUTER_HANDOVER", s => s.Handover, (s, v) => s.Handover = Flag(v)),
        [SocketOption.Tos] = Unsupported("ZMQ_TOS"),
        [SocketOption.IpcFilterPid] = Unsupported("ZMQ_IPC_FILTER_PID"),
        [SocketOption.IpcFilterUid] = Unsupported("ZMQ_IPC_FILTER_UID"),
        [SocketOption.IpcFilterGid] = Unsupported("ZMQ_IPC_FILTER_GID"),
        [SocketOption.ConnectRoutingId] = Typed<StreamSocket>("ZMQ_CONNECT_ROUTING_ID", s => s.ConnectRoutingId ?? [], (s, v) => s.ConnectRoutingId = Bytes(v)),
        [SocketOption.GssapiServer] = Unsupported("ZMQ_GSSAPI_SERVER"),
        [SocketOption.GssapiPrincipal] = Unsupported("ZMQ_GSSAPI_PRINCIPAL"),
        [SocketOption.GssapiServicePrincipal] = Unsupported("ZMQ_GSSAPI_SERVICE_PRINCIPAL"),
        [SocketOption.GssapiPlaintext] = Unsupported("ZMQ_GSSAPI_PLAINTEXT"),
        [SocketOption.HandshakeIvl] = new("ZMQ_HANDSHAKE_IVL", s => ToInt(s.HandshakeInterval), (s, v) => s.HandshakeInterval = Millis(v)),
        [SocketOption.SocksProxy] = Unsupported("ZMQ_SOCKS_PROXY"),
        [SocketOption.XPubNoDrop] = Typed<INoDropOption>("ZMQ_XPUB_NODROP", s => s.NoDrop, (s, v) => s.NoDrop = Flag(v)),
        [SocketOption.Blocky] = Unsupported("ZMQ_BLOCKY"),
        [SocketOption.XPubManual] = Typed<XPubSocket>("ZMQ_XPUB_MANUAL", s => s.Manual, (s, v) => s.Manual = Flag(v)),
        [SocketOption.XPubWelcomeMsg] = Typed<XPubSocket>("ZMQ_XPUB_WELCOME_MSG", s => s.WelcomeMessage ?? [], (s, v) => s.WelcomeMessage = Bytes(v)),
        [SocketOption.StreamNotify] = Typed<StreamSocket>("ZMQ_STREAM_NOTIFY", s => s.Notify, (s, v) => s.Notify = Flag(v)),
        [SocketOption.InvertMatching] = Typed<IInvertMatchingOption>("ZMQ_INVERT_MATCHING", s => s.InvertMatching, (s, v) => s.InvertMatching = Flag(v)),
        [SocketOption.HeartbeatIvl] = new("ZMQ_HEARTBEAT_IVL", s => ToInt(s.HeartbeatInterval), (s, v) => s.HeartbeatInterval = Millis(v)),
        [SocketOption.HeartbeatTtl] = new("ZMQ_HEARTBEAT_TTL", s => ToInt(s.HeartbeatTtl), (s, v) => s.HeartbeatTtl = Millis(v)),
        [SocketOption.HeartbeatTimeout] = new("ZMQ_HEARTBEAT_TIMEOUT", s => ToInt(s.HeartbeatTimeout), (s, v) => s.HeartbeatTimeout = Millis(v)),
        [SocketOption.XPubVerboser] = Typed<XPubSocket>("ZMQ_XPUB_VERBOSER", s => s.Verboser, (s, v) => s.Verboser = Flag(v)),
        [SocketOption.ConnectTimeout] = new("ZMQ_CONNECT_TIMEOUT", s => ToInt(s.ConnectTimeout), (s, v) => s.ConnectTimeout = Millis(v)),
        [SocketOption.TcpMaxRt] = Unsupported("ZMQ_TCP_MAXRT"),
        [SocketOption.ThreadSafe] = Unsupported("ZMQ_THREAD_SAFE"),
        [SocketOption.MulticastMaxTpdu] = Unsupported("ZMQ_MULTICAST_MAXTPDU"),
        [SocketOption.VmciBufferSize] = Unsupported("ZMQ_VMCI_BUFFER_SIZE"),
        [SocketOption.VmciBufferMinSize] = Unsupported("ZMQ_VMCI_BUFFER_MIN_SIZE"),
        [SocketOption.VmciBufferMaxSize] = Unsupported("ZMQ_VMCI_BUFFER_MAX_SIZE"),
        [SocketOption.VmciConnectTimeout] = Unsupported("ZMQ_VMCI_CONNECT_TIMEOUT"),
        [SocketOption.UseFd] = Unsupported("ZMQ_USE_FD"),
        [SocketOption.GssapiPrincipalNametype] = Unsupported("ZMQ_GSSAPI_PRINCIPAL_NAMETYPE"),
        [SocketOption.GssapiServicePrincipalNametype] = Unsupported("ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE"),
        [SocketOption.BindToDevice] = Unsupported("ZMQ_BINDTODEVICE"),
        [SocketOption.ReconnectStop] = new("ZMQ_RECONNECT_STOP", s => (int)s.ReconnectStop, (s, v) => s.ReconnectStop = StopFlags(v)),
        [SocketOption.ZapEnforceDomain] = new("ZMQ_ZAP_ENFORCE_DOMAIN", s => s.ZapEnforceDomain, (s, v) => s.ZapEnforceDomain = Flag(v)),
    };

    private OptionSpec Spec(SocketOption option)
    {
        if (!OptionTable.TryGetValue(option, out var spec))
            throw new ZmqException(ZmqError.InvalidOption, $"option {(int)option} is not a libzmq socket option", Type);
        if (!spec.Supported) throw OptionError(spec, "is not supported by this library");
        return spec;
    }

    private ZmqException OptionError(OptionSpec spec, string why) =>
        new(ZmqError.InvalidOption, $"option {spec.Name} {why}", Type);

    private static OptionSpec Unsupported(string name) => new(name, null, null, Supported: false);

    /// <summary>An option of the sockets that are (or implement) <typeparamref name="T"/>; others get InvalidOption naming it.</summary>
    private static OptionSpec Typed<T>(string name, Func<T, object>? get, Action<T, object?>? set) where T : class
    {
        T On(Socket s) => s as T ?? throw s.OptionError(new OptionSpec(name, null, null), $"does not apply to {SocketTypeName(s.Type)} sockets");
        return new OptionSpec(name, get is null ? null : s => get(On(s)), set is null ? null : (s, v) => set(On(s), v));
    }

    private static string SocketTypeName(SocketType type) => Routing.SocketTypeInfo.WireName(type);

    /// <summary>SUBSCRIBE/UNSUBSCRIBE: SUB and XSUB always, XPUB with XPUB_MANUAL (as libzmq).</summary>
    private static void Subscription(Socket s, bool subscribe, object? value)
    {
        var topic = Bytes(value) ?? [];
        switch (s)
        {
            case SubSocket sub when subscribe: sub.Subscribe(topic); break;
            case SubSocket sub: sub.Unsubscribe(topic); break;
            case XPubSocket xpub when xpub.Manual && subscribe: xpub.Subscribe(topic); break;
            case XPubSocket xpub when xpub.Manual: xpub.Unsubscribe(topic); break;
            default:
                throw s.OptionError(new OptionSpec(subscribe ? "ZMQ_SUBSCRIBE" : "ZMQ_UNSUBSCRIBE", null, null),
                    s is XPubSocket ? "applies to XPUB only with XPUB_MANUAL" : $"does not apply to {SocketTypeName(s.Type)} sockets");
        }
    }

    // ---- value conversions: libzmq's representations plus the natural .NET ones ----

    private sealed class OptionValueException(string expected) : Exception(expected);

    private static int Int(object? v) => v switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        short s => s,
        byte b => b,
        uint u when u <= int.MaxValue => (int)u,
        _ => throw new OptionValueException("an int"),
    };

    private static long Long(object? v) => v switch
    {
        long l => l,
        int i => i,
        uint u => u,
        _ => throw new OptionValueException("a long (int64)"),
    };

    private static bool Flag(object? v) => v switch
    {
        bool b => b,
        int i when i >= 0 => i != 0,
        long l when l >= 0 => l != 0,
        _ => throw new OptionValueException("0 or 1 (or a bool)"),
    };

    /// <summary>Milliseconds as libzmq takes them (-1 infinite), or a TimeSpan.</summary>
    private static TimeSpan Millis(object? v) => v switch
    {
        TimeSpan t => t,
        int i => i == -1 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(i),
        long l when l is >= int.MinValue and <= int.MaxValue => l == -1 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(l),
        _ => throw new OptionValueException("milliseconds as an int (-1: infinite) or a TimeSpan"),
    };

    private static int ToInt(TimeSpan t) => t == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Min(t.TotalMilliseconds, int.MaxValue);

    private static byte[]? Bytes(object? v) => v switch
    {
        null => null,
        byte[] a => a,
        ReadOnlyMemory<byte> m => m.ToArray(),
        Memory<byte> m => m.ToArray(),
        ArraySegment<byte> a => a.ToArray(),
        string s => Encoding.UTF8.GetBytes(s),
        _ => throw new OptionValueException("bytes (byte[], ReadOnlyMemory<byte> or a UTF-8 string)"),
    };

    private static ReconnectStop StopFlags(object? v) => v is ReconnectStop r ? r
        : Int(v) is var i && (i & ~3) == 0 ? (ReconnectStop)i
        : throw new OptionValueException("a combination of 1 (connection refused) and 2 (handshake failed)");

    private static string? Text(object? v) => v switch
    {
        null => null,
        string s => s,
        byte[] a => Encoding.UTF8.GetString(a),
        ReadOnlyMemory<byte> m => Encoding.UTF8.GetString(m.Span),
        _ => throw new OptionValueException("a string (or its UTF-8 bytes)"),
    };

    /// <summary>A CURVE key as libzmq takes it: 32 bytes, or 40 Z85 characters (as a string or as bytes).</summary>
    private static byte[]? Key(object? v) => v switch
    {
        null => null,
        string { Length: 40 } z => Z85Key(z),
        byte[] { Length: 40 } z => Z85Key(Encoding.ASCII.GetString(z)),
        byte[] { Length: 41 } z when z[40] == 0 => Z85Key(Encoding.ASCII.GetString(z, 0, 40)),
        _ => Bytes(v),
    };

    private static byte[] Z85Key(string z)
    {
        try
        {
            return Z85.Decode(z);
        }
        catch (FormatException e)
        {
            throw new OptionValueException("32 bytes or 40 Z85 characters (" + e.Message + ")");
        }
    }

    private static string Describe(object? value) => value is null ? "null" : $"{value} ({value.GetType().Name})";
}
