using Zmq.BenchShared;
using System.Diagnostics;

namespace Zmq.Cli.Bench;

/// <summary>
/// Whole-process throughput and latency with this library, the method of libzmq's perf tools
/// (local_thr/remote_thr, local_lat/remote_lat) and of bench/Zmq.Bench for NetMQ and libzmq.
/// The loops allocate nothing per message: one reused send buffer, each received
/// <see cref="Message"/> disposed (pooled). High-water marks stay at the library default.
/// Without --bind/--connect both sockets live in this process (one <see cref="Context"/>), each
/// driven by its own thread (the measuring one, PULL or REQ, by the caller's), over the transport
/// chosen (tcp on 127.0.0.1, ipc on a fresh path, or inproc). With --curve (tcp, ipc) the bind
/// side is a CURVE server with <see cref="BenchCurveKeys"/> and the connect side a CURVE client of
/// it with a fresh key pair, as bench/Zmq.Bench does for NetMQ and libzmq. thr with
/// --recv-adapter/--send-adapter runs a side through a Zmq.Toolkit adapter instead (<see cref="AdapterBench"/>).
/// </summary>
internal static class ZmqBench
{
    public static void Run(BenchSettings a)
    {
        switch (a.Mode, a.Bind)
        {
            case ("thr", _) when a.Local: ThrLocal(a); break;
            case ("lat", _) when a.Local: LatLocal(a); break;
            case ("thr", true): ThrReceive(a); break;
            case ("thr", false): ThrSend(a); break;
            case ("lat", true): LatServe(a); break;
            default: LatClient(a); break;
        }
    }

    /// <summary>Both ends here: PULL (bound, this thread, measures) and PUSH (connected, its own thread) in one context.</summary>
    private static void ThrLocal(BenchSettings a)
    {
        using var context = new Context();
        using var pull = new PullSocket(context: context);
        Secure(pull, a, server: true);
        pull.Bind(a.Endpoint);
        using var push = new PushSocket(context: context);
        Secure(push, a, server: false);
        push.Connect(pull.LastEndpoint!);
        var sender = StartPeer("push", () => SendAll(push, a));
        Receive(pull, a);
        sender.Join();
    }

    /// <summary>Both ends here: REP (bound, its own thread) and REQ (connected, this thread, measures) in one context.</summary>
    private static void LatLocal(BenchSettings a)
    {
        using var context = new Context();
        using var rep = new RepSocket(context: context);
        Secure(rep, a, server: true);
        rep.Bind(a.Endpoint);
        using var req = new ReqSocket(context: context);
        Secure(req, a, server: false);
        req.Connect(rep.LastEndpoint!);
        var server = StartPeer("rep", () => Echo(rep, a));
        RoundTrips(req, a);
        server.Join();
    }

    /// <summary>The other side of a one-process run on its own thread; a failure there ends the process (exit 1), since the measuring side would wait forever.</summary>
    private static Thread StartPeer(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"zmq bench: {name} thread failed: {e}");
                Environment.Exit(ExitCodes.Failure);
            }
        })
        { IsBackground = true, Name = "bench-" + name };
        thread.Start();
        return thread;
    }

    /// <summary>PULL, bound: times the first to the last of N messages received, prints the result.</summary>
    private static void ThrReceive(BenchSettings a)
    {
        using var pull = new PullSocket();
        Secure(pull, a);
        pull.Bind(a.Endpoint);
        Receive(pull, a);
    }

    private static void Receive(PullSocket pull, BenchSettings a)
    {
        using var progress = BenchProgress.Start(a, "messages received");
        if (a.RecvAdapter is not null)
        {
            var ticks = AdapterBench.Receive(pull, a, progress);
            progress.Dispose();
            BenchReport.Throughput(a.Run, ticks);
            return;
        }
        for (var i = 0; i < a.Warmup; i++)
        {
            using var m = pull.Receive();
            Expect(m, a.Size);
        }
        using (var first = pull.Receive()) Expect(first, a.Size);
        var start = Stopwatch.GetTimestamp();
        for (var i = 1; i < a.Count; i++)
        {
            using var m = pull.Receive();
            Expect(m, a.Size);
            progress.Done = i + 1;
        }
        progress.Dispose();
        var elapsed = Stopwatch.GetTimestamp() - start;
        BenchReport.Throughput(a.Run, elapsed);
    }

    /// <summary>PUSH, connected: sends N messages of the size, then Dispose waits until they are delivered (LINGER infinite).</summary>
    private static void ThrSend(BenchSettings a)
    {
        using var push = new PushSocket();
        push.Linger = Timeout.InfiniteTimeSpan;
        Secure(push, a);
        push.Connect(a.Endpoint);
        SendAll(push, a);
    }

    /// <summary>
    /// As libzmq's remote_thr (zmq_msg_init_size + zmq_msg_send): each message is a pooled
    /// <see cref="Message"/> with a frame of the size asked for, taken over by the socket (no copy of
    /// the payload, which is never written, as in libzmq's tool).
    /// </summary>
    private static void SendAll(PushSocket push, BenchSettings a)
    {
        if (a.SendAdapter is not null)
        {
            AdapterBench.Send(push, a);
            return;
        }
        for (var i = 0; i < a.Warmup; i++)
        {
            var m = Message.Rent();
            m.AddFrame(a.Size);
            push.SendAndDispose(m);
        }
        if (a.Warmup > 0) Thread.Sleep(BenchSettings.WarmupPause);
        for (var i = 0; i < a.Count; i++)
        {
            var m = Message.Rent();
            m.AddFrame(a.Size);
            push.SendAndDispose(m);
        }
    }

    /// <summary>REP, bound: echoes N requests; LINGER infinite so that the last reply is delivered before exit.</summary>
    private static void LatServe(BenchSettings a)
    {
        using var rep = new RepSocket();
        rep.Linger = Timeout.InfiniteTimeSpan;
        Secure(rep, a);
        rep.Bind(a.Endpoint);
        Echo(rep, a);
    }

    private static void Echo(RepSocket rep, BenchSettings a)
    {
        for (var i = 0; i < a.Count; i++)
        {
            using var m = rep.Receive();
            Expect(m, a.Size);
            rep.Send(m.GetSpan(0));
        }
    }

    /// <summary>REQ, connected: times N round trips, prints mean one-way (total / N / 2) and p50/p99 round trip.</summary>
    private static void LatClient(BenchSettings a)
    {
        using var req = new ReqSocket();
        Secure(req, a);
        req.Connect(a.Endpoint);
        RoundTrips(req, a);
    }

    private static void RoundTrips(ReqSocket req, BenchSettings a)
    {
        var request = new byte[a.Size];
        var roundTrips = new long[a.Count];
        using var progress = BenchProgress.Start(a, "round trips");
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < a.Count; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            req.Send(request);
            using (var reply = req.Receive()) Expect(reply, a.Size);
            roundTrips[i] = Stopwatch.GetTimestamp() - t0;
            progress.Done = i + 1;
        }
        progress.Dispose();
        var total = Stopwatch.GetTimestamp() - start;
        BenchReport.Latency(a.Run, total, roundTrips);
    }

    /// <summary>
    /// --curve, before Bind or Connect: the bind side becomes the CURVE server with the fixed
    /// benchmark key pair (<see cref="BenchCurveKeys"/>, public test data), the connect side a
    /// CURVE client of that server with a fresh key pair of its own.
    /// </summary>
    private static void Secure(Socket socket, BenchSettings a) => Secure(socket, a, a.Bind);

    private static void Secure(Socket socket, BenchSettings a, bool server)
    {
        if (!a.Curve)
            return;
        if (server)
            socket.MakeCurveServer(CurveKeyPair.FromSecretKey(BenchCurveKeys.ServerSecretZ85));
        else
            socket.MakeCurveClient(CurveKeyPair.DecodeKey(BenchCurveKeys.ServerPublicZ85, "server public"));
    }

    private static void Expect(Message m, int size)
    {
        if (m.Count != 1 || m.GetSpan(0).Length != size)
            throw new InvalidDataException($"received {m}, expected one {size}-byte frame");
    }
}
