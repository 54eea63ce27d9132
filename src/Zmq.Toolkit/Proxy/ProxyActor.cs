using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zmq.Toolkit;

/// <summary>A side of a proxy, as zproxy's DOMAIN, PLAIN and CURVE commands name it.</summary>
public enum ProxySide
{
    /// <summary>FRONTEND.</summary>
    Frontend,
    /// <summary>BACKEND.</summary>
    Backend,
}

/// <summary>
/// CZMQ's zproxy: a <see cref="Proxy"/> run by an <see cref="Actor"/> that creates and owns its
/// sockets, configured by zproxy's commands on the actor's pipe, each answered with a signal:
/// <c>FRONTEND type endpoints [HEARTBEAT_IVL ms] [HEARTBEAT_TIMEOUT ms] [HEARTBEAT_TTL ms]</c>,
/// <c>BACKEND ...</c> (proxying starts once both exist), <c>CAPTURE endpoint</c> (a PUSH socket
/// that connects; <c>@endpoint</c> binds), <c>PAUSE</c>, <c>RESUME</c>, <c>VERBOSE</c>,
/// <c>DOMAIN FRONTEND|BACKEND domain</c>, <c>PLAIN FRONTEND|BACKEND</c> (a PLAIN server),
/// <c>CURVE FRONTEND|BACKEND public-key secret-key</c> (a CURVE server, Z85 keys) and
/// <c>$TERM</c>; security and domains apply to sockets created after them, as in zproxy. A ZAP
/// handler for PLAIN and CURVE (an <c>Authenticator</c> in the same context) is the caller's to
/// run. Where zproxy asserts on a bad command, this one signals status 1 and the typed method
/// throws, naming the command and the reason. Also answers <c>STATISTICS</c> (libzmq's eight frames).
/// </summary>
/// <example>
/// <code>
/// using var proxy = new ProxyActor();
/// proxy.Frontend(SocketType.Pull, "@tcp://*:6000");
/// proxy.Backend(SocketType.Push, "@tcp://*:6001");
/// proxy.Pause(); proxy.Resume();
/// </code>
/// </example>
public sealed class ProxyActor : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private readonly Context? _context;
    private readonly ILogger _logger;
    private readonly Actor _actor;
    private volatile string? _lastError;

    /// <summary>Starts the actor; its sockets belong to <paramref name="context"/> (the default one when null).</summary>
    public ProxyActor(Context? context = null, ILogger? logger = null)
    {
        _context = context;
        _logger = logger ?? NullLogger.Instance;
        _actor = new Actor(Run, context, _logger);
    }

    /// <summary>The actor (its pipe takes zproxy's commands directly).</summary>
    public Actor Actor => _actor;

    /// <summary>FRONTEND: creates the frontend socket of <paramref name="type"/> on <paramref name="endpoints"/> (CZMQ syntax).</summary>
    public void Frontend(SocketType type, string endpoints) => Command("FRONTEND", TypeName(type), endpoints);

    /// <summary>BACKEND: creates the backend socket; proxying starts once both sides exist.</summary>
    public void Backend(SocketType type, string endpoints) => Command("BACKEND", TypeName(type), endpoints);

    /// <summary>CAPTURE: copies every message to a PUSH socket on <paramref name="endpoint"/> (connects; <c>@</c> binds).</summary>
    public void Capture(string endpoint) => Command("CAPTURE", endpoint);

    /// <summary>PAUSE: stops forwarding (messages wait in the queues).</summary>
    public void Pause() => Command("PAUSE");

    /// <summary>RESUME: forwards again.</summary>
    public void Resume() => Command("RESUME");

    /// <summary>VERBOSE: logs each command and connection event at Information level.</summary>
    public void Verbose() => Command("VERBOSE");

    /// <summary>DOMAIN: the ZAP domain of a side's socket (before that side is created).</summary>
    public void Domain(ProxySide side, string domain) => Command("DOMAIN", SideName(side), domain);

    /// <summary>PLAIN: the side's socket is a PLAIN server (before that side is created).</summary>
    public void Plain(ProxySide side) => Command("PLAIN", SideName(side));

    /// <summary>CURVE: the side's socket is a CURVE server with these Z85 keys (before that side is created).</summary>
    public void Curve(ProxySide side, string publicKey, string secretKey) => Command("CURVE", SideName(side), publicKey, secretKey);

    /// <summary>STATISTICS: what has passed so far (an extension of zproxy's command set, with libzmq's layout).</summary>
    public ProxyStatistics Statistics()
    {
        var pipe = _actor.Pipe;
        pipe.SendFrames("STATISTICS");
        if (!pipe.TryReceive(CommandTimeout, out var reply)) throw new TimeoutException("the proxy actor did not answer STATISTICS");
        using (reply) return ProxyStatistics.FromFrames(reply.ToArrays());
    }

    /// <summary>Sends $TERM and waits for the actor (its sockets are closed).</summary>
    public void Dispose() => _actor.Dispose();

    private void Command(params string[] frames)
    {
        var pipe = _actor.Pipe;
        pipe.SendFrames(frames);
        byte status = pipe.WaitSignal(CommandTimeout);
        if (status != 0) throw new InvalidOperationException($"zproxy {frames[0]}: {_lastError ?? "failed"}");
    }

    private static string TypeName(SocketType type) => type.ToString().ToUpperInvariant();

    private static string SideName(ProxySide side) => side == ProxySide.Frontend ? "FRONTEND" : "BACKEND";

    // ---- the actor's side ----

    private void Run(PairSocket pipe)
    {
        var state = new State();
        pipe.Signal();
        try
        {
            while (state.Front is null || state.Back is null)
            {
                using var command = pipe.Receive();
                if (Handle(pipe, command, state, proxy: null)) return;
            }
            using var proxy = new Proxy(state.Front, state.Back, state.Capture, _logger);
            proxy.CommandHandler = (control, message) => Handle(control, message, state, proxy);
            if (state.Paused) proxy.SetPausedFromHandler(true);
            proxy.Run(pipe);
        }
        finally
        {
            state.Front?.Dispose();
            state.Back?.Dispose();
            state.Capture?.Dispose();
        }
    }

    /// <summary>One command; true for $TERM. Failures answer status 1 with the reason kept for the owner.</summary>
    private bool Handle(Socket pipe, Message message, State state, Proxy? proxy)
    {
        string[] f = new string[message.Count];
        for (int i = 0; i < f.Length; i++) f[i] = message.GetString(i);
        string command = f.Length > 0 ? f[0] : "";
        if (state.Verbose) _logger.LogInformation("zproxy: API command={Command}", string.Join(' ', f));
        if (command == Actor.Term) return true;
        if (command == "STATISTICS")
        {
            pipe.Send(new Message((proxy?.Statistics ?? default).ToFrames()));
            return false;
        }
        try
        {
            Apply(f, state, proxy);
            pipe.Signal();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or ZmqException or InvalidOperationException)
        {
            _lastError = e.Message;
            _logger.LogWarning("zproxy: {Command} refused: {Reason}", command, e.Message);
            pipe.Signal(1);
        }
        return false;
    }

    private void Apply(string[] f, State state, Proxy? proxy)
    {
        switch (f[0])
        {
            case "FRONTEND":
            case "BACKEND":
                bool front = f[0] == "FRONTEND";
                if ((front ? state.Front : state.Back) is not null) throw new InvalidOperationException($"the {f[0].ToLowerInvariant()} exists already");
                Need(f, 3, "type and endpoints");
                var socket = CreateSide(f, front ? 0 : 1, state);
                if (front) state.Front = socket;
                else state.Back = socket;
                break;
            case "CAPTURE":
                Need(f, 2, "an endpoint");
                if (state.Capture is not null) throw new InvalidOperationException("a capture socket exists already");
                var capture = new PushSocket(context: _context);
                try
                {
                    capture.Attach(f[1].StartsWith('@') || f[1].StartsWith('>') ? f[1] : ">" + f[1]);
                }
                catch
                {
                    capture.Dispose();
                    throw;
                }
                state.Capture = capture;
                if (proxy is not null) proxy.Capture = capture;
                break;
            case "PAUSE":
            case "RESUME":
                state.Paused = f[0] == "PAUSE";
                proxy?.SetPausedFromHandler(state.Paused);
                break;
            case "VERBOSE":
                state.Verbose = true;
                break;
            case "DOMAIN":
                Need(f, 3, "FRONTEND|BACKEND and a domain");
                state.Domain[Side(f[1])] = f[2];
                break;
            case "PLAIN":
                Need(f, 2, "FRONTEND|BACKEND");
                state.Auth[Side(f[1])] = "PLAIN";
                break;
            case "CURVE":
                Need(f, 4, "FRONTEND|BACKEND, a public key and a secret key");
                int side = Side(f[1]);
                var keys = CurveKeyPair.FromSecretKey(f[3]);
                if (!keys.PublicKey.AsSpan().SequenceEqual(CurveKeyPair.DecodeKey(f[2], "public")))
                    throw new ArgumentException("the CURVE public key is not the secret key's");
                state.Auth[side] = "CURVE";
                state.Keys[side] = keys;
                break;
            default:
                throw new ArgumentException($"unknown command '{f[0]}'");
        }
    }

    private Socket CreateSide(string[] f, int side, State state)
    {
        if (!Enum.TryParse<SocketType>(f[1], ignoreCase: true, out var type) || !Enum.IsDefined(type))
            throw new ArgumentException($"unknown socket type '{f[1]}'");
        var socket = Socket.Create(type, context: _context);
        try
        {
            socket.Linger = TimeSpan.Zero;
            for (int i = 3; i + 1 < f.Length; i += 2)
            {
                var ms = TimeSpan.FromMilliseconds(int.TryParse(f[i + 1], out int v) ? v : throw new FormatException($"{f[i]} needs a number of milliseconds, not '{f[i + 1]}'"));
                switch (f[i])
                {
                    case "HEARTBEAT_IVL": socket.HeartbeatInterval = ms; break;
                    case "HEARTBEAT_TIMEOUT": socket.HeartbeatTimeout = ms; break;
                    case "HEARTBEAT_TTL": socket.HeartbeatTtl = ms; break;
                    default: throw new ArgumentException($"unknown setting '{f[i]}' (HEARTBEAT_IVL, HEARTBEAT_TIMEOUT, HEARTBEAT_TTL)");
                }
            }
            if (state.Domain[side] is { } domain) socket.ZapDomain = domain;
            if (state.Auth[side] == "PLAIN") socket.PlainServer = true;
            else if (state.Auth[side] == "CURVE") socket.MakeCurveServer(state.Keys[side]!);
            socket.Attach(f[2]);
            if (state.Verbose) _logger.LogInformation("zproxy: {Side} type={Type} attach={Endpoints}", side == 0 ? "FRONTEND" : "BACKEND", f[1], f[2]);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void Need(string[] f, int count, string what)
    {
        if (f.Length < count) throw new ArgumentException($"{f[0]} needs {what}");
    }

    private static int Side(string name) => name switch
    {
        "FRONTEND" => 0,
        "BACKEND" => 1,
        _ => throw new ArgumentException($"'{name}' is no side: FRONTEND or BACKEND"),
    };

    /// <summary>What the commands have configured so far (the actor's thread only).</summary>
    private sealed class State
    {
        public Socket? Front, Back, Capture;
        public bool Paused, Verbose;
        public readonly string?[] Domain = new string?[2];
        public readonly string?[] Auth = new string?[2];
        public readonly CurveKeyPair?[] Keys = new CurveKeyPair?[2];
    }
}
