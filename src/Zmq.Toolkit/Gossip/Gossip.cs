using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zmq.Toolkit;

/// <summary>A tuple a <see cref="Gossip"/> node learned: an empty <see cref="Value"/> means the key was unpublished.</summary>
/// <param name="Key">The key (at most 255 bytes in UTF-8).</param>
/// <param name="Value">The value; empty when unpublished.</param>
public readonly record struct GossipTuple(string Key, string Value);

/// <summary>
/// CZMQ's zgossip: a node that spreads key/value tuples over ZeroMQ (ZGSP v1, wire-compatible with
/// CZMQ 4.2.1). <see cref="Bind"/> makes it a server (a ROUTER that clients say HELLO to and get
/// every known tuple from), <see cref="Connect"/> a client of another server (a DEALER); it may be
/// both, and many. Every tuple accepted is forwarded to every other peer and dropped when already
/// known with the same value, so loops end. Tuples learned from other nodes arrive through
/// <see cref="TryReceive"/>/<see cref="ReceiveAsync"/> (its own publications do not).
/// Beyond CZMQ 4.2.1: our client PINGs (CZMQ's server drops a client silent for 1 s, and its own
/// client never PINGs), our server keeps a silent client for as long as its connection lives;
/// <see cref="Unpublish"/> spreads (an empty value: a CZMQ node stores the key with an empty
/// value) and a time to live expires a tuple on our nodes (CZMQ ignores it).
/// Runs as an <see cref="Actor"/> with CZMQ's command set on its pipe (BIND, PORT, CONNECT,
/// PUBLISH key value [ttl], UNPUBLISH, STATUS, VERBOSE, $TERM; deliveries as DELIVER key value).
/// </summary>
/// <example>
/// <code>
/// using var server = new Gossip();
/// int port = server.Bind("tcp://127.0.0.1:*");
/// using var client = new Gossip();
/// client.Connect($"tcp://127.0.0.1:{port}");
/// client.Publish("svc/alpha", "tcp://10.0.0.5:9001");
/// if (server.TryReceive(TimeSpan.FromSeconds(1), out var t)) Console.WriteLine($"{t.Key} = {t.Value}");
/// </code>
/// </example>
public sealed class Gossip : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);
    private readonly Actor _actor;
    private readonly Queue<GossipTuple> _delivered = new();
    private readonly Lock _gate = new();

    /// <summary>Starts a node (no endpoints yet); its sockets belong to <paramref name="context"/>.</summary>
    /// <param name="context">The sockets' context (the default one when null).</param>
    /// <param name="logger">Where refused commands, malformed messages and VERBOSE lines go.</param>
    /// <param name="pingInterval">How often a client PINGs its servers (default 250 ms, well within CZMQ's 1 s).</param>
    public Gossip(Context? context = null, ILogger? logger = null, TimeSpan? pingInterval = null)
    {
        var log = logger ?? NullLogger.Instance;
        var ping = pingInterval ?? TimeSpan.FromMilliseconds(250);
        _actor = new Actor(pipe => new GossipEngine(pipe, context, log, ping).Run(), context, log);
    }

    /// <summary>The actor (its pipe takes CZMQ's commands directly).</summary>
    public Actor Actor => _actor;

    /// <summary>BIND: serves clients on <paramref name="endpoint"/>; returns the TCP port (0 for ipc).</summary>
    /// <exception cref="ZmqException">The endpoint could not be bound (the message says why).</exception>
    public int Bind(string endpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        lock (_gate)
        {
            _actor.Pipe.SendFrames("BIND", endpoint);
            _actor.Pipe.SendFrames("PORT");
            var reply = Reply("PORT");
            return int.Parse(reply[1], CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// CONNECT: becomes a client of the server at <paramref name="endpoint"/> (it reconnects as
    /// needed); with <paramref name="serverPublicKey"/>, over CURVE (this node's <see cref="UseCurve"/>
    /// keys, else an ephemeral pair).
    /// </summary>
    public void Connect(string endpoint, byte[]? serverPublicKey = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        if (serverPublicKey is { Length: not 32 }) throw new ArgumentException("a CURVE public key is 32 bytes", nameof(serverPublicKey));
        lock (_gate)
        {
            if (serverPublicKey is null) _actor.Pipe.SendFrames("CONNECT", endpoint);
            else _actor.Pipe.SendFrames("CONNECT", endpoint, Z85.Encode(serverPublicKey));
        }
    }

    /// <summary>
    /// This node's CURVE key pair (CZMQ's draft SET PUBLICKEY/SECRETKEY): a later <see cref="Bind"/>
    /// serves over CURVE with it (clients must know its public key; a ZAP handler in the context, if
    /// any, judges them), and CURVE connections use it as the client's keys.
    /// </summary>
    public void UseCurve(CurveKeyPair keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_gate)
        {
            _actor.Pipe.SendFrames("SET PUBLICKEY", keys.PublicKeyZ85);
            _actor.Pipe.SendFrames("SET SECRETKEY", keys.SecretKeyZ85);
        }
    }

    /// <summary>PUBLISH: spreads a tuple; <paramref name="ttl"/> expires it on our nodes (CZMQ keeps it).</summary>
    /// <exception cref="ArgumentException">A key over 255 bytes in UTF-8, or an empty value (use <see cref="Unpublish"/>).</exception>
    public void Publish(string key, string value, TimeSpan? ttl = null)
    {
        CheckKey(key);
        ArgumentException.ThrowIfNullOrEmpty(value);
        uint ms = ttl is { } t ? (uint)Math.Clamp(Math.Ceiling(t.TotalMilliseconds), 1, uint.MaxValue) : 0;
        lock (_gate) _actor.Pipe.SendFrames("PUBLISH", key, value, ms.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>UNPUBLISH: removes a key here and on every node that hears of it.</summary>
    public void Unpublish(string key)
    {
        CheckKey(key);
        lock (_gate) _actor.Pipe.SendFrames("UNPUBLISH", key);
    }

    /// <summary>STATUS: how many tuples this node holds.</summary>
    public int Status()
    {
        lock (_gate)
        {
            _actor.Pipe.SendFrames("STATUS");
            return int.Parse(Reply("STATUS")[1], CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The next tuple learned from another node, waiting at most <paramref name="timeout"/>.</summary>
    public bool TryReceive(TimeSpan timeout, out GossipTuple tuple)
    {
        lock (_gate)
        {
            if (_delivered.TryDequeue(out tuple)) return true;
            var deadline = Clock.NowMs + (long)timeout.TotalMilliseconds;
            while (true)
            {
                long left = Math.Max(0, deadline - Clock.NowMs);
                if (!_actor.Pipe.TryReceive(TimeSpan.FromMilliseconds(left), out var m)) return false;
                using (m)
                {
                    if (AsDelivery(m) is { } t)
                    {
                        tuple = t;
                        return true;
                    }
                }
            }
        }
    }

    /// <summary>The next tuple learned from another node.</summary>
    public async ValueTask<GossipTuple> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_delivered.TryDequeue(out var queued)) return queued;
            }
            using var m = await _actor.Pipe.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (AsDelivery(m) is { } t) return t;
        }
    }

    /// <summary>Ends the node ($TERM) and closes its sockets.</summary>
    public void Dispose() => _actor.Dispose();

    /// <summary>Under the lock: the reply to a command, keeping deliveries that come first.</summary>
    private string[] Reply(string name)
    {
        var deadline = Clock.NowMs + (long)ReplyTimeout.TotalMilliseconds;
        while (true)
        {
            long left = deadline - Clock.NowMs;
            if (left <= 0 || !_actor.Pipe.TryReceive(TimeSpan.FromMilliseconds(left), out var m))
                throw new TimeoutException($"the gossip node did not answer {name}");
            using (m)
            {
                var f = m.ToArrays().Select(Encoding.UTF8.GetString).ToArray();
                if (f.Length == 3 && f[0] == "DELIVER") _delivered.Enqueue(new GossipTuple(f[1], f[2]));
                else if (f.Length == 4 && f[0] == "ERROR")
                {
                    if (Enum.TryParse<ZmqError>(f[2], out var error)) throw new ZmqException(error, $"gossip {f[1]}: {f[3]}", SocketType.Router);
                    throw new ArgumentException($"gossip {f[1]}: {f[3]}");
                }
                else if (f.Length == 2 && f[0] == name) return f;
            }
        }
    }

    private static GossipTuple? AsDelivery(Message m) =>
        m.Count == 3 && m.GetString(0) == "DELIVER" ? new GossipTuple(m.GetString(1), m.GetString(2)) : null;

    private static void CheckKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        int n = Encoding.UTF8.GetByteCount(key);
        if (n > 255) throw new ArgumentException($"a gossip key is at most 255 bytes in UTF-8, not {n}", nameof(key));
    }
}
