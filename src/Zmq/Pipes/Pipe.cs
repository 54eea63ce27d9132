using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Zmq.Internal;
using Zmq.Messages;

namespace Zmq.Pipes;

/// <summary>A consumer that, woken by a commit, may consume right away on the producer's thread.</summary>
internal interface IInlineConsumer
{
    void ConsumeOrWake();
}

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
    private readonly int _capacity;
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
    public Signal? ConsumerSignal;

    /// <summary>Woken when room frees up while the producer sleeps.</summary>
    public Signal? ProducerSignal;

    public int Capacity => _capacity;

    public int Count => (int)(Volatile.Read(ref _idx.Tail) - Volatile.Read(ref _idx.Head));

    public bool IsEmpty => Volatile.Read(ref _idx.Tail) == Volatile.Read(ref _idx.Head);

    public bool IsFull => _idx.Tail - Volatile.Read(ref _idx.Head) >= _capacity;

    // ---- producer side ----

    /// <summary>The cleared slot at the tail to fill, or null when the pipe is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public FrameSet? TryReserve()
    {
        long tail = _idx.Tail;
        if (tail - Volatile.Read(ref _idx.Head) >= _capacity) return null;
        ref var slot = ref _ring[(int)tail & _mask];
        var fs = slot ??= new FrameSet();
        fs.Clear();
        return fs;
    }

    /// <summary>When set, a sleeping consumer is handed the wake-up (it may consume on the caller's thread).</summary>
    public IInlineConsumer? InlineConsumer;

    /// <summary>Publishes the reserved slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Commit()
    {
        Volatile.Write(ref _idx.Tail, _idx.Tail + 1);
        Interlocked.MemoryBarrier();
        var s = ConsumerSignal;
        if (s != null && s.HasSleepers)
        {
            var inline = InlineConsumer;
            if (inline != null) inline.ConsumeOrWake();
            else s.Notify();
        }
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
        Interlocked.MemoryBarrier();
        var s = ProducerSignal;
        if (s != null && s.HasSleepers) s.Notify();
    }

    /// <summary>Drops everything queued (consumer side). Returns how many messages were dropped.</summary>
    public int Clear()
    {
        int n = Count;
        if (n > 0) Release(n);
        return n;
    }
}
