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
        push.Connect(a.Endpoint);
        SendAll(push, a);
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
        rep.Bind(a.Endpoint);
        Echo(rep, a);
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

    private static void Expect(int received, int size)
    {
        if (received != size)
            throw new InvalidDataException($"received a {received}-byte message, expected {size}");
    }
}
