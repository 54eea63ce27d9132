namespace Zmq.Samples;

/// <summary>
/// The guide's ironhouse: CURVE encryption and authentication both ways. The server knows its
/// own key pair; each client knows the server's public key and its own key pair; the
/// <see cref="Authenticator"/> (CZMQ's zauth) admits a client only from an allowed address and
/// only when its public key has a certificate in a directory of trusted certificates. Here the
/// certificates are written as CZMQ's zcert files (NAME holds the public key and metadata,
/// NAME_secret both keys) into a temporary directory, loaded back as an application would, and
/// removed at the end. A stranger with a valid key pair the server does not trust is refused
/// during the handshake; the trusted client talks, and the server sees who it is.
/// </summary>
internal static class Ironhouse
{
    public static Task RunAsync(CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("zmq-ironhouse-");
        try
        {
            Run(dir.FullName);
        }
        finally
        {
            dir.Delete(recursive: true);
            Console.WriteLine($"certificates in {dir.FullName} removed");
        }
        return Task.CompletedTask;
    }

    private static void Run(string dir)
    {
        // Make the certificates: each side's secret certificate is its own; the server's trust store
        // gets only the public half of the client's.
        string secrets = Directory.CreateDirectory(Path.Combine(dir, "secrets")).FullName;
        string trusted = Directory.CreateDirectory(Path.Combine(dir, "trusted")).FullName;
        var server = Certificate.Generate();
        server.SetMeta("name", "ironhouse server");
        server.Save(Path.Combine(secrets, "server.cert"));          // server.cert and server.cert_secret
        var client = Certificate.Generate();
        client.SetMeta("name", "trusted client");
        client.Save(Path.Combine(secrets, "client.cert"));
        client.SavePublic(Path.Combine(trusted, "client.cert"));   // what the server trusts
        Console.WriteLine($"certificates: server {server.PublicKeyZ85}, client {client.PublicKeyZ85}; {trusted} trusts the client");

        // What each application loads: its own certificate (both keys), and the server's public key.
        var serverKeys = Certificate.Load(Path.Combine(secrets, "server.cert")).KeyPair!;
        var clientKeys = Certificate.Load(Path.Combine(secrets, "client.cert")).KeyPair!;
        byte[] serverPublicKey = Certificate.Load(Path.Combine(secrets, "server.cert")).PublicKey;

        using var context = new Context();        // ZAP is per context: the authenticator answers this one's servers
        using var auth = new Authenticator(context);
        auth.Allow("127.0.0.1");                  // the address check comes first...
        auth.ConfigureCurve(trusted);             // ...then the client's key must have a certificate here

        using var rep = new RepSocket(context: context);
        rep.MakeCurveServer(serverKeys);
        rep.Bind("tcp://127.0.0.1:*");
        Console.WriteLine($"server: CURVE server at {rep.LastEndpoint}");

        // A stranger: it knows the server's public key, but its own key is in no trusted certificate.
        using var stranger = new ReqSocket(context: context) { Linger = TimeSpan.Zero };
        using var strangerEvents = stranger.Monitor(MonitorEventType.HandshakeFailedAuth);
        stranger.MakeCurveClient(serverPublicKey, CurveKeyPair.Generate());
        stranger.Connect(rep.LastEndpoint!);
        stranger.SendString("let me in");

        using var req = new ReqSocket(context: context) { Linger = TimeSpan.Zero };
        req.MakeCurveClient(serverPublicKey, clientKeys);
        req.Connect(rep.LastEndpoint!);
        req.SendString("hello from the trusted client");

        // Only the trusted client's request reaches the server. Its messages carry the User-Id the
        // authenticator gave it (its public key) and the metadata of its certificate.
        if (!rep.TryReceive(TimeSpan.FromSeconds(5), out var request)) throw new TimeoutException("the trusted client's request did not arrive");
        using (request)
        {
            Console.WriteLine($"server: '{request.GetString(0)}' from {request.GetProperty("name")}, User-Id {request.GetProperty("User-Id")}");
            if (request.GetProperty("User-Id") != client.PublicKeyZ85) throw new InvalidOperationException("the request is not from the trusted client");
        }
        rep.SendString("Security is not a choice");
        if (!req.TryReceive(TimeSpan.FromSeconds(5), out var reply)) throw new TimeoutException("no reply");
        using (reply) Console.WriteLine($"client: '{reply.GetString(0)}'");

        if (!strangerEvents.TryRead(TimeSpan.FromSeconds(5), out var refused)) throw new TimeoutException("the stranger was not refused");
        Console.WriteLine($"stranger: {refused.Type}: {refused.Reason}");
        if (rep.TryReceive(TimeSpan.FromMilliseconds(50), out var leaked))
        {
            leaked.Dispose();
            throw new InvalidOperationException("the stranger's request got through");
        }
        Console.WriteLine($"authenticator: {auth.Allowed} allowed, {auth.Denied} denied");
    }
}
