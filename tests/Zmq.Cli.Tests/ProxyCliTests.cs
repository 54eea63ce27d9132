namespace Zmq.Cli.Tests;

/// <summary>
/// <c>zmq proxy</c> as a process between pyzmq (libzmq) peers over tcp and ipc: request-reply
/// through ROUTER/DEALER, subscriptions upstream through XSUB/XPUB, PUSH/PULL with capture, CURVE
/// on one side only; SIGTERM exits 0; usage errors exit 2 and run-time errors exit 1, each one
/// stderr line naming the argument.
/// </summary>
public sealed class ProxyCliTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);

    private static CliProcess StartProxy(params string[] args) => CliProcess.Start(["proxy", .. args]);

    /// <summary>Ends the proxy with SIGTERM: exit 0, nothing on stderr.</summary>
    private static void Stop(CliProcess proxy)
    {
        proxy.Terminate();
        var r = proxy.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stderr);
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Requests_through_router_and_dealer_reach_a_rep_worker(string transport)
    {
        PyPeer.Require();
        string front = PyPeer.FreeEndpoint(transport), back = PyPeer.FreeEndpoint(transport);
        using var proxy = StartProxy("router@" + front, "dealer@" + back);
        using var py = PyPeer.Start($"""
            worker = ctx.socket(zmq.REP); worker.connect("{back}")
            clients = [ctx.socket(zmq.REQ) for _ in range(2)]
            for c in clients: c.connect("{front}"); c.RCVTIMEO = 10000
            worker.RCVTIMEO = 10000
            for round in range(3):
                for i, c in enumerate(clients):
                    c.send_string("c%d r%d" % (i, round))
                    worker.send_string("re: " + worker.recv_string())
                    out(c.recv_string())
            out("done")
            """);
        Assert.Equal(["re: c0 r0", "re: c1 r0", "re: c0 r1", "re: c1 r1", "re: c0 r2", "re: c1 r2", "done"], py.ReadLines(7));
        Stop(proxy);
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Subscriptions_flow_upstream_through_xsub_and_xpub(string transport)
    {
        PyPeer.Require();
        string front = PyPeer.FreeEndpoint(transport), back = PyPeer.FreeEndpoint(transport);
        using var proxy = StartProxy("xsub@" + front, "xpub@" + back);
        using var py = PyPeer.Start($"""
            pub = ctx.socket(zmq.PUB); pub.connect("{front}")
            sub = ctx.socket(zmq.SUB); sub.connect("{back}"); sub.setsockopt_string(zmq.SUBSCRIBE, "news")
            got = None
            deadline = time.time() + 10
            while got is None and time.time() < deadline:
                pub.send_string("sport: not subscribed")
                pub.send_string("news: today")
                if sub.poll(50): got = sub.recv_string()
            out(got)
            """);
        Assert.Equal("news: today", py.ReadLine());
        Stop(proxy);
    }

    [SkippableFact]
    public void Push_pull_with_a_capture_socket_copies_every_message()
    {
        PyPeer.Require();
        string front = PyPeer.FreeTcpEndpoint(), back = PyPeer.FreeIpcEndpoint(), cap = PyPeer.FreeTcpEndpoint();
        using var proxy = StartProxy("pull@" + front, "push@" + back, "--capture", "@" + cap);
        using var py = PyPeer.Start($"""
            sink = ctx.socket(zmq.PULL); sink.connect("{back}"); sink.RCVTIMEO = 10000
            capture = ctx.socket(zmq.PULL); capture.connect("{cap}"); capture.RCVTIMEO = 10000
            src = ctx.socket(zmq.PUSH); src.connect("{front}")
            # The capture socket drops what it cannot send at once: wait until it is connected.
            deadline = time.time() + 10
            while time.time() < deadline:
                src.send_multipart([b"sync", b""])
                if capture.poll(50): break
            def data(sock):
                while True:
                    frames = sock.recv_multipart()
                    if frames[0] == b"part": return frames[1].decode()
            for i in range(100): src.send_multipart([b"part", str(i).encode()])
            got = [data(sink) for _ in range(100)]
            copies = [data(capture) for _ in range(100)]
            out("in order" if got == [str(i) for i in range(100)] else "sink: " + " ".join(got))
            out("copied" if copies == [str(i) for i in range(100)] else "capture: " + " ".join(copies))
            """);
        Assert.Equal(["in order", "copied"], py.ReadLines(2));
        Stop(proxy);
    }

    [SkippableFact]
    public void Curve_on_the_frontend_only()
    {
        PyPeer.Require();
        var server = CurveKeyPair.Generate();
        string front = PyPeer.FreeTcpEndpoint(), back = PyPeer.FreeTcpEndpoint();
        using var proxy = StartProxy("router@" + front, "dealer@" + back,
            "--frontend-curve-server", "--frontend-curve-secret", server.SecretKeyZ85);
        using var py = PyPeer.Start($"""
            worker = ctx.socket(zmq.REP); worker.connect("{back}"); worker.RCVTIMEO = 10000
            client = ctx.socket(zmq.REQ)
            client.curve_serverkey = b"{server.PublicKeyZ85}"
            pub, sec = zmq.curve_keypair(); client.curve_publickey = pub; client.curve_secretkey = sec
            client.connect("{front}"); client.RCVTIMEO = 10000
            client.send_string("secret hello")
            worker.send_string("re: " + worker.recv_string())
            out(client.recv_string())
            plain = ctx.socket(zmq.REQ); plain.connect("{front}"); plain.RCVTIMEO = 500
            plain.send_string("no curve")
            try:
                out("plain got " + plain.recv_string())
            except zmq.Again:
                out("plain refused")
            plain.setsockopt(zmq.LINGER, 0)
            """);
        Assert.Equal(["re: secret hello", "plain refused"], py.ReadLines(2));
        Stop(proxy);
    }

    [Theory]
    [InlineData("router@tcp://127.0.0.1:5555", "", "missing BACKEND")]
    [InlineData("frob@tcp://127.0.0.1:5555", "dealer@tcp://127.0.0.1:5556", "frob")]
    [InlineData("router", "dealer@tcp://127.0.0.1:5556", "'router'")]
    [InlineData("routertcp://127.0.0.1:5555", "dealer@tcp://127.0.0.1:5556", "routertcp")]
    [InlineData("router@udp://127.0.0.1:5555", "dealer@tcp://127.0.0.1:5556", "udp")]
    [InlineData("router@inproc://x", "dealer@tcp://127.0.0.1:5556", "inproc")]
    [InlineData("router@tcp://127.0.0.1:5555", "dealer@tcp://127.0.0.1:5556", "--backend-curve-secret", "--backend-curve-secret")]
    [InlineData("router@tcp://127.0.0.1:5555", "dealer@tcp://127.0.0.1:5556", "--frontend-sndhwm", "--frontend-sndhwm")]
    [InlineData("router@tcp://127.0.0.1:5555", "dealer@tcp://127.0.0.1:5556", "--frontend-sndhwm=-3", "--frontend-sndhwm")]
    [InlineData("router@tcp://127.0.0.1:5555", "dealer@tcp://127.0.0.1:5556", "--capture", "--capture")]
    [InlineData("router@tcp://127.0.0.1:5555", "dealer@tcp://127.0.0.1:5556", "--bogus", "--bogus")]
    public void Usage_errors_are_one_line_and_exit_2(string frontend, string backend, string named, string? option = null)
    {
        string[] args = option is null ? (backend == "" ? ["proxy", frontend] : ["proxy", frontend, backend]) : ["proxy", frontend, backend, named];
        if (option is not null) named = option;
        if (args[^1] == "--backend-curve-secret") args = [.. args, CurveKeyPair.Generate().SecretKeyZ85]; // a secret without --backend-curve-server
        var r = CliProcess.Run("", args);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Single(r.StderrLines);
        Assert.Contains(named, r.Stderr);
        Assert.StartsWith("zmq proxy: ", r.Stderr);
    }

    [SkippableFact]
    public void An_address_in_use_is_one_line_and_exit_1()
    {
        PyPeer.Require();
        using var holder = PyPeer.Bound("PULL", PyPeer.FreeTcpEndpoint());
        string taken = holder.WaitReady();
        var r = CliProcess.Run("", "proxy", "pull@" + taken, "push@" + PyPeer.FreeTcpEndpoint());
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Single(r.StderrLines);
        Assert.Contains("frontend", r.Stderr);
        Assert.Contains("in use", r.Stderr);
    }

    [SkippableFact]
    public void Verbose_logs_connections_to_stderr()
    {
        PyPeer.Require();
        string front = PyPeer.FreeTcpEndpoint(), back = PyPeer.FreeTcpEndpoint();
        using var proxy = StartProxy("pull@" + front, "push@" + back, "--verbose");
        using var py = PyPeer.Start($"""
            src = ctx.socket(zmq.PUSH); src.connect("{front}")
            sink = ctx.socket(zmq.PULL); sink.connect("{back}"); sink.RCVTIMEO = 10000
            src.send_string("x"); out(sink.recv_string())
            """);
        Assert.Equal("x", py.ReadLine());
        proxy.Terminate();
        var r = proxy.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("accepted", r.Stderr);
    }
}
