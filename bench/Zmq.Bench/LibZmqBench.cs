using System.Diagnostics;
using Zmq.LibZmq;

namespace Zmq.Bench;

/// <summary>libzmq 4.3 through tests/Zmq.LibZmq: zmq_send from and zmq_recv into reused buffers, default options otherwise.</summary>
internal static class LibZmqBench
{
    public static void Run(BenchArgs a)
    {
        using var context = new LzContext();
        switch (a.Mode, a.Bind)
        {
            case ("thr", true): ThrReceive(context, a); break;
            case ("thr", false): ThrSend(context, a); break;
            case ("lat", true): LatServe(context, a); break;
            default: LatClient(context, a); break;
        }
        // context.Dispose → zmq_ctx_term, which waits for queued messages (LINGER -1).
    }

    private static void ThrReceive(LzContext context, BenchArgs a)
    {
        using var pull = context.Socket(LzSocketType.Pull);
        pull.Bind(a.Endpoint);
        var buffer = new byte[Math.Max(a.Size, 1)];
        Expect(pull.ReceiveInto(buffer), a.Size);
        var start = Stopwatch.GetTimestamp();
        for (var i = 1; i < a.Count; i++)
            Expect(pull.ReceiveInto(buffer), a.Size);
        var elapsed = Stopwatch.GetTimestamp() - start;
        BenchReport.Throughput(a, elapsed);
    }

    private static void ThrSend(LzContext context, BenchArgs a)
    {
        using var push = context.Socket(LzSocketType.Push);
        push.SetOption(LzOption.Linger, -1);
        push.Connect(a.Endpoint);
        var buffer = new byte[a.Size];
        for (var i = 0; i < a.Count; i++)
            push.Send(buffer);
    }

    private static void LatServe(LzContext context, BenchArgs a)
    {
        using var rep = context.Socket(LzSocketType.Rep);
        rep.SetOption(LzOption.Linger, -1);
        rep.Bind(a.Endpoint);
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
        req.Connect(a.Endpoint);
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
        BenchReport.Latency(a, total, roundTrips);
    }

    private static void Expect(int received, int size)
    {
        if (received != size)
            throw new InvalidDataException($"received a {received}-byte message, expected {size}");
    }
}
