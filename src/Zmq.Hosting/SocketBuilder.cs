using System.Text;

namespace Zmq.Hosting;

/// <summary>
/// Makes a socket from <see cref="ZmqSocketOptions"/>: the type's constructor, then every option
/// through the socket's own properties (so the core's checks apply), then the endpoints. Each
/// problem is reported with the socket's name, the option, where its value came from and the value.
/// </summary>
internal static class SocketBuilder
{
    /// <summary>Typed option -> the libzmq option it sets: giving both is a conflict, not a silent override.</summary>
    private static readonly (string Name, SocketOption Option)[] TypedOptions =
    [
        ("SendHighWatermark", SocketOption.SndHwm), ("ReceiveHighWatermark", SocketOption.RcvHwm),
        ("Linger", SocketOption.Linger), ("SendTimeout", SocketOption.SndTimeo), ("ReceiveTimeout", SocketOption.RcvTimeo),
        ("ReconnectInterval", SocketOption.ReconnectIvl), ("ReconnectIntervalMax", SocketOption.ReconnectIvlMax),
        ("HandshakeInterval", SocketOption.HandshakeIvl), ("HeartbeatInterval", SocketOption.HeartbeatIvl),
        ("HeartbeatTimeout", SocketOption.HeartbeatTimeout), ("HeartbeatTtl", SocketOption.HeartbeatTtl),
        ("ConnectTimeout", SocketOption.ConnectTimeout), ("MaxMessageSize", SocketOption.MaxMsgSize),
        ("Immediate", SocketOption.Immediate), ("RoutingId", SocketOption.RoutingId), ("Subscribe", SocketOption.Subscribe),
    ];

    /// <summary>Creates a socket of <paramref name="type"/> with <paramref name="configure"/> run before any endpoint.</summary>
    public static Socket Create(SocketType type, Context context, Action<Socket> configure) => type switch
    {
        SocketType.Pair => new PairSocket(context: context, configure: configure),
        SocketType.Pub => new PubSocket(context: context, configure: configure),
        SocketType.Sub => new SubSocket(context: context, configure: configure),
        SocketType.Req => new ReqSocket(context: context, configure: configure),
        SocketType.Rep => new RepSocket(context: context, configure: configure),
        SocketType.Dealer => new DealerSocket(context: context, configure: configure),
        SocketType.Router => new RouterSocket(context: context, configure: configure),
        SocketType.Pull => new PullSocket(context: context, configure: configure),
        SocketType.Push => new PushSocket(context: context, configure: configure),
        SocketType.XPub => new XPubSocket(context: context, configure: configure),
        SocketType.XSub => new XSubSocket(context: context, configure: configure),
        SocketType.Stream => new StreamSocket(context: context, configure: configure),
        SocketType.Server => new ServerSocket(context: context, configure: configure),
        SocketType.Client => new ClientSocket(context: context, configure: configure),
        SocketType.Gather => new GatherSocket(context: context, configure: configure),
        SocketType.Scatter => new ScatterSocket(context: context, configure: configure),
        SocketType.Peer => new PeerSocket(context: context, configure: configure),
        SocketType.Channel => new ChannelSocket(context: context, configure: configure),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a socket type"),
    };

    /// <summary>The CLR type of each socket type (for keyed registrations and type checks).</summary>
    public static Type ClrType(SocketType type) => type switch
    {
        SocketType.Pair => typeof(PairSocket),
        SocketType.Pub => typeof(PubSocket),
        SocketType.Sub => typeof(SubSocket),
        SocketType.Req => typeof(ReqSocket),
        SocketType.Rep => typeof(RepSocket),
        SocketType.Dealer => typeof(DealerSocket),
        SocketType.Router => typeof(RouterSocket),
        SocketType.Pull => typeof(PullSocket),
        SocketType.Push => typeof(PushSocket),
        SocketType.XPub => typeof(XPubSocket),
        SocketType.XSub => typeof(XSubSocket),
        SocketType.Stream => typeof(StreamSocket),
        SocketType.Server => typeof(ServerSocket),
        SocketType.Client => typeof(ClientSocket),
        SocketType.Gather => typeof(GatherSocket),
        SocketType.Scatter => typeof(ScatterSocket),
        SocketType.Peer => typeof(PeerSocket),
        SocketType.Channel => typeof(ChannelSocket),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a socket type"),
    };

    /// <summary>The socket type of a socket class (null for the abstract <see cref="Socket"/>).</summary>
    public static SocketType? TypeOf(Type clr)
    {
        foreach (var t in Enum.GetValues<SocketType>())
            if (ClrType(t) == clr) return t;
        return null;
    }

    /// <summary>
    /// Applies everything but the endpoints to <paramref name="s"/>, collecting each failure into
    /// <paramref name="errors"/> (all of them, not only the first).
    /// </summary>
    /// <remarks>With <paramref name="runConfigureSocket"/> false (validating on a scratch socket) the application's callback is not run: it runs on real sockets only.</remarks>
    public static void Apply(Socket s, string name, ZmqSocketOptions o, List<string> errors, bool runConfigureSocket = true)
    {
        foreach (var (typed, option) in TypedOptions)
        {
            if (o.Options.ContainsKey(option) && IsSet(o, typed))
                errors.Add($"{Where(name, o, typed)} and {Where(name, o, "Options:" + option)} both set ZMQ option {option}: keep one");
        }
        Set(s, name, o, errors, "SendHighWatermark", o.SendHighWatermark, v => s.SendHighWatermark = v);
        Set(s, name, o, errors, "ReceiveHighWatermark", o.ReceiveHighWatermark, v => s.ReceiveHighWatermark = v);
        Set(s, name, o, errors, "Linger", o.Linger, v => s.Linger = v);
        Set(s, name, o, errors, "SendTimeout", o.SendTimeout, v => s.SendTimeout = v);
        Set(s, name, o, errors, "ReceiveTimeout", o.ReceiveTimeout, v => s.ReceiveTimeout = v);
        Set(s, name, o, errors, "ReconnectInterval", o.ReconnectInterval, v => s.ReconnectInterval = v);
        Set(s, name, o, errors, "ReconnectIntervalMax", o.ReconnectIntervalMax, v => s.ReconnectIntervalMax = v);
        Set(s, name, o, errors, "HandshakeInterval", o.HandshakeInterval, v => s.HandshakeInterval = v);
        Set(s, name, o, errors, "HeartbeatInterval", o.HeartbeatInterval, v => s.HeartbeatInterval = v);
        Set(s, name, o, errors, "HeartbeatTimeout", o.HeartbeatTimeout, v => s.HeartbeatTimeout = v);
        Set(s, name, o, errors, "HeartbeatTtl", o.HeartbeatTtl, v => s.HeartbeatTtl = v);
        Set(s, name, o, errors, "ConnectTimeout", o.ConnectTimeout, v => s.ConnectTimeout = v);
        Set(s, name, o, errors, "MaxMessageSize", o.MaxMessageSize, v => s.MaxMessageSize = v);
        Set(s, name, o, errors, "Immediate", o.Immediate, v => s.Immediate = v);
        if (o.RoutingId is { } id) Try(name, o, errors, "RoutingId", () => s.RoutingId = Encoding.UTF8.GetBytes(id));
        foreach (var (option, value) in o.Options)
            Try(name, o, errors, "Options:" + option, () => s.SetOption(option, value));
        ApplyCurve(s, name, o, errors);
        ApplyPlain(s, name, o, errors);
        foreach (var topic in o.Subscribe)
        {
            Try(name, o, errors, "Subscribe", () =>
            {
                switch (s)
                {
                    case SubSocket sub: sub.Subscribe(topic); break;
                    case XPubSocket { Manual: true } xpub: xpub.Subscribe(topic); break;
                    default: throw new ZmqException(ZmqError.InvalidOption, "Subscribe applies to SUB and XSUB sockets (and XPUB with XPubManual)", s.Type);
                }
            });
        }
        if (runConfigureSocket && o.ConfigureSocket is { } configure) Try(name, o, errors, "ConfigureSocket", () => configure(s));
    }

    private static void ApplyCurve(Socket s, string name, ZmqSocketOptions o, List<string> errors)
    {
        var c = o.Curve;
        if (c.IsEmpty) return;
        bool genericCurve = o.Options.Keys.Any(k => k is SocketOption.CurveServer or SocketOption.CurvePublicKey or SocketOption.CurveSecretKey or SocketOption.CurveServerKey);
        if (genericCurve)
        {
            errors.Add($"socket '{name}': CURVE is configured both in Curve and as libzmq options (CurveServer, CurveSecretKey, ...): use the Curve section");
            return;
        }
        int sources = (c.KeyPair is null ? 0 : 1) + (c.SecretKey is null ? 0 : 1) + (c.Certificate is null ? 0 : 1);
        if (sources > 1)
        {
            errors.Add($"socket '{name}': give this socket's CURVE keys once: Curve:SecretKey, Curve:Certificate or Curve:KeyPair, not {sources} of them");
            return;
        }
        CurveKeyPair? own = c.KeyPair;
        if (c.SecretKey is { } secret)
        {
            own = Guard(name, o, errors, "Curve:SecretKey", () => secret.Length == 40
                ? CurveKeyPair.FromSecretKey(secret)
                : throw new FormatException($"a CURVE secret key in Z85 is 40 characters, not {secret.Length}"), hideMessage: true);
            if (own is null) return;
        }
        if (c.Certificate is { } path)
        {
            var cert = Guard(name, o, errors, "Curve:Certificate", () => Certificate.Load(path));
            if (cert is null) return;
            if (cert.KeyPair is not { } pair)
            {
                errors.Add($"{Where(name, o, "Curve:Certificate")}: the certificate has no secret key ({path}_secret is missing), so it cannot be this socket's own");
                return;
            }
            own = pair;
        }
        if (c.PublicKey is { } pub)
        {
            var key = Guard(name, o, errors, "Curve:PublicKey", () => CurveKeyPair.DecodeKey(pub, "public"));
            if (key is null) return;
            if (own is null)
            {
                errors.Add($"{Where(name, o, "Curve:PublicKey")}: a public key without its secret key (Curve:SecretKey or Curve:Certificate) is of no use; a client names the server's key in Curve:ServerKey");
                return;
            }
            if (!key.AsSpan().SequenceEqual(own.PublicKey))
            {
                errors.Add($"{Where(name, o, "Curve:PublicKey")}: does not belong to the secret key (its public key is {own.PublicKeyZ85})");
                return;
            }
        }
        byte[]? serverKey = null;
        if (c.ServerKey is not null && c.ServerCertificate is not null)
        {
            errors.Add($"socket '{name}': give the server's key once: Curve:ServerKey or Curve:ServerCertificate");
            return;
        }
        if (c.ServerKey is { } sk)
        {
            serverKey = Guard(name, o, errors, "Curve:ServerKey", () => CurveKeyPair.DecodeKey(sk, "server"));
            if (serverKey is null) return;
        }
        if (c.ServerCertificate is { } sp)
        {
            serverKey = Guard(name, o, errors, "Curve:ServerCertificate", () => Certificate.Load(sp).PublicKey);
            if (serverKey is null) return;
        }
        bool server = c.Server == true;
        if (server && serverKey is not null)
        {
            errors.Add($"socket '{name}': Curve:Server is true and a server key (Curve:ServerKey/ServerCertificate) is given: a socket is the CURVE server or a client of one, not both");
            return;
        }
        if (server && own is null)
        {
            errors.Add($"{Where(name, o, "Curve:Server")}: a CURVE server needs its secret key: Curve:SecretKey or Curve:Certificate");
            return;
        }
        if (!server && serverKey is null)
        {
            errors.Add($"socket '{name}': CURVE keys are given but neither Curve:Server = true (a server) nor Curve:ServerKey/ServerCertificate (a client of that server)");
            return;
        }
        Try(name, o, errors, "Curve", () =>
        {
            if (serverKey is not null) s.CurveServerKey = serverKey;
            if (own is not null) s.SetCurveKeys(own);
            if (server) s.CurveServer = true;
        });
    }

    private static void ApplyPlain(Socket s, string name, ZmqSocketOptions o, List<string> errors)
    {
        var p = o.Plain;
        if (p.Server is null && p.Username is null && p.Password is null) return;
        if (!o.Curve.IsEmpty)
        {
            errors.Add($"socket '{name}': both Curve and Plain are configured; a socket uses one mechanism");
            return;
        }
        if (p.Server == true && (p.Username is not null || p.Password is not null))
        {
            errors.Add($"socket '{name}': Plain:Server is true and Plain:Username/Password are given: a PLAIN server checks credentials (through the ZAP handler), it sends none");
            return;
        }
        if (p.Server == true) Try(name, o, errors, "Plain:Server", () => s.PlainServer = true);
        if (p.Server != true && (p.Username is null || p.Password is null))
        {
            errors.Add($"socket '{name}': a PLAIN client needs both Plain:Username and Plain:Password");
            return;
        }
        if (p.Username is { } user) Try(name, o, errors, "Plain:Username", () => s.PlainUsername = user);
        if (p.Password is { } password) Try(name, o, errors, "Plain:Password", () => s.PlainPassword = password);
    }

    private static bool IsSet(ZmqSocketOptions o, string typed) => typed switch
    {
        "SendHighWatermark" => o.SendHighWatermark is not null,
        "ReceiveHighWatermark" => o.ReceiveHighWatermark is not null,
        "Linger" => o.Linger is not null,
        "SendTimeout" => o.SendTimeout is not null,
        "ReceiveTimeout" => o.ReceiveTimeout is not null,
        "ReconnectInterval" => o.ReconnectInterval is not null,
        "ReconnectIntervalMax" => o.ReconnectIntervalMax is not null,
        "HandshakeInterval" => o.HandshakeInterval is not null,
        "HeartbeatInterval" => o.HeartbeatInterval is not null,
        "HeartbeatTimeout" => o.HeartbeatTimeout is not null,
        "HeartbeatTtl" => o.HeartbeatTtl is not null,
        "ConnectTimeout" => o.ConnectTimeout is not null,
        "MaxMessageSize" => o.MaxMessageSize is not null,
        "Immediate" => o.Immediate is not null,
        "RoutingId" => o.RoutingId is not null,
        "Subscribe" => o.Subscribe.Count > 0,
        _ => false,
    };

    private static void Set<T>(Socket s, string name, ZmqSocketOptions o, List<string> errors, string key, T? value, Action<T> set) where T : struct
    {
        if (value is { } v) Try(name, o, errors, key, () => set(v), v);
    }

    private static void Try(string name, ZmqSocketOptions o, List<string> errors, string key, Action set, object? value = null)
    {
        try
        {
            set();
        }
        catch (Exception e) when (e is ZmqException or ArgumentException or FormatException or IOException or InvalidOperationException)
        {
            errors.Add($"{Where(name, o, key, value)}: {e.Message}");
        }
    }

    private static T? Guard<T>(string name, ZmqSocketOptions o, List<string> errors, string key, Func<T> get, bool hideMessage = false) where T : class
    {
        try
        {
            return get();
        }
        catch (Exception e) when (e is ZmqException or ArgumentException or FormatException or IOException)
        {
            // A secret's own text never reaches a message (Z85's errors quote the group they choke on).
            string why = !hideMessage || e.Message.StartsWith("a CURVE secret key in Z85 is 40", StringComparison.Ordinal)
                ? e.Message
                : "not valid Z85 (a CURVE secret key is 40 Z85 characters)";
            errors.Add($"{Where(name, o, key)}: {why}");
            return null;
        }
    }

    /// <summary>"Zmq:Sockets:jobs:Linger = "abc"" for a configured value, "socket 'jobs' Linger = 00:00:01" for one set in code.</summary>
    internal static string Where(string name, ZmqSocketOptions o, string key, object? value = null)
    {
        if (o.Sources.TryGetValue(key, out var source))
            return $"socket '{name}': {source.Path} = {ConfigValues.Show(source.Text, source.Secret)}";
        bool secret = key is "Curve:SecretKey" or "Plain:Password" or "Options:CurveSecretKey" or "Options:PlainPassword";
        return value is null ? $"socket '{name}': {key}" : $"socket '{name}': {key} = {(secret ? "(hidden)" : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture))}";
    }
}
