namespace Zmq.Cli.Tests;

/// <summary>
/// <c>zmq cat</c> with CURVE and PLAIN against libzmq (pyzmq), as server and as client, and the
/// failures a user meets: a wrong CURVE server key or PLAIN password is one stderr line, retries,
/// and exit 1 when --timeout passes.
/// </summary>
public sealed class CatSecurityTests : IDisposable
{
    private const string Timeout = "8";
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(12);
    private readonly string _dir = Directory.CreateTempSubdirectory("zmq-cat-sec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void Curve_server_with_a_libzmq_client()
    {
        PyPeer.Require();
        var ep = PyPeer.FreeTcpEndpoint();
        var server = CurveKeyPair.Generate();
        using var cat = CliProcess.Start("cat", "pull", "@" + ep, "--curve-server", "--curve-secret", server.SecretKeyZ85, "-n", "1", "--timeout", Timeout);
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.PUSH)
            s.curve_publickey, s.curve_secretkey = zmq.curve_keypair()
            s.curve_serverkey = b"{server.PublicKeyZ85}"
            s.connect("{ep}"); s.send(b"over curve"); finish()
            """);
        var r = cat.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["over curve"], r.Stdout);
    }

    [SkippableFact]
    public void Curve_client_of_a_libzmq_server()
    {
        PyPeer.Require();
        var ep = PyPeer.FreeTcpEndpoint();
        var server = CurveKeyPair.Generate();
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.REP); s.curve_server = True; s.curve_secretkey = b"{server.SecretKeyZ85}"
            s.bind("{ep}")
            while True: m = s.recv(); s.send(b"secure " + m)
            """);
        var r = CliProcess.Run("hello\n", Exit, "cat", "req", ep, "--curve-serverkey", server.PublicKeyZ85, "--timeout", Timeout);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["secure hello"], r.Stdout);
    }

    [SkippableFact]
    public void Curve_keys_from_czmq_certificate_files()
    {
        PyPeer.Require();
        var ep = PyPeer.FreeTcpEndpoint();
        var serverCert = Certificate.Generate();
        serverCert.Save(Path.Combine(_dir, "server"));          // server (public) and server_secret
        var clientCert = Certificate.Generate();
        clientCert.Save(Path.Combine(_dir, "client"));
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.DEALER); s.curve_server = True; s.curve_secretkey = b"{serverCert.SecretKeyZ85}"
            s.bind("{ep}")
            m = s.recv(); out(m.decode()); s.send(b"hi client")
            time.sleep(1)
            """);
        // The client names the server by its public certificate file and takes its own key pair from client_secret.
        var r = CliProcess.Run("hi server\n", Exit, "cat", "dealer", ep, "--curve-serverkey", Path.Combine(_dir, "server"),
            "--cert", Path.Combine(_dir, "client"), "-n", "1", "--timeout", Timeout);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["hi client"], r.Stdout);
        py.Expect("hi server");

        // And a server from its certificate.
        var ep2 = PyPeer.FreeTcpEndpoint();
        using var cat = CliProcess.Start("cat", "pull", ep2, "--curve-server", "--cert", Path.Combine(_dir, "server"), "-n", "1", "--timeout", Timeout);
        using var py2 = PyPeer.Start($"""
            s = ctx.socket(zmq.PUSH)
            s.curve_publickey, s.curve_secretkey = zmq.curve_keypair()
            s.curve_serverkey = b"{serverCert.PublicKeyZ85}"
            s.connect("{ep2}"); s.send(b"to cert server"); finish()
            """);
        var r2 = cat.WaitForExit(Exit);
        Assert.True(r2.ExitCode == 0, r2.ToString());
        Assert.Equal(["to cert server"], r2.Stdout);
    }

    [SkippableFact]
    public void Wrong_curve_server_key_is_one_line_and_exit_1_at_the_timeout()
    {
        PyPeer.Require();
        var ep = PyPeer.FreeTcpEndpoint();
        var server = CurveKeyPair.Generate();
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.REP); s.curve_server = True; s.curve_secretkey = b"{server.SecretKeyZ85}"
            s.bind("{ep}"); out("ready")
            time.sleep(30)
            """);
        py.Expect("ready");
        var wrong = CurveKeyPair.Generate().PublicKeyZ85;
        var r = CliProcess.Run("hello\n", Exit, "cat", "req", ep, "--curve-serverkey", wrong, "--timeout", "1.5");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Empty(r.Stdout);
        var lines = r.StderrLines;
        Assert.Single(lines, l => l.Contains("handshake", StringComparison.Ordinal)); // said once, though it retried
        Assert.Single(lines, l => l.Contains("timed out", StringComparison.Ordinal));
        Assert.Equal(2, lines.Length);
    }

    [SkippableFact]
    public void Plain_server_with_a_users_file_and_a_libzmq_client()
    {
        PyPeer.Require();
        var ep = PyPeer.FreeTcpEndpoint();
        var users = Path.Combine(_dir, "passwords");
        File.WriteAllText(users, "admin=secret\nguest=guest\n");
        using var cat = CliProcess.Start("cat", "pull", "@" + ep, "--plain-server", "--plain-users", users, "-n", "1", "--timeout", Timeout);
        using var py = PyPeer.Start($"""
            bad = ctx.socket(zmq.PUSH); bad.plain_username = b"admin"; bad.plain_password = b"wrong"
            # libzmq 4.3.4's client reports our (well-formed) ERROR as an unexpected command
            mon = bad.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL); mon.rcvtimeo = 8000
            bad.connect("{ep}"); bad.send(b"must not arrive")
            mon.recv_multipart()   # refused by cat's ZAP handler
            bad.disable_monitor(); mon.close(); bad.close(linger=0)
            good = ctx.socket(zmq.PUSH); good.plain_username = b"admin"; good.plain_password = b"secret"
            good.connect("{ep}"); good.send(b"plain ok"); finish()
            """);
        var r = cat.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["plain ok"], r.Stdout);
        // The refused client is reported once, however often libzmq retried.
        Assert.Single(r.StderrLines, l => l.Contains("handshake", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Plain_server_without_a_users_file_lets_anyone_in()
    {
        PyPeer.Require();
        var ep = PyPeer.FreeTcpEndpoint();
        using var cat = CliProcess.Start("cat", "router", ep, "--plain-server", "-n", "1", "--timeout", Timeout);
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.DEALER); s.setsockopt(zmq.IDENTITY, b"who"); s.plain_username = b"anyone"; s.plain_password = b"anything"
            s.connect("{ep}"); s.send(b"let me in"); finish()
            """);
        var r = cat.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["who\tlet me in"], r.Stdout);
    }

    private static string PlainServerScript(string ep) => $$"""
        from zmq.auth.thread import ThreadAuthenticator
        auth = ThreadAuthenticator(ctx); auth.start()
        auth.configure_plain(domain="*", passwords={"admin": "secret"})
        s = ctx.socket(zmq.REP); s.plain_server = True; s.bind("{{ep}}"); out("ready")
        while True: m = s.recv(); s.send(b"hello " + m)
        """;

    [SkippableFact]
    public void Plain_client_of_a_libzmq_server()
    {
        PyPeer.Require();
        var ep = PyPeer.FreeTcpEndpoint();
        using var py = PyPeer.Start(PlainServerScript(ep));
        py.Expect("ready");
        var r = CliProcess.Run("admin\n", Exit, "cat", "req", ep, "--plain-user", "admin", "--plain-password", "secret", "--timeout", Timeout);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["hello admin"], r.Stdout);
    }

    [SkippableFact]
    public void Wrong_plain_password_is_one_line_and_exit_1_at_the_timeout()
    {
        PyPeer.Require();
        var ep = PyPeer.FreeTcpEndpoint();
        using var py = PyPeer.Start(PlainServerScript(ep));
        py.Expect("ready");
        var r = CliProcess.Run("x\n", Exit, "cat", "req", ep, "--plain-user", "admin", "--plain-password", "nope", "--timeout", "1.5");
        Assert.True(r.ExitCode == 1, r.ToString());
        var lines = r.StderrLines;
        Assert.Single(lines, l => l.Contains("handshake", StringComparison.Ordinal) && l.Contains("authentication", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("timed out", StringComparison.Ordinal));
        Assert.Equal(2, lines.Length);
    }
}
