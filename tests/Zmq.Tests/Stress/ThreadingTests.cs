using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Stress;

/// <summary>Many threads on one socket: every message arrives once, whole and intact (DECISIONS.md "Threads").</summary>
public sealed class ThreadingTests : IDisposable
{
    private readonly SocketScope S = new();
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public void Dispose() => S.Dispose();

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint h = 2166136261;
        foreach (var b in data) h = (h ^ b) * 16777619;
        return h;
    }

    /// <summary>[threadId][seq][payload of varying length whose last 4 bytes are the checksum of the rest].</summary>
    private static byte[][] MakeMessage(int thread, int seq, Random rnd)
    {
        var payload = new byte[4 + rnd.Next(0, 300)];
        rnd.NextBytes(payload.AsSpan(0, payload.Length - 4));
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(payload.Length - 4), Checksum(payload.AsSpan(0, payload.Length - 4)));
        return [BitConverter.GetBytes(thread), BitConverter.GetBytes(seq), payload];
    }

    private static (int Thread, int Seq) Check(Message m)
    {
        if (m.Count != 3) throw new InvalidOperationException($"expected 3 frames, got {m.Count}");
        var payload = m.GetSpan(2);
        if (m.GetSpan(0).Length != 4 || m.GetSpan(1).Length != 4 || payload.Length < 4) throw new InvalidOperationException("bad frame sizes");
        if (BinaryPrimitives.ReadUInt32LittleEndian(payload[^4..]) != Checksum(payload[..^4])) throw new InvalidOperationException("payload corrupted");
        return (BitConverter.ToInt32(m.GetSpan(0)), BitConverter.ToInt32(m.GetSpan(1)));
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    [InlineData("inproc")]
    public void FourSendersOnOnePush_TwoReceiversOnOnePull_50000Messages(string transport)
    {
        const int Senders = 4, Receivers = 2, PerSender = 12_500, Total = Senders * PerSender;
        var pull = S.Pull();
        pull.Bind(Endpoints.BindAny(transport));
        var push = S.Push();
        push.SendTimeout = TimeSpan.FromSeconds(30);
        push.Connect(pull.LastEndpoint!);

        var errors = new ConcurrentQueue<Exception>();
        int received = 0;
        var seen = new List<(int Thread, int Seq)>[Receivers];
        var sw = Stopwatch.StartNew();
        var threads = new List<Thread>();
        for (int t = 0; t < Senders; t++)
        {
            int id = t;
            threads.Add(new Thread(() =>
            {
                try
                {
                    var rnd = new Random(id);
                    for (int i = 0; i < PerSender; i++) push.SendFrames(MakeMessage(id, i, rnd));
                }
                catch (Exception ex) { errors.Enqueue(ex); }
            }) { Name = "sender-" + id, IsBackground = true });
        }
        for (int r = 0; r < Receivers; r++)
        {
            int id = r;
            seen[id] = new List<(int, int)>(Total);
            threads.Add(new Thread(() =>
            {
                try
                {
                    while (Volatile.Read(ref received) < Total && sw.Elapsed < Limit)
                    {
                        if (!pull.TryReceive(TimeSpan.FromMilliseconds(100), out var m)) continue;
                        using (m) seen[id].Add(Check(m));
                        Interlocked.Increment(ref received);
                    }
                }
                catch (Exception ex) { errors.Enqueue(ex); }
            }) { Name = "receiver-" + id, IsBackground = true });
        }
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Wait.Join(t, Limit + TimeSpan.FromSeconds(5)));

        Assert.Empty(errors);
        Assert.Equal(Total, received);
        var all = seen.SelectMany(s => s).ToList();
        Assert.Equal(Total, all.Count);
        Assert.Equal(Total, all.Distinct().Count()); // exactly once
        for (int t = 0; t < Senders; t++)
            Assert.Equal(Enumerable.Range(0, PerSender), all.Where(x => x.Thread == t).Select(x => x.Seq).Order());
        // One connection is one FIFO: each receiver sees each sender's messages in increasing order.
        foreach (var s in seen)
            for (int t = 0; t < Senders; t++)
            {
                var seqs = s.Where(x => x.Thread == t).Select(x => x.Seq).ToArray();
                for (int i = 1; i < seqs.Length; i++) Assert.True(seqs[i] > seqs[i - 1], $"sender {t}: {seqs[i - 1]} then {seqs[i]}");
            }
        Assert.False(pull.TryReceive(out _));
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    [InlineData("inproc")]
    public void ConcurrentSendAndReceiveOnOneDealer(string transport)
    {
        const int Senders = 3, Receivers = 2, PerSender = 3_000, Total = Senders * PerSender;
        var router = S.Router();
        router.Mandatory = true; // never drop a reply: wait for room instead
        router.SendTimeout = TimeSpan.FromSeconds(30);
        router.Bind(Endpoints.BindAny(transport));
        var dealer = S.Dealer();
        dealer.SendTimeout = TimeSpan.FromSeconds(30);
        dealer.Connect(router.LastEndpoint!);

        var errors = new ConcurrentQueue<Exception>();
        var sw = Stopwatch.StartNew();
        int echoed = 0, received = 0;
        var replies = new ConcurrentBag<(int, int)>();
        var threads = new List<Thread>
        {
            new(() =>
            {
                try
                {
                    while (echoed < Total && sw.Elapsed < Limit)
                    {
                        if (!router.TryReceive(TimeSpan.FromMilliseconds(100), out var m)) continue;
                        using (m) router.Send(m); // [id, thread, seq, payload] straight back
                        echoed++;
                    }
                }
                catch (Exception ex) { errors.Enqueue(ex); }
            }) { Name = "echo", IsBackground = true },
        };
        for (int t = 0; t < Senders; t++)
        {
            int id = t;
            threads.Add(new Thread(() =>
            {
                try
                {
                    var rnd = new Random(100 + id);
                    for (int i = 0; i < PerSender; i++) dealer.SendFrames(MakeMessage(id, i, rnd));
                }
                catch (Exception ex) { errors.Enqueue(ex); }
            }) { Name = "dealer-sender-" + id, IsBackground = true });
        }
        for (int r = 0; r < Receivers; r++)
        {
            threads.Add(new Thread(() =>
            {
                try
                {
                    while (Volatile.Read(ref received) < Total && sw.Elapsed < Limit)
                    {
                        if (!dealer.TryReceive(TimeSpan.FromMilliseconds(100), out var m)) continue;
                        using (m) replies.Add(Check(m));
                        Interlocked.Increment(ref received);
                    }
                }
                catch (Exception ex) { errors.Enqueue(ex); }
            }) { Name = "dealer-receiver", IsBackground = true });
        }
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Wait.Join(t, Limit + TimeSpan.FromSeconds(5)));

        Assert.Empty(errors);
        Assert.Equal(Total, received);
        Assert.Equal(Total, replies.Distinct().Count());
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    [InlineData("inproc")]
    public void ConcurrentBindConnectDisposeChurn_DoesNotThrowUnexpectedly(string transport)
    {
        // Peers come and go while a bound PUSH keeps sending: sends must never fail for any reason
        // other than a time-out, and every peer that stays gets messages.
        var push = S.Push();
        push.SendTimeout = TimeSpan.FromSeconds(5);
        push.Bind(Endpoints.BindAny(transport));
        var ep = push.LastEndpoint!;
        var stable = S.Pull();
        stable.Connect(ep);
        SocketProbe.WaitConnected(push, 1);
        var errors = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();
        var sender = new Thread(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested) push.TrySend("tick"u8, TimeSpan.FromMilliseconds(50));
            }
            catch (Exception ex) { errors.Enqueue(ex); }
        }) { IsBackground = true };
        var drainer = new Thread(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                    if (stable.TryReceive(TimeSpan.FromMilliseconds(50), out var m)) m.Dispose();
            }
            catch (Exception ex) { errors.Enqueue(ex); }
        }) { IsBackground = true };
        sender.Start();
        drainer.Start();
        for (int i = 0; i < 20; i++)
        {
            using var transient = SocketScope.Defaults(new PullSocket(context: S.Context));
            transient.Linger = TimeSpan.Zero;
            transient.Connect(ep);
            transient.TryReceive(TimeSpan.FromMilliseconds(20), out var m);
            m?.Dispose();
        }
        stop.Cancel();
        Wait.Join(sender);
        Wait.Join(drainer);
        Assert.Empty(errors);
    }
}
