using static Zmq.Cli.Doctor.Probe;

namespace Zmq.Cli.Doctor;

/// <summary>
/// The security self-checks of <c>zmq doctor</c>: the NULL, PLAIN and CURVE mechanisms over tcp
/// and ipc (inproc carries no mechanism). Each check has its own <see cref="Context"/>, so a ZAP
/// handler (<see cref="Authenticator"/>) serves only that check's server. A refusal is proven by
/// the server's HANDSHAKE_FAILED_* monitor event (it comes within milliseconds) and by nothing
/// being delivered for a short while after it (covering a reconnect attempt).
/// </summary>
internal static class SecurityChecks
{
    /// <summary>After the failure event: long enough for a reconnect (every 50 ms) to fail again, short enough to keep doctor fast.</summary>
    private static readonly TimeSpan AfterRefusal = TimeSpan.FromMilliseconds(100);

    private const string User = "doctor";
    private const string Password = "s3cret";

    private sealed record SecurityCheck(string Name, Action<DoctorTransport> Run);

    private static readonly SecurityCheck[] s_checks =
    [
        new("NULL PUSH->PULL, peer properties", NullMechanism),
        new("PLAIN login, User-Id = user name", PlainAccepted),
        new("PLAIN wrong password refused", PlainWrongPassword),
        new("CURVE PUSH->PULL encrypted", CurveAccepted),
        new("CURVE wrong server key refused", CurveWrongServerKey),
        new("CURVE ZAP-trusted client, User-Id", CurveTrustedClient),
        new("CURVE untrusted client refused (ZAP)", CurveUntrustedClient),
    ];

    /// <summary>Every mechanism check over tcp and ipc, grouped by check.</summary>
    public static IReadOnlyList<Check> All() =>
        [.. s_checks.SelectMany(c => DoctorTransport.All.Where(t => t.HasWire).Select(t => new Check(c.Name, t.Name, () => c.Run(t))))];

    private static void NullMechanism(DoctorTransport t)
    {
        using var ctx = NewContext();
        using var pull = Open(new PullSocket(context: ctx), Any(t));
        using var push = Open(new PushSocket(context: ctx), ConnectTo(pull));
        if (push.Mechanism != SecurityMechanism.Null) throw new CheckFailed($"a new socket's mechanism is {push.Mechanism}, expected Null");
        push.SendString("null");
        using var m = Receive(pull);
        Frames(pull, m, "null");
        ExpectProperty(m, "Socket-Type", "PUSH");
        if (t == DoctorTransport.Tcp && m.GetProperty("Peer-Address") is not "127.0.0.1")
            throw new CheckFailed($"Peer-Address is {Quote(m.GetProperty("Peer-Address"))}, expected '127.0.0.1'");
    }

    private static void PlainAccepted(DoctorTransport t)
    {
        using var ctx = NewContext();
        using var auth = PlainAuthenticator(ctx);
        using var pull = Open(new PullSocket(context: ctx) { PlainServer = true }, Any(t));
        using var push = Open(new PushSocket(context: ctx) { PlainUsername = User, PlainPassword = Password }, ConnectTo(pull));
        push.SendString("plain");
        using var m = Receive(pull);
        Frames(pull, m, "plain");
        ExpectProperty(m, "User-Id", User);
    }

    private static void PlainWrongPassword(DoctorTransport t)
    {
        using var ctx = NewContext();
        using var auth = PlainAuthenticator(ctx);
        using var pull = Open(new PullSocket(context: ctx) { PlainServer = true }, Any(t));
        using var monitor = pull.Monitor(Failures);
        using var push = Open(new PushSocket(context: ctx) { PlainUsername = User, PlainPassword = "wrong" }, ConnectTo(pull));
        push.Linger = TimeSpan.Zero;
        push.SendString("must not arrive");
        ExpectRefused(pull, monitor, MonitorEventType.HandshakeFailedAuth, "a wrong PLAIN password must be refused");
    }

    private static void CurveAccepted(DoctorTransport t)
    {
        var serverKeys = CurveKeyPair.Generate();
        using var ctx = NewContext(); // no ZAP handler: as libzmq, every client that knows the server key is accepted
        using var pull = new PullSocket(context: ctx);
        pull.MakeCurveServer(serverKeys);
        Open(pull, Any(t));
        using var push = new PushSocket(context: ctx);
        push.MakeCurveClient(serverKeys.PublicKey);
        Open(push, ConnectTo(pull));
        push.SendFrames("curve", "two frames");
        Expect(pull, "curve", "two frames");
    }

    private static void CurveWrongServerKey(DoctorTransport t)
    {
        var serverKeys = CurveKeyPair.Generate();
        using var ctx = NewContext();
        using var pull = new PullSocket(context: ctx);
        pull.MakeCurveServer(serverKeys);
        Open(pull, Any(t));
        using var monitor = pull.Monitor(Failures);
        using var push = new PushSocket(context: ctx);
        push.MakeCurveClient(CurveKeyPair.Generate().PublicKey);
        Open(push, ConnectTo(pull));
        push.Linger = TimeSpan.Zero;
        push.SendString("must not arrive");
        ExpectRefused(pull, monitor, null, "a client with the wrong server key must be refused");
    }

    private static void CurveTrustedClient(DoctorTransport t)
    {
        var serverKeys = CurveKeyPair.Generate();
        var clientKeys = CurveKeyPair.Generate();
        using var ctx = NewContext();
        using var auth = CurveAuthenticator(ctx, clientKeys);
        using var pull = new PullSocket(context: ctx);
        pull.MakeCurveServer(serverKeys);
        Open(pull, Any(t));
        using var push = new PushSocket(context: ctx);
        push.MakeCurveClient(serverKeys.PublicKey, clientKeys);
        Open(push, ConnectTo(pull));
        push.SendString("trusted");
        using var m = Receive(pull);
        Frames(pull, m, "trusted");
        ExpectProperty(m, "User-Id", clientKeys.PublicKeyZ85);
    }

    private static void CurveUntrustedClient(DoctorTransport t)
    {
        var serverKeys = CurveKeyPair.Generate();
        using var ctx = NewContext();
        using var auth = CurveAuthenticator(ctx, CurveKeyPair.Generate());
        using var pull = new PullSocket(context: ctx);
        pull.MakeCurveServer(serverKeys);
        Open(pull, Any(t));
        using var monitor = pull.Monitor(Failures);
        using var push = new PushSocket(context: ctx);
        push.MakeCurveClient(serverKeys.PublicKey); // a fresh client key the store does not hold
        Open(push, ConnectTo(pull));
        push.Linger = TimeSpan.Zero;
        push.SendString("must not arrive");
        ExpectRefused(pull, monitor, MonitorEventType.HandshakeFailedAuth, "a client key the ZAP handler does not trust must be refused");
    }

    /// <summary>A context of the check's own (its ZAP handler serves only this check), logging where the default context does (--verbose).</summary>
    private static Context NewContext() => new() { LoggerFactory = Context.Default.LoggerFactory };

    private const MonitorEventType Failures =
        MonitorEventType.HandshakeFailedAuth | MonitorEventType.HandshakeFailedProtocol | MonitorEventType.HandshakeFailedNoDetail;

    private static Authenticator PlainAuthenticator(Context ctx)
    {
        var auth = new Authenticator(ctx);
        auth.ConfigurePlain(new Dictionary<string, string> { [User] = Password });
        return auth;
    }

    private static Authenticator CurveAuthenticator(Context ctx, CurveKeyPair trusted)
    {
        var store = new CertificateStore();
        store.Insert(Certificate.FromPublicKey(trusted.PublicKeyZ85));
        var auth = new Authenticator(ctx);
        auth.ConfigureCurve(store);
        return auth;
    }

    /// <summary>
    /// The server's monitor must report a failed handshake (of type <paramref name="expected"/>
    /// when given) within <see cref="Probe.Wait"/>, and nothing may be delivered.
    /// </summary>
    private static void ExpectRefused(Socket server, SocketMonitor monitor, MonitorEventType? expected, string why)
    {
        if (server.TryReceive(TimeSpan.Zero, out var early))
        {
            using (early) throw new CheckFailed($"{server} received {Show(early)}, but {why}");
        }
        if (!monitor.TryRead(Wait, out var e))
            throw new CheckFailed($"the server reported no failed handshake within {Wait.TotalSeconds:0} s ({why})");
        if (expected is { } type && e.Type != type)
            throw new CheckFailed($"expected {MonitorEvent.NameOf(type)}, the server reported {e}");
        if (server.TryReceive(AfterRefusal, out var m))
        {
            using (m) throw new CheckFailed($"{server} received {Show(m)}, but {why}");
        }
    }

    private static void ExpectProperty(Message m, string name, string expected)
    {
        var value = m.GetProperty(name);
        if (value != expected)
            throw new CheckFailed($"the message's {name} property is {Quote(value)}, expected '{expected}'");
    }

    private static string Quote(string? s) => s is null ? "missing" : $"'{s}'";
}
