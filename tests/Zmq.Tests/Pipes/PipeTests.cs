using Zmq.Internal;
using Zmq.Messages;
using Zmq.Pipes;

namespace Zmq.Tests.Pipes;

public class PipeTests
{
    private static void Put(Pipe p, string text)
    {
        var fs = p.TryReserve();
        Assert.NotNull(fs);
        fs.Add(System.Text.Encoding.UTF8.GetBytes(text));
        p.Commit();
    }

    private static string Get(Pipe p)
    {
        var fs = p.Peek();
        Assert.NotNull(fs);
        var text = System.Text.Encoding.UTF8.GetString(fs.Frame(0));
        p.Release(1);
        return text;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Capacity_IsTheHighWaterMark(int hwm)
    {
        var p = new Pipe(hwm);
        Assert.Equal(hwm, p.Capacity);
        for (int i = 0; i < hwm; i++)
        {
            Assert.False(p.IsFull);
            Put(p, "m" + i);
        }
        Assert.True(p.IsFull);
        Assert.Null(p.TryReserve());
        Assert.Equal(hwm, p.Count);
    }

    [Fact]
    public void ZeroHighWaterMark_MeansEffectivelyUnbounded()
    {
        var p = new Pipe(0);
        Assert.Equal(1 << 20, p.Capacity);
    }

    [Fact]
    public void HugeHighWaterMark_IsCapped()
    {
        var p = new Pipe(int.MaxValue);
        Assert.Equal(1 << 20, p.Capacity);
    }

    [Fact]
    public void Empty_PeekReturnsNull()
    {
        var p = new Pipe(4);
        Assert.True(p.IsEmpty);
        Assert.Null(p.Peek());
        Assert.Null(p.PeekAt(0));
        Assert.Equal(0, p.Count);
    }

    [Fact]
    public void Reserve_WithoutCommit_IsNotVisible()
    {
        var p = new Pipe(2);
        var fs = p.TryReserve()!;
        fs.Add("x"u8);
        Assert.True(p.IsEmpty);
        Assert.Null(p.Peek());
        p.Commit();
        Assert.False(p.IsEmpty);
    }

    [Fact]
    public void Fifo_WithWrapAround()
    {
        var p = new Pipe(3);
        int next = 0, expect = 0;
        for (int round = 0; round < 10; round++)
        {
            while (!p.IsFull) Put(p, "m" + next++);
            Assert.Equal(3, p.Count);
            Assert.Equal("m" + expect++, Get(p));
            Assert.Equal("m" + expect++, Get(p));
            Assert.Equal(1, p.Count);
        }
        while (!p.IsEmpty) Assert.Equal("m" + expect++, Get(p));
        Assert.Equal(next, expect);
    }

    [Fact]
    public void ReservedSlots_AreClearedAndReused_NoAllocationInSteadyState()
    {
        var p = new Pipe(1);
        var seen = new HashSet<FrameSet>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < 1000; i++)
        {
            var fs = p.TryReserve()!;
            Assert.Equal(0, fs.Count);
            Assert.Equal(0, fs.Length);
            Assert.Equal(FrameSetKind.Data, fs.Kind);
            seen.Add(fs);
            fs.Add("first"u8);
            fs.Add("second"u8);
            fs.Kind = FrameSetKind.Subscribe;
            p.Commit();
            Assert.NotNull(p.Peek());
            p.Release(1);
        }
        // Segments the consumer passed come back to the producer with their slots: two segments' worth at most.
        Assert.InRange(seen.Count, 1, 2 * 64 + 1);
    }

    [Fact]
    public void PeekAt_LooksBehindTheHead()
    {
        var p = new Pipe(4);
        Put(p, "a");
        Put(p, "b");
        Put(p, "c");
        Assert.Equal("b"u8.ToArray(), p.PeekAt(1)!.Frame(0).ToArray());
        Assert.Equal("c"u8.ToArray(), p.PeekAt(2)!.Frame(0).ToArray());
        Assert.Null(p.PeekAt(3));
    }

    [Fact]
    public void Take_SwapsInTheReplacement_WhichTheProducerReusesLater()
    {
        var p = new Pipe(1);
        Put(p, "hello");
        var replacement = new FrameSet();
        replacement.Add("stale"u8);
        var taken = p.Take(replacement);
        Assert.Equal("hello"u8.ToArray(), taken.Frame(0).ToArray());
        Assert.True(p.IsEmpty);
        bool reused = false;
        for (int i = 0; i < 300 && !reused; i++)
        {
            var slot = p.TryReserve()!;
            Assert.Equal(0, slot.Count); // cleared, whoever had it
            reused = ReferenceEquals(slot, replacement);
            slot.Add("x"u8);
            p.Commit();
            Assert.NotNull(p.Peek());
            p.Release(1);
        }
        Assert.True(reused, "the replacement never came back to the producer");
    }

    [Fact]
    public void Clear_DropsEverythingAndReportsTheCount()
    {
        var p = new Pipe(5);
        Put(p, "a");
        Put(p, "b");
        Assert.Equal(2, p.Clear());
        Assert.True(p.IsEmpty);
        Assert.Equal(0, p.Clear());
        Put(p, "c");
        Assert.Equal("c", Get(p));
    }

    [Fact]
    public void EachSidesLastLookAtTheOther_StaysCorrect_ThroughClearAndFullness()
    {
        // The consumer looks at Tail only when its last look says empty, the producer at Head only
        // when its last look says full: neither may see a stale view as room or as a message.
        var p = new Pipe(2);
        Put(p, "a");
        Assert.True(p.HasQueued);           // looks: Tail 1
        Put(p, "b");
        Assert.True(p.IsFull);
        Assert.Null(p.TryReserve());
        Assert.Equal(2, p.Clear());          // Head jumps past the consumer's last look (1)
        Assert.False(p.HasQueued);
        Assert.Null(p.Peek());
        Assert.False(p.IsFull);              // the producer looks again: room
        Put(p, "c");
        Assert.True(p.HasQueued);
        Assert.Equal("c", Get(p));
        Assert.False(p.HasQueued);
        Put(p, "d");
        Put(p, "e");
        Assert.Equal("d", Get(p));
        Assert.Equal("e", Get(p));
        Assert.Null(p.Peek());
    }

    [Fact]
    public void SmallMessages_InTheSegment_MixWithSlots_InOrder_AcrossSegmentsAndLaps()
    {
        // Small one-frame messages are written into the segment's bytes; others into slots. Every
        // way of reading (Peek, PeekAt, Take) sees one order, over several laps of recycled
        // segments, with the segment buffer outgrown mid-lap (those go to slots meanwhile).
        var p = new Pipe(300);
        var mine = new FrameSet();
        int next = 0, expect = 0;
        string Text(int i) => i % 7 == 3 ? new string('x', 100) + i : i % 5 == 0 ? new string('y', Pipe.SmallMax - 4) + i.ToString("D4") : "m" + i;
        for (int round = 0; round < 20; round++)
        {
            for (int k = 0; k < 150; k++, next++)
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(Text(next));
                if (bytes.Length > Pipe.SmallMax || !p.TryPutSmall(bytes))
                {
                    var fs = p.TryReserve()!;
                    fs.Add(bytes);
                    p.Commit();
                }
            }
            Assert.Equal(Text(expect + 149), System.Text.Encoding.UTF8.GetString(p.PeekAt(149)!.Frame(0)));
            for (int k = 0; k < 150; k++, expect++)
            {
                Assert.Equal(Text(expect), System.Text.Encoding.UTF8.GetString(p.Peek()!.Frame(0)));
                mine = p.Take(mine);
                Assert.Equal(1, mine.Count);
                Assert.Equal(Text(expect), System.Text.Encoding.UTF8.GetString(mine.Frame(0)));
            }
            Assert.Null(p.Peek());
        }
    }

    [Fact]
    public void SmallMultipartMessages_KeepTheirFrames_EmptyOnesToo()
    {
        var p = new Pipe(10);
        Assert.True(p.TryPutSmall(new OutFrames([[], "body"u8.ToArray()]), 0));
        Assert.True(p.TryPutSmall(new OutFrames([[1, 2], [], [3], "x"u8.ToArray(), "dropped by first"u8.ToArray()]), 1));
        Assert.False(p.TryPutSmall(new OutFrames([[1], [2], [3], [4], [5]]), 0)); // more than SmallFrames
        Assert.False(p.TryPutSmall(new OutFrames([new byte[40], new byte[40]]), 0)); // more than SmallMax
        var a = p.Take(new FrameSet());
        Assert.Equal(2, a.Count);
        Assert.Equal(0, a.FrameLength(0));
        Assert.Equal("body"u8.ToArray(), a.Frame(1).ToArray());
        var b = p.Peek()!;
        Assert.Equal(4, b.Count);
        Assert.Equal(new byte[] { 3 }, b.Frame(1).ToArray());
        Assert.Equal("dropped by first"u8.ToArray(), b.Frame(3).ToArray());
    }

    [Fact]
    public void PeekSmall_TellsSmallFromSlotMessages_AndShowsTheRecord()
    {
        var p = new Pipe(10);
        Assert.Equal(-1, p.PeekSmall(out _));
        Assert.True(p.TryPutSmall(new OutFrames([[], "ab"u8.ToArray()]), 0));
        Put(p, new string('z', 100));
        Assert.Equal(1, p.PeekSmall(out var record));
        Assert.Equal(new byte[] { 0, 2, (byte)'a', (byte)'b' }, record.ToArray());
        p.Release(1);
        Assert.Equal(0, p.PeekSmall(out _));
        Assert.Equal(100, p.Peek()!.Length);
        p.Release(1);
        Assert.Equal(-1, p.PeekSmall(out _));
    }

    [Fact]
    public void SmallMessages_RespectTheHighWaterMark()
    {
        var p = new Pipe(3);
        Assert.True(p.TryPutSmall("a"u8));
        Assert.True(p.TryPutSmall("b"u8));
        Assert.True(p.TryPutSmall("c"u8));
        Assert.False(p.TryPutSmall("d"u8));
        Assert.Null(p.TryReserve());
        Assert.Equal("a", Get(p));
        Assert.True(p.TryPutSmall("d"u8));
        Assert.Equal(["b", "c", "d"], new[] { Get(p), Get(p), Get(p) });
    }

    [Fact]
    public void QuietCommitAndRelease_DoNotWake_UntilAskedTo()
    {
        var p = new Pipe(4) { ConsumerSignal = new Signal(), ProducerSignal = new Signal() };
        int e = Sig(p.ConsumerSignal).Prepare();
        var fs = p.TryReserve()!;
        fs.Add("x"u8);
        p.CommitQuiet();
        Assert.False(Sig(p.ConsumerSignal).Wait(e, 0)); // not woken
        e = Sig(p.ConsumerSignal).Prepare();
        p.WakeConsumer();
        Assert.True(Sig(p.ConsumerSignal).Wait(e, 0));

        e = Sig(p.ProducerSignal).Prepare();
        p.ReleaseQuiet(1);
        Assert.False(Sig(p.ProducerSignal).Wait(e, 0));
        e = Sig(p.ProducerSignal).Prepare();
        p.WakeProducer();
        Assert.True(Sig(p.ProducerSignal).Wait(e, 0));
    }

    [Fact]
    public void A_producer_waiting_for_room_is_woken_once_the_queue_drained_to_half_its_capacity()
    {
        // libzmq's low-water mark: waking the producer at every take while it waits on a full queue
        // made a consumer slower than its producer pay a wake-up (and the producer a sleep) per message.
        var p = new Pipe(10) { ProducerSignal = new Signal() };
        for (int i = 0; i < 10; i++) Assert.True(p.TryPutSmall("x"u8));
        Assert.Null(p.TryReserve()); // full
        int e = Sig(p.ProducerSignal).Prepare();
        for (int i = 0; i < 4; i++)
        {
            Get(p);
            Assert.False(Sig(p.ProducerSignal).Wait(e, 0), $"woken at {p.Count} queued");
        }
        Get(p); // 5 left: half the capacity
        Assert.True(Sig(p.ProducerSignal).Wait(e, 0));
        // A consumer about to sleep wakes a waiting producer whatever the count (no deadlock above the mark).
        for (int i = 0; i < 5; i++) Assert.True(p.TryPutSmall("x"u8));
        e = Sig(p.ProducerSignal).Prepare();
        Get(p);
        Assert.False(Sig(p.ProducerSignal).Wait(e, 0));
        p.WakeProducer();
        Assert.True(Sig(p.ProducerSignal).Wait(e, 0));
    }

    [Fact]
    public void Commit_WakesASleepingConsumer()
    {
        var p = new Pipe(4) { ConsumerSignal = new Signal() };
        bool woke = false;
        var t = new Thread(() =>
        {
            while (true)
            {
                int e = Sig(p.ConsumerSignal).Prepare();
                if (!p.IsEmpty)
                {
                    Sig(p.ConsumerSignal).Cancel();
                    woke = true;
                    return;
                }
                Sig(p.ConsumerSignal).Wait(e, 5000);
            }
        }) { IsBackground = true };
        t.Start();
        Put(p, "x");
        Assert.True(t.Join(5000));
        Assert.True(woke);
    }

    [Fact]
    public void SingleProducerSingleConsumer_AcrossThreads_KeepsOrder()
    {
        const int N = 200_000;
        var p = new Pipe(64) { ConsumerSignal = new Signal(), ProducerSignal = new Signal() };
        var producer = new Thread(() =>
        {
            for (int i = 0; i < N; i++)
            {
                FrameSet? fs;
                while ((fs = p.TryReserve()) == null)
                {
                    int e = Sig(p.ProducerSignal).Prepare();
                    if ((fs = p.TryReserve()) != null) { Sig(p.ProducerSignal).Cancel(); break; }
                    Sig(p.ProducerSignal).Wait(e, 1000);
                }
                BitConverter.TryWriteBytes(fs.AddUninitialized(4), i);
                p.Commit();
            }
        }) { IsBackground = true };
        producer.Start();
        for (int i = 0; i < N; i++)
        {
            FrameSet? fs;
            while ((fs = p.Peek()) == null)
            {
                int e = Sig(p.ConsumerSignal).Prepare();
                if ((fs = p.Peek()) != null) { Sig(p.ConsumerSignal).Cancel(); break; }
                Assert.True(Sig(p.ConsumerSignal).Wait(e, 5000) || !p.IsEmpty, "consumer starved");
            }
            Assert.Equal(i, BitConverter.ToInt32(fs.Frame(0)));
            p.Release(1);
        }
        Assert.True(producer.Join(5000));
    }

    /// <summary>The pipe's waker as the socket's <see cref="Signal"/> these tests installed.</summary>
    private static Signal Sig(Zmq.Internal.Waker? w) => (Signal)w!;

    [Fact]
    public void Memory_FollowsWhatIsQueued_NotTheHighWaterMark()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var p = new Pipe(0); // a million messages allowed
        long empty = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(empty < 2048, $"an empty pipe took {empty} bytes");
        for (int i = 0; i < 500; i++) Put(p, "m" + i); // crosses several segments
        Assert.Equal(500, p.Count);
        for (int i = 0; i < 500; i++) Assert.Equal("m" + i, Get(p));
        Assert.True(p.IsEmpty);
    }

    [Fact]
    public void PeekAt_AcrossSegments()
    {
        var p = new Pipe(1000);
        for (int i = 0; i < 200; i++) Put(p, "m" + i);
        for (int i = 0; i < 70; i++) Get(p);
        Assert.Equal("m70"u8.ToArray(), p.PeekAt(0)!.Frame(0).ToArray());
        Assert.Equal("m199"u8.ToArray(), p.PeekAt(129)!.Frame(0).ToArray());
        Assert.Null(p.PeekAt(130));
        p.Release(100); // skips over a segment without looking at it
        Assert.Equal("m170", Get(p));
    }
}
