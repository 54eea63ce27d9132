using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Zmq.Internal;
using Zmq.Messages;

namespace Zmq.Pipes;

/// <summary>
/// A bounded single-producer single-consumer queue of messages between a socket and one peer; its
/// capacity is the high-water mark. It is a chain of segments of reusable <see cref="FrameSet"/>
/// slots: memory follows what is queued, not the high-water mark (an idle peer holds one segment),
/// and segments the consumer has passed are recycled to the producer, so steady traffic allocates
/// nothing. The producer publishes with one volatile write and wakes the consumer only when it
/// sleeps (and vice versa). The socket side is serialised by the socket's lock, the engine side by
/// its read or write ownership, which is what makes it single-producer single-consumer.
/// </summary>
internal sealed partial class Pipe
{
    /// <summary>The largest capacity (a high-water mark of 0 means this much).</summary>
    public const int MaxCapacity = 1 << 20;

    private sealed class Segment
    {
        public const int Size = 64; // a power of two
        public readonly FrameSet?[] Slots = new FrameSet?[Size];
        /// <summary>Per slot: 0 when its FrameSet holds the message, else a small one-frame message kept in <see cref="Bytes"/> (Pipe.Small.cs).</summary>
        public readonly int[] Small = new int[Size];
        public byte[] Bytes = [];   // small messages of this lap, back to back
        public int Fill;            // producer: bytes of Bytes used in this lap
        public long Base;           // the index of Slots[0]
        public Segment? Next;       // linked by the producer before it publishes an index in it
    }

    private Segment _headSeg;        // consumer: the segment holding index Head (moved lazily)
    private Segment _tailSeg;        // producer: the segment holding index Tail
    private readonly Lock _sparesLock = new();
    private Segment?[] _spares = [];
    private int _spareCount;
    private int _capacity;
    private Indices _idx;

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct Indices
    {
        // Each side's line holds what that side writes: the other side reads it only when its own
        // copy says the pipe is empty (consumer) or full (producer), not once per message.
        [FieldOffset(64)] public long Head;       // next slot to consume (written by the consumer)
        [FieldOffset(72)] public long KnownTail;  // consumer's last look at Tail (<= Tail)
        [FieldOffset(128)] public long Tail;      // next slot to produce (written by the producer)
        [FieldOffset(136)] public long KnownHead; // producer's last look at Head (<= Head)
    }

    public Pipe(int highWaterMark)
    {
        _capacity = Clamp(highWaterMark);
        _headSeg = _tailSeg = new Segment();
    }

    private static int Clamp(int highWaterMark) => highWaterMark <= 0 || highWaterMark > MaxCapacity ? MaxCapacity : highWaterMark;

    /// <summary>Woken when messages arrive while the consumer sleeps.</summary>
    public Waker? ConsumerSignal;

    /// <summary>Woken when room frees up while the producer sleeps.</summary>
    public Waker? ProducerSignal;

    public int Capacity => _capacity;

    /// <summary>
    /// Changes the high-water mark (0 = the largest capacity): inproc sizes a pipe made by a connect
    /// before the bind again once the binder's HWM is known, as libzmq does.
    /// </summary>
    public void SetCapacity(int highWaterMark) => Volatile.Write(ref _capacity, Clamp(highWaterMark));

    /// <summary>Messages queued (for a CONFLATE pipe, including the newest one held aside).</summary>
    public int Count => RingCount + (_conflation is { HasStaged: true } ? 1 : 0);

    private int RingCount => (int)(Volatile.Read(ref _idx.Tail) - Volatile.Read(ref _idx.Head));

    public bool IsEmpty => Volatile.Read(ref _idx.Tail) == Volatile.Read(ref _idx.Head);

    /// <summary>Producer side only: no room for another message (looks at the consumer's index only when its last look says full).</summary>
    public bool IsFull
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _idx.Tail - _idx.KnownHead >= _capacity && FullAfterLook();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FullAfterLook() => _idx.Tail - (_idx.KnownHead = Volatile.Read(ref _idx.Head)) >= _capacity;

    /// <summary>Consumer side only: something is queued (looks at the producer's index only when its last look says empty).</summary>
    public bool HasQueued
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _idx.Head < _idx.KnownTail || QueuedAfterLook(); // <, not !=: Clear (and a conflating producer) can move Head past the last look
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool QueuedAfterLook() => _idx.Head != (_idx.KnownTail = Volatile.Read(ref _idx.Tail));

    // ---- producer side ----

    /// <summary>The cleared slot at the tail to fill, or null when the pipe is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FrameSet? TryReserve()
    {
        if (IsFull) return _conflation is null ? null : ReserveDroppingOldest();
        return ReserveAtTail();
    }

    /// <summary>The tail slot even when the pipe is at its capacity (one message beyond the high-water mark: STREAM's connect and disconnect notices).</summary>
    public FrameSet ReserveBeyondCapacity() => _conflation is null ? ReserveAtTail() : TryReserve()!;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FrameSet ReserveAtTail()
    {
        ref var slot = ref TailSlot();
        var fs = slot ??= new FrameSet();
        fs.Clear();
        return fs;
    }

    /// <summary>The slot of index Tail, linking a new segment when the tail segment is used up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref FrameSet? TailSlot()
    {
        var seg = _tailSeg;
        long i = _idx.Tail - seg.Base;
        if (i == Segment.Size)
        {
            seg = LinkSegment(seg);
            i = 0;
        }
        seg.Small[(int)i] = 0; // the slot's FrameSet holds this message
        return ref seg.Slots[(int)i];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Segment LinkSegment(Segment full)
    {
        var next = TakeSpare() ?? new Segment();
        next.Base = full.Base + Segment.Size;
        next.Next = null;
        next.Fill = 0;
        Volatile.Write(ref full.Next, next); // before any index in it is published
        _tailSeg = next;
        return next;
    }

    /// <summary>
    /// Puts <paramref name="message"/> into the slot just reserved (<see cref="TryReserve"/>) instead of
    /// filling it, and returns the slot's own buffer in exchange: a message handed over without a copy.
    /// Then <see cref="Commit"/>.
    /// </summary>
    public FrameSet ExchangeReserved(FrameSet message)
    {
        ref var slot = ref TailSlot();
        var own = slot!;
        slot = message;
        return own;
    }

    /// <summary>Publishes the reserved slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Commit()
    {
        Volatile.Write(ref _idx.Tail, _idx.Tail + 1);
        Interlocked.MemoryBarrier();
        var s = ConsumerSignal;
        if (s != null && s.HasSleepers) s.Notify();
    }

    /// <summary>Publishes the reserved slot without waking anyone (the caller wakes once per batch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CommitQuiet() => Volatile.Write(ref _idx.Tail, _idx.Tail + 1);

    /// <summary>Wakes the consumer if it sleeps (after a batch of quiet commits).</summary>
    public void WakeConsumer()
    {
        Interlocked.MemoryBarrier();
        var s = ConsumerSignal;
        if (s != null && s.HasSleepers) s.Notify();
    }

    /// <summary>
    /// A connection starts serving this (outbound) pipe: a CONFLATE pipe hands it the newest
    /// message held aside while no connection was there.
    /// </summary>
    public void ConsumerAttached()
    {
        if (_conflation is not null) Refill();
    }

    // ---- consumer side ----

    /// <summary>The segment holding index <paramref name="head"/> (which is below Tail), recycling those passed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Segment HeadSegment(long head)
    {
        var seg = _headSeg;
        return head - seg.Base < Segment.Size ? seg : MoveHead(seg, head);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Segment MoveHead(Segment seg, long head)
    {
        while (head - seg.Base >= Segment.Size)
        {
            var next = Volatile.Read(ref seg.Next)!;
            Recycle(seg);
            seg = next;
        }
        _headSeg = seg;
        return seg;
    }

    /// <summary>The oldest message, or null when the pipe is empty. Stays queued until released (a small one is shown in a view valid until the next peek or release).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FrameSet? Peek()
    {
        if (!HasQueued) return null;
        long head = _idx.Head;
        var seg = HeadSegment(head);
        return SlotMessage(seg, (int)(head - seg.Base));
    }

    /// <summary>Peeks the message <paramref name="offset"/> places after the head, or null (as <see cref="Peek"/>: a small one in the one view).</summary>
    public FrameSet? PeekAt(long offset)
    {
        long head = _idx.Head;
        long pos = head + offset;
        if (pos >= Volatile.Read(ref _idx.Tail)) return null;
        var seg = HeadSegment(head);
        while (pos - seg.Base >= Segment.Size) seg = Volatile.Read(ref seg.Next)!;
        return SlotMessage(seg, (int)(pos - seg.Base));
    }

    /// <summary>Removes the head message and swaps <paramref name="replacement"/> into its slot (a small message is copied into <paramref name="replacement"/> instead, which is returned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FrameSet Take(FrameSet replacement)
    {
        long head = _idx.Head;
        var seg = HeadSegment(head);
        int i = (int)(head - seg.Base);
        if (seg.Small[i] != 0) return TakeSmall(seg, i, replacement);
        ref var slot = ref seg.Slots[i];
        var fs = slot!;
        replacement.Recycle();
        slot = replacement;
        Release(1);
        return fs;
    }

    /// <summary>Frees <paramref name="n"/> consumed slots and wakes a sleeping producer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Release(int n)
    {
        Volatile.Write(ref _idx.Head, _idx.Head + n);
        Interlocked.MemoryBarrier();
        var s = ProducerSignal;
        if (s != null && s.HasSleepers && RingCount <= _capacity / 2) s.Notify();
    }

    /// <summary>Frees slots without waking anyone (the caller wakes once per batch).</summary>
    public void ReleaseQuiet(int n) => Volatile.Write(ref _idx.Head, _idx.Head + n);

    public void WakeProducer()
    {
        if (_conflation is not null) Refill();
        Interlocked.MemoryBarrier();
        var s = ProducerSignal;
        if (s != null && s.HasSleepers) s.Notify();
    }

    /// <summary>Drops everything queued (consumer side). Returns how many messages were dropped.</summary>
    public int Clear()
    {
        if (_conflation is not null) return ClearConflated();
        int n = RingCount;
        if (n > 0) Release(n);
        return n;
    }

    // ---- segments passed by the consumer go back to the producer ----

    private void Recycle(Segment seg)
    {
        seg.Next = null;
        lock (_sparesLock)
        {
            // Enough to hold a full queue in steady state without allocating; beyond that, the GC's.
            int max = Math.Min(_capacity / Segment.Size + 2, 64);
            if (_spareCount >= max) return;
            if (_spareCount == _spares.Length) Array.Resize(ref _spares, Math.Max(4, _spares.Length * 2));
            _spares[_spareCount++] = seg;
        }
    }

    private Segment? TakeSpare()
    {
        lock (_sparesLock)
        {
            if (_spareCount == 0) return null;
            var seg = _spares[--_spareCount];
            _spares[_spareCount] = null;
            return seg;
        }
    }
}
