using System.Runtime.CompilerServices;
using Zmq.Messages;

namespace Zmq.Pipes;

/// <summary>CONFLATE: a pipe that keeps only the newest message (ZMQ_CONFLATE), on top of the queue in Pipe.cs.</summary>
internal sealed partial class Pipe
{
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
        return ReserveAtTail();
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
                ref var slot = ref TailSlot();
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
            ref var slot = ref TailSlot();
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
