using System.Numerics;
using System.Runtime.CompilerServices;
using Zmq.Messages;

namespace Zmq.Pipes;

/// <summary>
/// Small messages (up to <see cref="SmallFrames"/> frames, <see cref="SmallMax"/> bytes in all) travel
/// inside the segment, back to back in its byte buffer (each frame as a length byte and its
/// bytes), instead of in the slot's <see cref="FrameSet"/>. A FrameSet swapped between producer
/// and consumer costs three cache lines moving between cores per message (the object, its data,
/// its frame ends); a small message written in place costs the bytes it takes, in lines the next
/// messages share, and the consumer copies it into a FrameSet of its own. Measured with two
/// threads on the bare pipe (1 B, the consumer reading what it takes): about 17 M msg/s with
/// swapped FrameSets, 45 M/s without touching them.
/// </summary>
internal sealed partial class Pipe
{
    /// <summary>The most bytes (all frames together) of a message that travels inside the segment.</summary>
    public const int SmallMax = 64;

    /// <summary>The most frames of a message that travels inside the segment (REQ/REP's delimiter and body, a short envelope).</summary>
    public const int SmallFrames = 4;

    private const int SmallRecordMax = SmallMax + SmallFrames;
    private const int SmallBytesMin = 256;
    private const int SmallBytesMax = Segment.Size * SmallRecordMax;

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
        if (frame.Length > SmallMax || !TryReserveSmall(frame.Length + 1, out var seg, out int i, out int at)) return false;
        var bytes = seg.Bytes;
        bytes[at] = (byte)frame.Length;
        frame.CopyTo(new Span<byte>(bytes, at + 1, frame.Length));
        PublishSmall(seg, i, at, frame.Length + 1);
        return true;
    }

    /// <summary>As <see cref="TryPutSmall(ReadOnlySpan{byte})"/> for frames [<paramref name="first"/>, Count) of <paramref name="message"/>; false also when they are too many or too long.</summary>
    public bool TryPutSmall(in OutFrames message, int first)
    {
        int n = message.Count - first;
        if (n == 1) return TryPutSmall(message[first]);
        if (n > SmallFrames || n < 1) return false;
        int record = n;
        for (int f = first; f < message.Count; f++) record += message[f].Length;
        if (record > SmallRecordMax || !TryReserveSmall(record, out var seg, out int i, out int at)) return false;
        var bytes = seg.Bytes;
        int pos = at;
        for (int f = first; f < message.Count; f++)
        {
            var frame = message[f];
            bytes[pos++] = (byte)frame.Length;
            frame.CopyTo(new Span<byte>(bytes, pos, frame.Length));
            pos += frame.Length;
        }
        PublishSmall(seg, i, at, record);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReserveSmall(int record, out Segment seg, out int i, out int at)
    {
        seg = _tailSeg;
        i = 0;
        at = 0;
        if (_conflation is not null || IsFull) return false;
        long index = _idx.Tail - seg.Base;
        if (index == Segment.Size)
        {
            seg = LinkSegment(seg);
            index = 0;
        }
        i = (int)index;
        at = seg.Fill;
        return at + record <= seg.Bytes.Length || GrowSmall(seg, at + record);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PublishSmall(Segment seg, int i, int at, int record)
    {
        seg.Fill = at + record;
        seg.Small[i] = (at << 8) | record; // record >= 1 (a length byte), so never 0
        Commit();
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

    /// <summary>Copies the small message of <paramref name="small"/> (its slot's mark) into <paramref name="into"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopySmall(Segment seg, int small, FrameSet into)
    {
        into.Clear();
        var bytes = seg.Bytes;
        int pos = small >> 8, end = pos + (small & 0xFF);
        while (pos < end)
        {
            int len = bytes[pos++];
            into.Add(new ReadOnlySpan<byte>(bytes, pos, len));
            pos += len;
        }
    }

    /// <summary>
    /// Consumer side: 1 when the oldest message is a small one (<paramref name="record"/>: each frame
    /// as a length byte and its bytes, valid until it is released), 0 when it is in a slot (use
    /// <see cref="Peek"/>), -1 when the pipe is empty. Lets a writer encode it without a copy first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PeekSmall(out ReadOnlySpan<byte> record)
    {
        record = default;
        if (!HasQueued) return -1;
        long head = _idx.Head;
        var seg = HeadSegment(head);
        int small = seg.Small[(int)(head - seg.Base)];
        if (small == 0) return 0;
        record = new ReadOnlySpan<byte>(seg.Bytes, small >> 8, small & 0xFF);
        return 1;
    }

    /// <summary>Consumer: what <see cref="Peek"/> shows of a small message (valid until the next peek or release).</summary>
    private FrameSet? _smallView;

    /// <summary>
    /// Consumer side: the message of slot <paramref name="i"/>; a small one is copied into the
    /// consumer's one view (not the slot's FrameSet: slots that carry only small messages never
    /// get one, so a deep queue of them holds just its bytes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FrameSet SlotMessage(Segment seg, int i)
    {
        int small = seg.Small[i];
        if (small == 0) return seg.Slots[i]!;
        var fs = _smallView ??= new FrameSet();
        CopySmall(seg, small, fs);
        return fs;
    }

    private FrameSet TakeSmall(Segment seg, int i, FrameSet into)
    {
        CopySmall(seg, seg.Small[i], into);
        Release(1);
        return into;
    }
}
