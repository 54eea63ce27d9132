using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Zmq.Internal;
using Zmq.Messages;

namespace Zmq.Pipes;

/// <summary>
/// A bounded single-producer single-consumer queue of messages between a socket and one peer; its
/// capacity is the high-water mark. Slots are reusable <see cref="FrameSet"/>s, so steady-state
/// traffic allocates nothing. The producer publishes with one volatile write and wakes the consumer
/// only when it sleeps (and vice versa). The socket side is serialised by the socket's lock, the
/// engine side by being one thread, which is what makes it single-producer single-consumer.
/// </summary>
internal sealed class Pipe
{
    private readonly FrameSet?[] _ring; // power-of-two length >= capacity, indexed with _mask
    private readonly int _mask;
    private int _capacity;
    private Indices _idx;

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct Indices
    {
        [FieldOffset(64)] public long Head; // next slot to consume (written by the consumer)
        [FieldOffset(128)] public long Tail; // next slot to produce (written by the producer)
    }

    public Pipe(int highWaterMark)
    {
        _capacity = highWaterMark <= 0 || highWaterMark > 1 << 20 ? 1 << 20 : highWaterMark;
        _ring = new FrameSet?[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)_capacity)];
        _mask = _ring.Length - 1;
    }

    /// <summary>Woken when messages arrive while the consumer sleeps.</summary>
    public Waker? ConsumerSignal;

    /// <summary>Woken when room frees up while the producer sleeps.</summary>
    public Waker? ProducerSignal;

    public int Capacity => _capacity;

    /// <summary>
    /// Changes the high-water mark (0 = as much as the ring holds), at most to the ring's length:
    /// inproc sizes a pipe made by a connect before the bind again once the binder's HWM is known,
    /// as libzmq does.
    /// </summary>
    public void SetCapacity(int highWaterMark) =>
        Volatile.Write(ref _capacity, highWaterMark <= 0 ? _ring.Length : Math.Min(highWaterMark, _ring.Length));

    /// <summary>Messages queued (for a CONFLATE pipe, including the newest one held aside).</summary>
    public int Count => RingCount + (_conflation is { HasStaged: true } ? 1 : 0);

    private int RingCount => (int)(Volatile.Read(ref _idx.Tail) - Volatile.Read(ref _idx.Head));

    public bool IsEmpty => Volatile.Read(ref _idx.Tail) == Volatile.Read(ref _idx.Head);

    public bool IsFull => _idx.Tail - Volatile.Read(ref _idx.Head) >= _capacity;

    // ---- producer side ----

    /// <summary>The cleared slot at the tail to fill, or null when the pipe is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FrameSet? TryReserve()
    {
        long tail = _idx.Tail;
        if (tail - Volatile.Read(ref _idx.Head) >= _capacity) return _conflation is null ? null : ReserveDroppingOldest();
        ref var slot = ref _ring[(int)tail & _mask];
        var fs = slot ??= new FrameSet();
        fs.Clear();
        return fs;
    }

    /// <summary>
    /// A connection starts serving this (outbound) pipe: a CONFLATE pipe hands it the newest
    /// message held aside while no connection was there.
    /// </summary>
    public void ConsumerAttached()
    {
        if (_conflation is not null) Refill();
    }

    /// <summary>
    /// Puts <paramref name="message"/> into the slot just reserved (<see cref="TryReserve"/>) instead of
    /// filling it, and returns the slot's own buffer in exchange: a message handed over without a copy.
    /// Then <see cref="Commit"/>.
    /// </summary>
    public FrameSet ExchangeReserved(FrameSet message)
    {
        ref var slot = ref _ring[(int)_idx.Tail & _mask];
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

    // ---- consumer side ----

    /// <summary>The oldest message, or null when the pipe is empty. Stays queued until released.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FrameSet? Peek()
    {
        long head = _idx.Head;
        if (head == Volatile.Read(ref _idx.Tail)) return null;
        return _ring[(int)head & _mask];
    }

    /// <summary>Peeks the message <paramref name="offset"/> places after the head, or null.</summary>
    public FrameSet? PeekAt(long offset)
    {
        long pos = _idx.Head + offset;
        if (pos >= Volatile.Read(ref _idx.Tail)) return null;
        return _ring[(int)pos & _mask];
    }

    /// <summary>Removes the head message and swaps <paramref name="replacement"/> into its slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FrameSet Take(FrameSet replacement)
    {
        ref var slot = ref _ring[(int)_idx.Head & _mask];
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
        if (s != null && s.HasSleepers) s.Notify();
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

    // ---- CONFLATE: used only by conflating pipes; the ring's hot path above only tests for it where it would fail ----

    private Conflation? _conflation;

    private sealed class Conflation(bool consumerLocks)
    {
        public readonly Lock Lock = new();

        /// <summary>The consumer reads only under <see cref="Lock"/> (<see cref="TakeNewest"/>), so a producer may drop the oldest message.</summary>
        public readonly bool ConsumerLocks = consumerLocks;

        /// <summary>The newest message, waiting for the ring to empty (it is newer than anything in the ring).</summary>
        public FrameSet? Staged;
        public bool HasStaged;

        /// <summary>The buffer a conflating producer fills next (owned by the producer).</summary>
        public FrameSet? Spare;
    }

    /// <summary>True for a CONFLATE pipe: only the newest message is kept.</summary>
    public bool IsConflating => _conflation is not null;

    /// <summary>
    /// Makes this pipe conflating: from now on only the newest message waits in it. With
    /// <paramref name="consumerLocks"/> the consumer is socket code that reads through
    /// <see cref="TakeNewest"/>, and a producer that finds the pipe full (e.g. an engine's reader)
    /// drops the oldest message instead of waiting. Without it (the consumer is an engine's writer,
    /// which reads lock-free) producers must write through <see cref="ReserveConflated"/> and
    /// <see cref="CommitConflated"/>, which hold the newest message aside until the ring has room.
    /// </summary>
    public void EnableConflate(bool consumerLocks) => Interlocked.CompareExchange(ref _conflation, new Conflation(consumerLocks), null);

    /// <summary>Producer side of a full conflating pipe: drops the oldest message when the consumer locks, else reports full.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private FrameSet? ReserveDroppingOldest()
    {
        var c = _conflation!;
        if (!c.ConsumerLocks) return null;
        lock (c.Lock)
        {
            long head = _idx.Head;
            if (_idx.Tail - head >= _capacity) Volatile.Write(ref _idx.Head, head + 1);
        }
        long tail = _idx.Tail;
        ref var slot = ref _ring[(int)tail & _mask];
        var fs = slot ??= new FrameSet();
        fs.Clear();
        return fs;
    }

    /// <summary>CONFLATE producer: a cleared buffer to fill with the next message, then call <see cref="CommitConflated"/>.</summary>
    public FrameSet ReserveConflated()
    {
        var c = _conflation!;
        var fs = c.Spare ??= new FrameSet();
        fs.Clear();
        return fs;
    }

    /// <summary>
    /// CONFLATE producer: publishes the buffer filled after <see cref="ReserveConflated"/>. It goes
    /// into the ring when the ring is empty and <paramref name="consumerActive"/> (a connection is
    /// serving the pipe, so the ring's message is as good as in flight); otherwise it replaces any
    /// message set aside earlier, which moves into the ring once the consumer has taken what the
    /// ring holds (or once a connection starts serving the pipe). Never blocks.
    /// </summary>
    public void CommitConflated(bool consumerActive)
    {
        var c = _conflation!;
        lock (c.Lock)
        {
            var message = c.Spare!;
            long tail = _idx.Tail;
            if ((consumerActive || c.ConsumerLocks) && tail == Volatile.Read(ref _idx.Head))
            {
                ref var slot = ref _ring[(int)tail & _mask];
                c.Spare = slot ?? new FrameSet();
                slot = message;
                c.HasStaged = false; // anything set aside is older than this message
                Volatile.Write(ref _idx.Tail, tail + 1);
            }
            else
            {
                c.Spare = c.Staged ?? new FrameSet();
                c.Staged = message;
                c.HasStaged = true;
            }
        }
        Interlocked.MemoryBarrier();
        var s = ConsumerSignal;
        if (s != null && s.HasSleepers) s.Notify();
    }

    /// <summary>Consumer side (after releasing, or a new connection): moves the message set aside into the empty ring.</summary>
    private void Refill()
    {
        var c = _conflation!;
        lock (c.Lock)
        {
            long tail = _idx.Tail;
            if (!c.HasStaged || tail != Volatile.Read(ref _idx.Head)) return;
            ref var slot = ref _ring[(int)tail & _mask];
            var staged = c.Staged!;
            c.Staged = slot ?? new FrameSet();
            slot = staged;
            c.HasStaged = false;
            Volatile.Write(ref _idx.Tail, tail + 1);
        }
    }

    /// <summary>
    /// CONFLATE consumer (socket side): removes and returns the newest message, dropping any older
    /// ones, and puts <paramref name="replacement"/> in its place; null when the pipe is empty.
    /// </summary>
    public FrameSet? TakeNewest(FrameSet replacement)
    {
        var c = _conflation!;
        lock (c.Lock)
        {
            if (c.HasStaged)
            {
                // The message set aside is newer than anything in the ring.
                var newest = c.Staged!;
                replacement.Recycle();
                c.Staged = replacement;
                c.HasStaged = false;
                int queued = RingCount;
                if (queued > 0) Release(queued);
                return newest;
            }
            int n = RingCount;
            if (n == 0) return null;
            if (n > 1) ReleaseQuiet(n - 1);
            return Take(replacement);
        }
    }

    private int ClearConflated()
    {
        var c = _conflation!;
        lock (c.Lock)
        {
            int n = RingCount + (c.HasStaged ? 1 : 0);
            c.HasStaged = false;
            int queued = RingCount;
            if (queued > 0) Release(queued);
            return n;
        }
    }
}
