using Microsoft.Extensions.Logging;

namespace Zmq.Toolkit;

/// <summary>
/// The actor side of a gossip node (<c>Gossip</c>): one thread, a <see cref="Reactor"/> over the pipe, the
/// server's ROUTER (after BIND) and one DEALER per remote server (CONNECT), as CZMQ's zgossip.
/// A tuple accepted from anywhere (the application, a client, a remote) is stored, delivered to the
/// application (DELIVER key value on the pipe) and forwarded to every client in session and every
/// remote, except where it came from; a tuple already known with the same value is dropped, so
/// forwarding loops end. Remotes are PINGed (CZMQ's server drops a silent client after 1 s); a
/// client of our server stays as long as its connection, whether it PINGs or not.
/// </summary>
internal sealed class GossipEngine
{
    private readonly PairSocket _pipe;
    private readonly Context? _context;
    private readonly ILogger _logger;
    private readonly TimeSpan _pingInterval;
    private readonly Reactor _reactor;
    private readonly Dictionary<string, Entry> _tuples = new(StringComparer.Ordinal);
    private readonly HashSet<byte[]> _clients = new(Zmq.Toolkit.ByteArrays.Comparer); // routing ids in session (said HELLO)
    private readonly List<Remote> _remotes = [];
    private RouterSocket? _server;
    private int _port;
    private bool _verbose;
    private CurveKeyPair? _keys;

    private sealed class Entry(string value, long expires)
    {
        public string Value { get; set; } = value;
        public long Expires { get; set; } = expires; // Clock ms; long.MaxValue: for ever
    }

    private sealed class Remote(string Endpoint, DealerSocket socket, SocketMonitor monitor)
    {
        public string Endpoint { get; } = Endpoint;
        public DealerSocket Socket { get; } = socket;
        public SocketMonitor Monitor { get; } = monitor;
        public int Handshakes { get; set; }
    }

    public GossipEngine(PairSocket pipe, Context? context, ILogger logger, TimeSpan pingInterval)
    {
        _pipe = pipe;
        _context = context;
        _logger = logger;
        _pingInterval = pingInterval;
        _reactor = new Reactor(logger);
    }

    public void Run()
    {
        try
        {
            _reactor.AddReader(_pipe, _ => OnPipe());
            _reactor.AddTimer(_pingInterval, 0, _ => OnTick());
            _pipe.Signal();
            _reactor.Run();
        }
        finally
        {
            _reactor.Dispose();
            _server?.Dispose();
            foreach (var r in _remotes)
            {
                r.Monitor.Dispose();
                r.Socket.Dispose();
            }
        }
    }

    // ---- the application's commands ----

    private void OnPipe()
    {
        using var m = _pipe.Receive();
        var f = new string[m.Count];
        for (int i = 0; i < f.Length; i++) f[i] = m.GetString(i);
        string command = f.Length > 0 ? f[0] : "";
        if (_verbose) _logger.LogInformation("zgossip: API command={Command}", string.Join(' ', f));
        try
        {
            switch (command)
            {
                case Actor.Term: _reactor.Stop(); break;
                case "VERBOSE": _verbose = true; break;
                case "BIND": Bind(Arg(f, 1, "an endpoint")); break;
                case "PORT": _pipe.SendFrames("PORT", _port.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                case "CONNECT": Connect(Arg(f, 1, "an endpoint"), f.Length > 2 ? f[2] : null); break;
                case "SET SECRETKEY": _keys = CurveKeyPair.FromSecretKey(Arg(f, 1, "a Z85 secret key")); break;
                case "SET PUBLICKEY": break; // derived from the secret key (CZMQ's draft API sends both)
                case "PUBLISH":
                    uint ttl = f.Length > 3 && uint.TryParse(f[3], out var t) ? t : 0;
                    Accept(Arg(f, 1, "a key"), Arg(f, 2, "a value"), ttl, fromClient: null, fromRemote: null, deliver: false);
                    break;
                case "UNPUBLISH": Accept(Arg(f, 1, "a key"), "", 0, null, null, deliver: false); break;
                case "STATUS": _pipe.SendFrames("STATUS", LiveCount().ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                default: throw new ArgumentException($"unknown command '{command}'");
            }
        }
        catch (Exception e) when (e is ArgumentException or ZmqException)
        {
            _logger.LogWarning("zgossip: {Command} refused: {Reason}", command, e.Message);
            _pipe.SendFrames("ERROR", command, e is ZmqException z ? z.Error.ToString() : "", e.Message);
        }
    }

    private static string Arg(string[] f, int i, string what) =>
        f.Length > i ? f[i] : throw new ArgumentException($"{f[0]} needs {what}");

    private void Bind(string endpoint)
    {
        if (_server is null)
        {
            _server = new RouterSocket(context: _context) { Linger = TimeSpan.Zero, Mandatory = true, SendHighWatermark = 0 };
            if (_keys is not null) _server.MakeCurveServer(_keys); // SET SECRETKEY before BIND: a CURVE server
            _reactor.AddReader(_server, _ => OnServer());
        }
        _port = _server.Bind(endpoint);
    }

    private void Connect(string endpoint, string? serverKey)
    {
        if (_remotes.Exists(r => r.Endpoint == endpoint)) return;
        var dealer = new DealerSocket(context: _context) { Linger = TimeSpan.Zero, SendHighWatermark = 0 }; // never blocks: the whole tuple set may queue
        if (serverKey is not null) dealer.MakeCurveClient(CurveKeyPair.DecodeKey(serverKey, "public"), _keys); // CZMQ's draft CONNECT endpoint public-key
        var monitor = dealer.Monitor(MonitorEventType.HandshakeSucceeded);
        try
        {
            dealer.Connect(endpoint);
        }
        catch
        {
            monitor.Dispose();
            dealer.Dispose();
            throw;
        }
        var remote = new Remote(endpoint, dealer, monitor);
        _remotes.Add(remote);
        _reactor.AddReader(dealer, _ => OnRemote(remote));
        Greet(remote); // queued until the connection is up, as CZMQ's HELLO
    }

    /// <summary>HELLO and every tuple we know, to a remote server (at CONNECT, after a reconnection, on INVALID).</summary>
    private void Greet(Remote remote)
    {
        Send(remote.Socket, new GossipMessage(GossipMessageType.Hello));
        foreach (var m in Known()) Send(remote.Socket, m);
    }

    // ---- the server side ----

    private void OnServer()
    {
        using var m = _server!.Receive();
        if (m.Count != 2)
        {
            if (_verbose) _logger.LogInformation("zgossip: dropped a {Count}-frame message from a client", m.Count);
            return;
        }
        byte[] client = m.ToArray(0);
        if (!GossipMessage.TryDecode(m.GetSpan(1), out var message, out var error))
        {
            _logger.LogInformation("zgossip: malformed message from a client ({Error}): INVALID", error);
            Invalid(client);
            return;
        }
        switch (message!.Type)
        {
            case GossipMessageType.Hello:
                _clients.Add(client);
                foreach (var known in Known()) ToClient(client, known);
                break;
            case GossipMessageType.Ping:
                ToClient(client, new GossipMessage(GossipMessageType.Pong));
                break;
            case GossipMessageType.Publish when _clients.Contains(client):
                Accept(message.Key, message.Value, message.Ttl, fromClient: client, fromRemote: null, deliver: true);
                break;
            default:
                Invalid(client); // PUBLISH before HELLO, PONG or INVALID from a client: as CZMQ, INVALID and out of session
                break;
        }
    }

    private void Invalid(byte[] client)
    {
        _clients.Remove(client);
        ToClient(client, new GossipMessage(GossipMessageType.Invalid));
    }

    private void ToClient(byte[] client, GossipMessage message)
    {
        try
        {
            _server!.SendFrames([client, message.Encode()]);
        }
        catch (ZmqException e) when (e.Error == ZmqError.HostUnreachable)
        {
            _clients.Remove(client); // its connection is gone
        }
    }

    // ---- the client side ----

    private void OnRemote(Remote remote)
    {
        using var m = remote.Socket.Receive();
        if (m.Count != 1 || !GossipMessage.TryDecode(m.GetSpan(0), out var message, out var error))
        {
            _logger.LogInformation("zgossip: malformed message from {Endpoint}: dropped", remote.Endpoint);
            return;
        }
        switch (message!.Type)
        {
            case GossipMessageType.Publish:
                Accept(message.Key, message.Value, message.Ttl, fromClient: null, fromRemote: remote, deliver: true);
                break;
            case GossipMessageType.Invalid:
                Greet(remote); // the server lost our session
                break;
        }
    }

    /// <summary>PINGs every remote, greets those that (re)connected, expires tuples past their time to live.</summary>
    private void OnTick()
    {
        foreach (var r in _remotes)
        {
            bool reconnected = false;
            while (r.Monitor.TryRead(TimeSpan.Zero, out _))
                reconnected |= ++r.Handshakes > 1; // the first handshake carries the HELLO queued at CONNECT
            if (reconnected) Greet(r); // a new session (the server restarted, or the connection was lost)
            else Send(r.Socket, new GossipMessage(GossipMessageType.Ping));
        }
        long now = Clock.NowMs;
        List<string>? expired = null;
        foreach (var (key, entry) in _tuples)
            if (entry.Expires <= now) (expired ??= []).Add(key);
        if (expired is not null)
            foreach (var key in expired) _tuples.Remove(key);
    }

    // ---- tuples ----

    /// <summary>Stores a tuple unless known with this value; delivers and forwards it (an empty value unpublishes).</summary>
    private void Accept(string key, string value, uint ttl, byte[]? fromClient, Remote? fromRemote, bool deliver)
    {
        if (_tuples.TryGetValue(key, out var known) && known.Value == value) return; // duplicate: the loop ends here
        if (value.Length == 0 && known is null) return; // unpublishing what we never had
        long expires = ttl == 0 ? long.MaxValue : Clock.NowMs + ttl;
        if (known is null) _tuples[key] = new Entry(value, expires);
        else
        {
            known.Value = value;
            known.Expires = expires;
        }
        if (deliver) _pipe.SendFrames("DELIVER", key, value);
        var message = new GossipMessage(GossipMessageType.Publish, key, value, ttl);
        foreach (var client in _clients.ToArray())
            if (fromClient is null || !ByteArrays.Comparer.Equals(client, fromClient)) ToClient(client, message);
        foreach (var r in _remotes)
            if (r != fromRemote) Send(r.Socket, message);
    }

    /// <summary>The tuples a newcomer gets: every live one, an unpublished key as its empty value (so it is removed there too), each with its remaining time.</summary>
    private IEnumerable<GossipMessage> Known()
    {
        long now = Clock.NowMs;
        foreach (var (key, e) in _tuples)
        {
            if (e.Expires <= now) continue;
            uint ttl = e.Expires == long.MaxValue ? 0 : (uint)Math.Max(1, e.Expires - now);
            yield return new GossipMessage(GossipMessageType.Publish, key, e.Value, ttl);
        }
    }

    private int LiveCount()
    {
        long now = Clock.NowMs;
        return _tuples.Values.Count(e => e.Value.Length > 0 && e.Expires > now);
    }

    private static void Send(Socket socket, GossipMessage message) => socket.TrySend(message.Encode());
}
