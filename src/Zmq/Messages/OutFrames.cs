using System.Runtime.CompilerServices;

namespace Zmq.Messages;

/// <summary>
/// The frames of a message being sent, whatever the caller passed them as (one span, arrays,
/// memories or a <see cref="Message"/>), without copying or allocating.
/// </summary>
internal readonly ref struct OutFrames
{
    private readonly ReadOnlySpan<byte> _single;
    private readonly ReadOnlySpan<byte[]> _arrays;
    private readonly ReadOnlySpan<ReadOnlyMemory<byte>> _memories;
    private readonly Message? _message;
    private readonly byte _kind; // 0 single, 1 arrays, 2 memories, 3 message, 4 message to take over

    public OutFrames(ReadOnlySpan<byte> single)
    {
        _single = single;
        _kind = 0;
        Count = 1;
    }

    public OutFrames(ReadOnlySpan<byte[]> arrays)
    {
        _arrays = arrays;
        _kind = 1;
        Count = arrays.Length;
    }

    public OutFrames(ReadOnlySpan<ReadOnlyMemory<byte>> memories)
    {
        _memories = memories;
        _kind = 2;
        Count = memories.Length;
    }

    public OutFrames(Message message, bool takeOver = false)
    {
        _message = message;
        _kind = takeOver ? (byte)4 : (byte)3;
        Count = message.Count;
    }

    /// <summary>The message whose buffer may be taken over instead of copied (<see cref="Socket.SendAndDispose"/>), or null.</summary>
    public Message? TakeOver => _kind == 4 && _message!.CanHandOver ? _message : null;

    public int Count { get; }

    /// <summary>The routing id carried by the message (SERVER, PEER), or 0 when there is none (sent from bytes, or unset).</summary>
    public uint RoutingId => _message?.RoutingId ?? 0;

    public ReadOnlySpan<byte> this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _kind switch
        {
            0 => _single,
            1 => _arrays[index],
            2 => _memories[index].Span,
            _ => _message!.GetSpan(index),
        };
    }

    /// <summary>Copies frames [<paramref name="first"/>, Count) into <paramref name="dest"/>.</summary>
    public void CopyTo(FrameSet dest, int first = 0)
    {
        if (_kind == 0)
        {
            if (first == 0) dest.Add(_single);
            return;
        }
        for (int i = first; i < Count; i++) dest.Add(this[i]);
    }
}
