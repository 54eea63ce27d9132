using System.Numerics;
using System.Runtime.CompilerServices;
using Zmq.Messages;

namespace Zmq.Pipes;

/// <summary>
/// Small one-frame messages travel inside the segment, back to back in its byte buffer, instead of
/// in the slot's <see cref="FrameSet"/>. A FrameSet swapped between producer and consumer costs
/// three cache lines moving between cores per message (the object, its data, its frame ends); a
/// small message written in place costs the bytes it takes, in lines the next messages share, and
/// the consumer copies it into a FrameSet of its own. Measured with two threads on the bare pipe
/// (1 B, the consumer reading what it takes): about 17 M msg/s with swapped FrameSets.
/// </summary>
internal sealed partial class Pipe
{
    /// <summary>The largest frame that travels inside the segment.</summary>
    public const int SmallMax = 64;

    private const int SmallBytesMin = 256;
    private const int SmallBytesMax = Segment.Size * SmallMax;

    /// <summary>Producer: the buffer size the next lap of a segment should have (what the last one wanted).</summary>
    private int _smallWanted = SmallBytesMin;

    /// <summary>
    /// Producer side: queues a one-frame message of at most <see cref="SmallMax"/> bytes and publishes
    /// it (as <see cref="Commit"/>). False when the pipe is full, conflates, or this segment's buffer
    /// has no room left in this lap (then queue it in a slot as usual).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPutSmall(ReadOnlySpan<byte> frame)
    {
        if (_conflation is not null || IsFull) return false;
        var seg = _tailSeg;
        long i = _idx.Tail - seg.Base;
        if (i == Segment.Size)
        {
            seg = LinkSegment(seg);
            i = 0;
        }
        int at = seg.Fill;
        int end = at + frame.Length;
        if (end > seg.Bytes.Length && !GrowSmall(seg, end)) return false;
        frame.CopyTo(new Span<byte>(seg.Bytes, at, frame.Length));
        seg.Fill = end;
        seg.Small[(int)i] = (at << 8) | (frame.Length + 1);
        Commit();
        return true;
    }

    /// <summary>
    /// A buffer can be replaced only before anything of this lap is in it (the consumer may be
    /// reading it otherwise); later, the message goes in a slot and the next lap gets the size.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool GrowSmall(Segment seg, int needed)
    {
        if (seg.Fill != 0)
        {
            _smallWanted = Math.Min(SmallBytesMax, Math.Max(_smallWanted, (int)BitOperations.RoundUpToPowerOf2((uint)needed) * 2));
            return false;
        }
        seg.Bytes = new byte[Math.Min(SmallBytesMax, Math.Max(_smallWanted, (int)BitOperations.RoundUpToPowerOf2((uint)needed)))];
        return true;
    }

    /// <summary>Consumer side: the message of slot <paramref name="i"/>, a small one first copied into the slot's own FrameSet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FrameSet SlotMessage(Segment seg, int i)
    {
        int small = seg.Small[i];
        if (small == 0) return seg.Slots[i]!;
        var fs = seg.Slots[i] ??= new FrameSet();
        fs.Clear();
        fs.Add(new ReadOnlySpan<byte>(seg.Bytes, small >> 8, (small & 0xFF) - 1));
        return fs;
    }

    private FrameSet TakeSmall(Segment seg, int i, FrameSet into)
    {
        int small = seg.Small[i];
        into.Clear();
        into.Add(new ReadOnlySpan<byte>(seg.Bytes, small >> 8, (small & 0xFF) - 1));
        Release(1);
        return into;
    }
}
