using System.Diagnostics;
using Zmq.Toolkit;

namespace Zmq.Cli.Bench;

/// <summary>
/// The thr loops through Zmq.Toolkit's adapters instead of the bare socket (bench/adapters.sh
/// compares them with the bare loops of <see cref="ZmqBench"/> in the same run). Receiving:
/// <c>enumerable</c> (<c>await foreach</c> over <see cref="SocketAdapters.ReceiveAllAsync"/>),
/// <c>channel</c> (<c>ReadAllAsync</c> of <see cref="SocketAdapters.AsChannelReader"/>, i.e.
/// WaitToReadAsync/TryRead), <c>stream</c> (<see cref="SocketStream.ReadAsync(Memory{byte}, CancellationToken)"/>
/// into one buffer of the message size). Sending: <c>channel</c>
/// (<see cref="SocketChannelWriter.WriteAsync"/> of a pooled message, taken over as the bare
/// loop's SendAndDispose), <c>stream</c> (<see cref="SocketStream.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
/// of one reused buffer). Each message is checked (size) and disposed as in the bare loop; nothing
/// else allocates per message. With --warmup the first messages are not timed, as in the bare loops.
/// </summary>
internal static class AdapterBench
{
    public static readonly string[] ReceiveAdapters = ["enumerable", "channel", "stream", "async"];
    public static readonly string[] SendAdapters = ["channel", "stream", "async"];

    /// <summary>Receives <see cref="BenchSettings.Count"/> messages through the adapter; returns the ticks from the first to the last.</summary>
    public static long Receive(PullSocket pull, BenchSettings a, BenchProgress progress) => a.RecvAdapter switch
    {
        "enumerable" => ReceiveEnumerable(pull, a, progress).GetAwaiter().GetResult(),
        "channel" => ReceiveChannel(pull, a, progress).GetAwaiter().GetResult(),
        "stream" => ReceiveStream(pull, a, progress).GetAwaiter().GetResult(),
        "async" => ReceiveAsync(pull, a, progress).GetAwaiter().GetResult(),
        _ => throw new ArgumentException($"unknown receive adapter '{a.RecvAdapter}'"),
    };

    /// <summary>Sends <see cref="BenchSettings.Count"/> messages through the adapter.</summary>
    public static void Send(PushSocket push, BenchSettings a)
    {
        switch (a.SendAdapter)
        {
            case "channel": SendChannel(push, a).GetAwaiter().GetResult(); break;
            case "stream": SendStream(push, a).GetAwaiter().GetResult(); break;
            case "async": SendAsync(push, a).GetAwaiter().GetResult(); break;
            default: throw new ArgumentException($"unknown send adapter '{a.SendAdapter}'");
        }
    }

    private static async Task<long> ReceiveEnumerable(PullSocket pull, BenchSettings a, BenchProgress progress)
    {
        long start = 0;
        int i = 0, total = a.Warmup + a.Count;
        await foreach (var m in pull.ReceiveAllAsync())
        {
            using (m) Expect(m, a.Size);
            if (i++ == a.Warmup) start = Stopwatch.GetTimestamp();
            progress.Done = i - a.Warmup;
            if (i == total) break;
        }
        return Stopwatch.GetTimestamp() - start;
    }

    private static async Task<long> ReceiveChannel(PullSocket pull, BenchSettings a, BenchProgress progress)
    {
        using var reader = pull.AsChannelReader();
        long start = 0;
        int i = 0, total = a.Warmup + a.Count;
        await foreach (var m in reader.ReadAllAsync())
        {
            using (m) Expect(m, a.Size);
            if (i++ == a.Warmup) start = Stopwatch.GetTimestamp();
            progress.Done = i - a.Warmup;
            if (i == total) break;
        }
        return Stopwatch.GetTimestamp() - start;
    }

    private static async Task<long> ReceiveStream(PullSocket pull, BenchSettings a, BenchProgress progress)
    {
        using var stream = new SocketStream(pull);
        var buffer = new byte[a.Size];
        long start = 0;
        for (int i = 0, total = a.Warmup + a.Count; i < total; i++)
        {
            int n = await stream.ReadAsync(buffer);
            if (n != a.Size) throw new InvalidDataException($"read {n} bytes, expected one {a.Size}-byte frame");
            if (i == a.Warmup) start = Stopwatch.GetTimestamp();
            progress.Done = i + 1 - a.Warmup;
        }
        return Stopwatch.GetTimestamp() - start;
    }

    /// <summary>No adapter: the bare socket's own ReceiveAsync in a loop (what an async consumer pays without one).</summary>
    private static async Task<long> ReceiveAsync(PullSocket pull, BenchSettings a, BenchProgress progress)
    {
        long start = 0;
        for (int i = 0, total = a.Warmup + a.Count; i < total; i++)
        {
            using (var m = await pull.ReceiveAsync()) Expect(m, a.Size);
            if (i == a.Warmup) start = Stopwatch.GetTimestamp();
            progress.Done = i + 1 - a.Warmup;
        }
        return Stopwatch.GetTimestamp() - start;
    }

    /// <summary>No adapter: the bare socket's own SendAsync of a pooled message (copied), then disposed.</summary>
    private static async Task SendAsync(PushSocket push, BenchSettings a)
    {
        for (int i = 0, total = a.Warmup + a.Count; i < total; i++)
        {
            if (i == a.Warmup && i > 0) await Task.Delay(BenchSettings.WarmupPause);
            var m = Message.Rent();
            m.AddFrame(a.Size);
            await push.SendAsync(m);
            m.Dispose();
        }
    }

    private static async Task SendChannel(PushSocket push, BenchSettings a)
    {
        using var writer = push.AsChannelWriter();
        for (int i = 0, total = a.Warmup + a.Count; i < total; i++)
        {
            if (i == a.Warmup && i > 0) await Task.Delay(BenchSettings.WarmupPause);
            var m = Message.Rent();
            m.AddFrame(a.Size);
            await writer.WriteAsync(m);
        }
    }

    private static async Task SendStream(PushSocket push, BenchSettings a)
    {
        using var stream = new SocketStream(push);
        var buffer = new byte[a.Size];
        for (int i = 0, total = a.Warmup + a.Count; i < total; i++)
        {
            if (i == a.Warmup && i > 0) await Task.Delay(BenchSettings.WarmupPause);
            await stream.WriteAsync(buffer);
        }
    }

    private static void Expect(Message m, int size)
    {
        if (m.Count != 1 || m.GetSpan(0).Length != size)
            throw new InvalidDataException($"received {m}, expected one {size}-byte frame");
    }
}
