using Zmq.BenchShared;
using System.Diagnostics;
using Zmq.LibZmq;

namespace Zmq.Bench;

/// <summary>
/// libzmq 4.3 through tests/Zmq.LibZmq: zmq_send from and zmq_recv into reused buffers, default
/// options otherwise. With --curve the bind side is a CURVE server (ZMQ_CURVE_SERVER,
/// ZMQ_CURVE_SECRETKEY = <see cref="BenchCurveKeys"/>) and the connect side a CURVE client of it
/// (ZMQ_CURVE_SERVERKEY, and a fresh pair from zmq_curve_keypair as ZMQ_CURVE_PUBLICKEY/SECRETKEY).
/// </summary>
internal static class LibZmqBench
{
    public static void Run(BenchArgs a)
    {
        using var context = new LzContext();
        switch (a.Mode, a.Bind)
        {
            case ("thr", _) when a.Inproc: ThrInproc(context, a); break;
            case ("lat", _) when a.Inproc: LatInproc(context, a); break;
            case ("thr", true): ThrReceive(context, a); break;
            case ("thr", false): ThrSend(context, a); break;
            case ("lat", true): LatServe(context, a); break;
            default: LatClient(context, a); break;
        }
        // context.Dispose → zmq_ctx_term, which waits for queued messages (LINGER -1).
    }

    /// <summary>--inproc: PULL (bound, this thread, measures) and PUSH (connected, its own thread) in one context.</summary>
    private static void ThrInproc(LzContext context, BenchArgs a)
    {
        using var pull = context.Socket(LzSocketType.Pull);
        pull.Bind(a.Endpoint);
        using var push = context.Socket(LzSocketType.Push);
        push.Connect(a.Endpoint);
        var sender = PeerThread.Start("push", () => SendAll(push, a));
        Receive(pull, a);
        sender.Join();
    }

    /// <summary>--inproc: REP (bound, its own thread) and REQ (connected, this thread, measures) in one context.</summary>
    private static void LatInproc(LzContext context, BenchArgs a)
    {
        using var rep = context.Socket(LzSocketType.Rep);
        rep.Bind(a.Endpoint);
        using var req = context.Socket(LzSocketType.Req);
        req.Connect(a.Endpoint);
        var server = PeerThread.Start("rep", () => Echo(rep, a));
        RoundTrips(req, a);
        server.Join();
    }

    private static void ThrReceive(LzContext context, BenchArgs a)
    {
        using var pull = context.Socket(LzSocketType.Pull);
        Secure(pull, a);
        pull.Bind(a.Endpoint);
        Receive(pull, a);
    }

    private static void Receive(LzSocket pull, BenchArgs a)
    {
        var buffer = new byte[Math.Max(a.Size, 1)];
        Expect(pull.ReceiveInto(buffer), a.Size);
        var start = Stopwatch.GetTimestamp();
        for (var i = 1; i < a.Count; i++)
            Expect(pull.ReceiveInto(buffer), a.Size);
        var elapsed = Stopwatch.GetTimestamp() - start;
        BenchReport.Throughput(a.Run, elapsed);
    }

    private static void ThrSend(LzContext context, BenchArgs a)
    {
        using var push = context.Socket(LzSocketType.Push);
        push.SetOption(LzOption.Linger, -1);
        var monitor = WatchPeer(push, a);
        Secure(push, a);
        push.Connect(a.Endpoint);
        SendAll(push, a);
        AwaitPeerGone(push, monitor);
    }

    private static void SendAll(LzSocket push, BenchArgs a)
    {
        var buffer = new byte[a.Size];
        for (var i = 0; i < a.Count; i++)
            push.Send(buffer);
    }

    private static void LatServe(LzContext context, BenchArgs a)
    {
        using var rep = context.Socket(LzSocketType.Rep);
        rep.SetOption(LzOption.Linger, -1);
        var monitor = WatchPeer(rep, a);
        Secure(rep, a);
        rep.Bind(a.Endpoint);
        Echo(rep, a);
        AwaitPeerGone(rep, monitor);
    }

    /// <summary>
    /// libzmq 4.3.4 over ipc can lose what is still in flight when the sending side closes, LINGER
    /// -1 notwithstanding (as in libzmq#4660): on this machine a plain C PUSH -> PULL over ipc
    /// (zmq_close + zmq_ctx_term right after the last zmq_send) delivered 160,000-199,600 of
    /// 200,000 1-byte messages in 9 of 9 runs, all of them with a 200 ms pause before the close,
    /// and all over tcp; the receiver then waits forever. So over ipc the sending side (thr PUSH,
    /// lat REP) watches for its peer's disconnect and closes only after it, i.e. after the
    /// measurement, which is unchanged.
    /// </summary>
    private static LzSocket? WatchPeer(LzSocket socket, BenchArgs a)
        => a.Transport == "ipc" ? socket.OpenMonitor(LzEvent.Disconnected) : null;

    private static void AwaitPeerGone(LzSocket socket, LzSocket? monitor)
    {
        if (monitor is null)
            return;
        while (LzMonitorEvent.Receive(monitor) is { } e && e.Event != LzEvent.Disconnected)
        {
        }
        socket.Monitor(null);
        monitor.Dispose();
    }

    private static void Echo(LzSocket rep, BenchArgs a)
    {
        var buffer = new byte[Math.Max(a.Size, 1)];
        var reply = buffer.AsSpan(0, a.Size);
        for (var i = 0; i < a.Count; i++)
        {
            Expect(rep.ReceiveInto(buffer), a.Size);
            rep.Send(reply);
        }
    }

    private static void LatClient(LzContext context, BenchArgs a)
    {
        using var req = context.Socket(LzSocketType.Req);
        Secure(req, a);
        req.Connect(a.Endpoint);
        RoundTrips(req, a);
    }

    private static void RoundTrips(LzSocket req, BenchArgs a)
    {
        var request = new byte[a.Size];
        var buffer = new byte[Math.Max(a.Size, 1)];
        var roundTrips = new long[a.Count];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < a.Count; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            req.Send(request);
            Expect(req.ReceiveInto(buffer), a.Size);
            roundTrips[i] = Stopwatch.GetTimestamp() - t0;
        }
        var total = Stopwatch.GetTimestamp() - start;
        BenchReport.Latency(a.Run, total, roundTrips);
    }

    /// <summary>
    /// --curve, before zmq_bind or zmq_connect: the bind side becomes the CURVE server with the
    /// fixed benchmark key pair (public test data), the connect side a CURVE client of it with a
    /// fresh key pair. Keys go in as 40-character Z85 strings, which libzmq 4.3 accepts.
    /// </summary>
    private static void Secure(LzSocket socket, BenchArgs a)
    {
        if (!a.Curve)
            return;
        if (a.Bind)
        {
            socket.SetOption(LzOption.CurveServer, 1);
            socket.SetOption(LzOption.CurveSecretKey, BenchCurveKeys.ServerSecretZ85);
            return;
        }
        var (publicKey, secretKey) = Zmq.LibZmq.LibZmq.CurveKeypair();
        socket.SetOption(LzOption.CurveServerKey, BenchCurveKeys.ServerPublicZ85);
        socket.SetOption(LzOption.CurvePublicKey, publicKey);
        socket.SetOption(LzOption.CurveSecretKey, secretKey);
    }

    private static void Expect(int received, int size)
    {
        if (received != size)
            throw new InvalidDataException($"received a {received}-byte message, expected {size}");
    }
}
