namespace Zmq.Cli.Tests;

/// <summary>
/// <c>zmq cat</c> against libzmq (pyzmq) peers: every cat type with its libzmq counterpart, in both
/// directions, over tcp and ipc. Each run is a few messages; <c>--timeout</c> bounds every cat run
/// so that a failure is an exit 1 within seconds, not a hang.
/// </summary>
public sealed class CatInteropTests
{
    /// <summary>--timeout for cat runs: only reached when something is broken.</summary>
    private const string Timeout = "8";

    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(12);

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Push_to_libzmq_pull(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.PULL); s.bind("{ep}"); out("ready")
            for _ in range(3): show(s.recv_multipart())
            """);
        py.Expect("ready");
        var r = CliProcess.Run("hello\tworld\n0x00ff\n\n", Exit, "cat", "push", ">" + ep, "--timeout", Timeout);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Empty(r.Stdout);
        Assert.Equal([PyPeer.Hex("hello", "world"), "00ff", ""], py.ReadLines(3));
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Libzmq_push_to_pull(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var cat = CliProcess.Start("cat", "pull", "@" + ep, "-n", "3", "--timeout", Timeout);
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.PUSH); s.connect("{ep}")
            s.send_multipart([b"hello", b"world"]); s.send(b"\x00\xff"); s.send(b"")
            finish(); out("sent")
            """);
        var r = cat.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["hello\tworld", "0x00ff", ""], r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Pub_to_libzmq_sub(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var cat = CliProcess.Start("cat", "pub", "@" + ep, "--timeout", Timeout);
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.SUB); s.setsockopt(zmq.SUBSCRIBE, b""); s.connect("{ep}")
            while True: show(s.recv_multipart())
            """);
        // A subscriber misses what is published before its subscription arrives (the slow joiner):
        // publish a marker until it shows, then the messages under test.
        var warm = PyPeer.Hex("warm");
        bool joined = false;
        for (int i = 0; i < 100 && !joined; i++)
        {
            cat.WriteLine("warm");
            for (string? line; (line = py.ReadLine(TimeSpan.FromMilliseconds(100))) is not null;)
                joined |= line == warm;
        }
        Assert.True(joined, "the libzmq subscriber never received the warm-up messages");
        cat.Write("topic\tbody\n0x01ff\nlast\n");
        cat.CloseInput();
        var r = cat.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        var got = new List<string>();
        while (got.Count < 3 && py.ReadLine(TimeSpan.FromSeconds(5)) is { } line)
            if (line != warm) got.Add(line);
        Assert.Equal([PyPeer.Hex("topic", "body"), "01ff", PyPeer.Hex("last")], got);
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Libzmq_pub_to_sub_with_a_subscription(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.PUB); s.bind("{ep}")
            while True:
                s.send(b"other"); s.send_multipart([b"t1", b"two\x00"]); time.sleep(0.02)
            """);
        var r = CliProcess.Run("", Exit, "cat", "sub", ">" + ep, "--subscribe", "t1", "-n", "2", "--timeout", Timeout);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["t1\t0x74776f00", "t1\t0x74776f00"], r.Stdout);
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Req_to_libzmq_rep(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.REP); s.bind("{ep}")
            while True:
                m = s.recv_multipart(); show(m); s.send_multipart([b"re:" + m[0]] + m[1:])
            """);
        var r = CliProcess.Run("one\ntwo\t0x00\n", Exit, "cat", "req", ">" + ep, "--timeout", Timeout);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["re:one", "re:two\t0x00"], r.Stdout);
        Assert.Equal([PyPeer.Hex("one"), PyPeer.Hex("two") + "\t00"], py.ReadLines(2));
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Libzmq_req_to_rep_echo(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var cat = CliProcess.Start("cat", "rep", ep, "--echo", "-n", "2", "--timeout", Timeout);
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.REQ); s.connect("{ep}")
            s.send(b"q1"); show(s.recv_multipart())
            s.send_multipart([b"q2", b"\xff"]); show(s.recv_multipart())
            """);
        Assert.Equal([PyPeer.Hex("q1"), PyPeer.Hex("q2") + "\tff"], py.ReadLines(2));
        var r = cat.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["q1", "q2\t0xff"], r.Stdout);
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Libzmq_req_to_rep_answered_from_stdin(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var cat = CliProcess.Start("cat", "rep", "@" + ep, "--timeout", Timeout);
        cat.Write("r1\nr2\t0x\n");
        cat.CloseInput();
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.REQ); s.connect("{ep}")
            s.send(b"q1"); show(s.recv_multipart())
            s.send(b"q2"); show(s.recv_multipart())
            """);
        Assert.Equal([PyPeer.Hex("r1"), PyPeer.Hex("r2") + "\t"], py.ReadLines(2));
        var r = cat.WaitForExit(Exit); // stdin is exhausted: every request it could answer is answered
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["q1", "q2"], r.Stdout);
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Dealer_to_libzmq_router(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.ROUTER); s.bind("{ep}")
            while True:
                m = s.recv_multipart(); show(m); s.send_multipart([m[0], b"ack:" + m[-1]])
            """);
        var r = CliProcess.Run("hello\nx\tworld\n", Exit, "cat", "dealer", ep, "--identity", "d1", "-n", "2", "--timeout", Timeout);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["ack:hello", "ack:world"], r.Stdout);
        Assert.Equal([PyPeer.Hex("d1", "hello"), PyPeer.Hex("d1", "x", "world")], py.ReadLines(2));
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Libzmq_dealer_to_router(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var cat = CliProcess.Start("cat", "router", ep, "-n", "3", "--timeout", Timeout);
        using var py = PyPeer.Start($"""
            named = ctx.socket(zmq.DEALER); named.setsockopt(zmq.IDENTITY, b"py"); named.connect("{ep}")
            anon = ctx.socket(zmq.DEALER); anon.connect("{ep}")
            named.send(b"hi"); show(named.recv_multipart())
            anon.send(b"anon"); show(anon.recv_multipart())
            named.send(b"bye")
            time.sleep(1)
            """);
        Assert.Equal("py\thi", cat.ReadLine());
        cat.WriteLine("py\treply\t0x01");
        Assert.Equal(PyPeer.Hex("reply") + "\t01", py.ReadLine());
        var anon = cat.ReadLine();
        // Our ROUTER names an anonymous peer with 5 bytes starting with a zero byte: not text, so hex.
        Assert.Matches("^0x00[0-9a-f]{8}\tanon$", anon);
        cat.WriteLine(anon!.Split('\t')[0] + "\tto anon");
        Assert.Equal(PyPeer.Hex("to anon"), py.ReadLine());
        var r = cat.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["py\tbye"], r.Stdout);
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Pair_with_libzmq_pair(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var cat = CliProcess.Start("cat", "pair", "@" + ep, "-n", "1", "--timeout", Timeout);
        cat.WriteLine("from cat\t0x00");
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.PAIR); s.connect("{ep}")
            show(s.recv_multipart()); s.send(b"from py"); finish()
            """);
        Assert.Equal(PyPeer.Hex("from cat") + "\t00", py.ReadLine());
        var r = cat.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["from py"], r.Stdout);
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Xpub_with_libzmq_xsub(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var cat = CliProcess.Start("cat", "xpub", "@" + ep, "-n", "2", "--timeout", Timeout);
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.XSUB); s.connect("{ep}")
            s.send(b"\x01test"); out("subscribed")
            show(s.recv_multipart())
            s.send(b"\x00test"); time.sleep(1)
            """);
        py.Expect("subscribed");
        Assert.Equal("0x0174657374", cat.ReadLine()); // a subscription to "test" prints as hex (its first byte is 0x01)
        cat.WriteLine("other topic");
        cat.WriteLine("test message");
        Assert.Equal(PyPeer.Hex("test message"), py.ReadLine());
        var r = cat.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["0x0074657374"], r.Stdout);
    }

    [SkippableTheory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Xsub_with_libzmq_xpub(string transport)
    {
        PyPeer.Require();
        var ep = PyPeer.FreeEndpoint(transport);
        using var py = PyPeer.Start($"""
            s = ctx.socket(zmq.XPUB); s.bind("{ep}"); out("ready")
            while True:
                m = s.recv_multipart(); show(m)
                if m[0] == b"\x01test": s.send(b"test data")
            """);
        py.Expect("ready");
        using var cat = CliProcess.Start("cat", "xsub", ">" + ep, "--subscribe", "none-yet", "-n", "1", "--timeout", Timeout);
        py.Expect(PyPeer.Hex("\u0001none-yet"));
        cat.WriteLine("0x0174657374"); // the line that subscribes to "test" by hand
        py.Expect("0174657374");
        var r = cat.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["test data"], r.Stdout);
    }
}
