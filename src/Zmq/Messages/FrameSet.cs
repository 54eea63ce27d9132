using System.Runtime.CompilerServices;

namespace Zmq.Messages;

/// <summary>What a queued message is: application data, or a subscription change for the wire.</summary>
internal enum FrameSetKind : byte
{
    Data = 0,
    /// <summary>Outbound subscription: frame 0 is the topic. Encoded as SUBSCRIBE (3.1) or 01+topic (3.0).</summary>
    Subscribe = 1,
    /// <summary>Outbound cancel: frame 0 is the topic. Encoded as CANCEL (3.1) or 00+topic (3.0).</summary>
    Cancel = 2,
}

/// <summary>
/// The frames of one message packed into one reusable buffer: the unit stored in a pipe slot and
/// held by a <see cref="Message"/>. Buffers grow once and are then reused, so steady-state traffic
/// allocates nothing. A slot and a message exchange FrameSets instead of copying bytes.
/// </summary>
internal sealed class FrameSet
{
    /// <summary>Buffers above this size are released after use rather than kept in a slot.</summary>
    public const int RetainLimit = 256 * 1024;

    public byte[] Data = [];
    public int Length;
    public int Count;
    public int[] Ends = new int[4];
    public FrameSetKind Kind;
    /// <summary>The receiving connection's properties (User-Id, Peer-Address, ...); null for inproc and outbound messages.</summary>
    public PeerProperties? Properties;

    public void Clear()
    {
        Length = 0;
        Count = 0;
        Kind = FrameSetKind.Data;
        Properties = null;
    }

    /// <summary>Clears and drops an oversized buffer so idle slots do not pin memory.</summary>
    public void Recycle()
    {
        Clear();
        if (Data.Length > RetainLimit) Data = [];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Start(int index) => index == 0 ? 0 : Ends[index - 1];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Frame(int index)
    {
        int start = index == 0 ? 0 : Ends[index - 1];
        return new ReadOnlySpan<byte>(Data, start, Ends[index] - start);
    }

    public ReadOnlyMemory<byte> FrameMemory(int index)
    {
        int start = Start(index);
        return new ReadOnlyMemory<byte>(Data, start, Ends[index] - start);
    }

    public int FrameLength(int index) => Ends[index] - Start(index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ReadOnlySpan<byte> frame)
    {
        int end = Length + frame.Length;
        if (end > Data.Length) Grow(end);
        frame.CopyTo(new Span<byte>(Data, Length, frame.Length));
        Close(end);
    }

    /// <summary>Appends a frame of <paramref name="size"/> bytes and returns its body to fill.</summary>
    public Span<byte> AddUninitialized(int size)
    {
        int start = Length;
        int end = start + size;
        if (end > Data.Length) Grow(end);
        Close(end);
        return new Span<byte>(Data, start, size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Close(int end)
    {
        if (Count == Ends.Length) Array.Resize(ref Ends, Ends.Length * 2);
        Ends[Count++] = end;
        Length = end;
    }

    private void Grow(int needed)
    {
        int size = Math.Max(needed, Math.Max(256, Data.Length * 2));
        if (needed <= RetainLimit) size = Math.Min(size, Math.Max(needed, RetainLimit));
        var next = GC.AllocateUninitializedArray<byte>(size);
        Buffer.BlockCopy(Data, 0, next, 0, Length);
        Data = next;
    }

    /// <summary>Copies all frames of <paramref name="source"/> after the current ones.</summary>
    public void AddFrom(FrameSet source, int firstFrame)
    {
        for (int i = firstFrame; i < source.Count; i++) Add(source.Frame(i));
    }
}
