using Zmq.BenchShared;
using System.Diagnostics;
using NetMQ;
using NetMQ.Sockets;

namespace Zmq.Bench;

/// <summary>
/// NetMQ 4.0.4.5 with its fastest plain API: receive into one reused <see cref="Msg"/> (as NetMQ's
/// own perf tools do); send = Msg.InitPool + copy from a reused buffer + Send(ref Msg), which is what
/// SendFrame(byte[]) does. NetMQ's default GC buffer pool is kept (ZMQ_BENCH_NETMQ_POOL=manager
/// switches to its BufferManager pool). NetMQ's ipc:// is TCP on 127.0.0.1 (a port derived from the
/// path), so its ipc numbers are a TCP emulation; --inproc uses its inproc:// (global context).
/// With --curve the bind side is a CURVE server (Options.CurveServer, CurveCertificate from
/// <see cref="BenchCurveKeys"/>) and the connect side a CURVE client of it (CurveServerKey, and a
/// fresh <see cref="NetMQCertificate"/> as its CurveCertificate).
/// </summary>
internal static class NetMqBench
{
    public static void Run(BenchArgs a)
    {
        if (Environment.GetEnvironmentVariable("ZMQ_BENCH_NETMQ_POOL") == "manager")
            BufferPool.SetBufferManagerBufferPool(64L * 1024 * 1024, Math.Max(a.Size, 1024));
        var flush = false;
        try
        {
            switch (a.Mode, a.Bind)
            {
                case ("thr", _) when a.Inproc: ThrInproc(a); break;
                case ("lat", _) when a.Inproc: LatInproc(a); break;
                case ("thr", true): ThrReceive(a); break;
                case ("thr", false): ThrSend(a); flush = true; break;
                case ("lat", true): LatServe(a); flush = true; break;
                default: LatClient(a); break;
            }
        }
        finally
        {
            // Sockets made with `new` belong to NetMQ's global context; blocking cleanup honours
            // their LINGER (-1 on the sending sides), so queued messages are written before exit.
            NetMQConfig.Cleanup(block: flush);
        }
    }

    /// <summary>--inproc: PULL (bound, this thread, measures) and PUSH (connected, its own thread).</summary>
    private static void ThrInproc(BenchArgs a)
    {
        using var pull = new PullSocket();
        pull.Bind(a.Endpoint);
        using var push = new PushSocket();
        push.Connect(a.Endpoint);
        var sender = PeerThread.Start("push", () => SendAll(push, a));
        Receive(pull, a);
        sender.Join();
    }

    /// <summary>--inproc: REP (bound, its own thread) and REQ (connected, this thread, measures).</summary>
    private static void LatInproc(BenchArgs a)
    {
        using var rep = new ResponseSocket();
        rep.Bind(a.Endpoint);
        using var req = new RequestSocket();
        req.Connect(a.Endpoint);
        var server = PeerThread.Start("rep", () => Echo(rep, a));
        RoundTrips(req, a);
        server.Join();
    }

    private static void ThrReceive(BenchArgs a)
    {
        using var pull = new PullSocket();
        Secure(pull, a);
        pull.Bind(a.Endpoint);
        Receive(pull, a);
    }

    private static void Receive(PullSocket pull, BenchArgs a)
    {
        var msg = new Msg();
        msg.InitEmpty();
        pull.Receive(ref msg);
        Expect(msg.Size, a.Size);
        var start = Stopwatch.GetTimestamp();
        for (var i = 1; i < a.Count; i++)
        {
            pull.Receive(ref msg);
            Expect(msg.Size, a.Size);
        }
        var elapsed = Stopwatch.GetTimestamp() - start;
        msg.Close();
        BenchReport.Throughput(a.Run, elapsed);
    }

    private static void ThrSend(BenchArgs a)
    {
        using var push = new PushSocket();
        push.Options.Linger = Timeout.InfiniteTimeSpan;
        Secure(push, a);
        using var monitor = WatchPeer(push, a);
        push.Connect(a.Endpoint);
        SendAll(push, a);
        AwaitPeerGone(monitor);
    }

    private static void SendAll(PushSocket push, BenchArgs a)
    {
        var buffer = new byte[a.Size];
        for (var i = 0; i < a.Count; i++)
            Send(push, buffer);
    }

    private static void LatServe(BenchArgs a)
    {
        using var rep = new ResponseSocket();
        rep.Options.Linger = Timeout.InfiniteTimeSpan;
        Secure(rep, a);
        using var monitor = WatchPeer(rep, a);
        rep.Bind(a.Endpoint);
        Echo(rep, a);
        AwaitPeerGone(monitor);
    }

    private static void Echo(ResponseSocket rep, BenchArgs a)
    {
        var msg = new Msg();
        msg.InitEmpty();
        for (var i = 0; i < a.Count; i++)
        {
            rep.Receive(ref msg);
            Expect(msg.Size, a.Size);
            rep.Send(ref msg, more: false); // echoes the received Msg itself, as libzmq's local_lat does
            if (!msg.IsInitialised)
                msg.InitEmpty();
        }
        msg.Close();
    }

    private static void LatClient(BenchArgs a)
    {
        using var req = new RequestSocket();
        Secure(req, a);
        req.Connect(a.Endpoint);
        RoundTrips(req, a);
    }

    private static void RoundTrips(RequestSocket req, BenchArgs a)
    {
        var request = new byte[a.Size];
        var reply = new Msg();
        reply.InitEmpty();
        var roundTrips = new long[a.Count];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < a.Count; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            Send(req, request);
            req.Receive(ref reply);
            Expect(reply.Size, a.Size);
            roundTrips[i] = Stopwatch.GetTimestamp() - t0;
        }
        var total = Stopwatch.GetTimestamp() - start;
        reply.Close();
        BenchReport.Latency(a.Run, total, roundTrips);
    }

    private static void Send(NetMQSocket socket, byte[] buffer)
    {
        var msg = new Msg();
        msg.InitPool(buffer.Length);
        msg.Put(buffer, 0, buffer.Length);
        socket.Send(ref msg, more: false);
        msg.Close();
    }

    /// <summary>
    /// --curve, before Bind or Connect: the bind side becomes the CURVE server with the fixed
    /// benchmark key pair (public test data), the connect side a CURVE client of it with a fresh
    /// key pair.
    /// </summary>
    private static void Secure(NetMQSocket socket, BenchArgs a)
    {
        if (!a.Curve)
            return;
        if (a.Bind)
        {
            socket.Options.CurveServer = true;
            socket.Options.CurveCertificate = new NetMQCertificate(BenchCurveKeys.ServerSecretZ85, BenchCurveKeys.ServerPublicZ85);
            return;
        }
        socket.Options.CurveServerKey = NetMQCertificate.FromPublicKey(BenchCurveKeys.ServerPublicZ85).PublicKey;
        socket.Options.CurveCertificate = new NetMQCertificate();
    }

    /// <summary>
    /// NetMQ 4.0.4.5 with CURVE on both ends loses the tail of a stream when the sending side closes
    /// right after its last send, LINGER -1 notwithstanding: here 9 of 12 NetMQ -> NetMQ
    /// PUSH -> PULL runs of 5,000 messages (tcp and NetMQ's ipc) stopped short (e.g. 3,909 of
    /// 5,000), while a NetMQ sender with a libzmq receiver, a libzmq sender with a NetMQ receiver,
    /// NetMQ over NULL, and NetMQ -> NetMQ with a 2 s pause before the close all delivered everything. So with
    /// --curve the sending side (thr PUSH, lat REP) watches for its peer's disconnect (a socket
    /// monitor) and closes only after it, i.e. after the measurement, which is unchanged.
    /// </summary>
    private static PairSocket? WatchPeer(NetMQSocket socket, BenchArgs a)
    {
        if (!a.Curve)
            return null;
        const string endpoint = "inproc://zmq-bench-peer-gone";
        socket.Monitor(endpoint, SocketEvents.Disconnected);
        var monitor = new PairSocket();
        monitor.Connect(endpoint);
        return monitor;
    }

    /// <summary>Waits for the one event <see cref="WatchPeer"/> asked for: the peer disconnected.</summary>
    private static void AwaitPeerGone(PairSocket? monitor) => monitor?.ReceiveMultipartMessage();

    private static void Expect(int received, int size)
    {
        if (received != size)
            throw new InvalidDataException($"received a {received}-byte message, expected {size}");
    }
}
