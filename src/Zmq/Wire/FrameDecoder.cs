using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Zmq.Wire;

/// <summary>What one step of <see cref="FrameDecoder"/> found.</summary>
internal enum DecodeStep : byte
{
    /// <summary>The input is used up: every byte was consumed (a partial header is kept inside the decoder).</summary>
    NeedMore,
    /// <summary>A whole frame, header and body, was in the input: the body is at the given offset.</summary>
    Frame,
    /// <summary>A frame header whose body does not fit in the input: its body follows as <see cref="BodyChunk"/>s.</summary>
    FrameStart,
    /// <summary>The next piece of the current frame's body; <see cref="FrameDecoder.InBody"/> is false after the last.</summary>
    BodyChunk,
}

/// <summary>
/// The ZMTP 3.x framing grammar (RFC 37, "Framing") as a state machine over bytes, knowing nothing
/// of sockets: <c>frame = flags (short-size / long-size) body</c>, where flags bit 0 is MORE, bit 1
/// LONG (an 8-byte big-endian size follows instead of one byte) and bit 2 COMMAND; the other bits
/// are reserved and ignored, as libzmq ignores them. Input can be split anywhere: header bytes that
/// arrive in pieces are kept in the decoder, bodies are handed out in chunks. A frame whose header
/// and body are both in the input comes out whole (<see cref="DecodeStep.Frame"/>), the fast path
/// that lets a caller parse every complete frame of a large read without copying.
/// </summary>
internal struct FrameDecoder
{
    private enum State : byte
    {
        Flags,
        ShortSize,
        LongSize,
        Body,
    }

    /// <summary>Largest body accepted: larger sizes cannot be held in memory (nor in a .NET array).</summary>
    public const long MaxBodySize = int.MaxValue - 64;

    private State _state;
    private byte _flags;
    private int _longBytes;   // bytes of long-size read so far
    private ulong _longSize;  // long-size assembled so far
    private long _remaining;  // body bytes still to come

    /// <summary>MAXMSGSIZE: a frame whose body is larger is refused (-1: no limit).</summary>
    public long MaxFrameSize;

    public FrameDecoder(long maxFrameSize)
    {
        this = default;
        MaxFrameSize = maxFrameSize;
    }

    /// <summary>The flags of the frame last announced (by <see cref="DecodeStep.Frame"/> or <see cref="DecodeStep.FrameStart"/>).</summary>
    public readonly byte Flags => _flags;

    /// <summary>The body size of the frame last announced.</summary>
    public long Size { readonly get; private set; }

    /// <summary>True between a <see cref="DecodeStep.FrameStart"/> and the chunk that ends its body.</summary>
    public readonly bool InBody => _state == State.Body;

    /// <summary>Body bytes of the current frame still to come.</summary>
    public readonly long Remaining => _remaining;

    /// <summary>True when no partial header is held: the next byte starts a frame.</summary>
    public readonly bool AtFrameBoundary => _state == State.Flags;

    public readonly bool IsMore => (_flags & Zmtp.FlagMore) != 0;

    public readonly bool IsCommand => (_flags & Zmtp.FlagCommand) != 0;

    /// <summary>
    /// Consumes bytes from the start of <paramref name="input"/>: returns what it found and how
    /// many bytes it took (<paramref name="consumed"/>). For <see cref="DecodeStep.Frame"/> and
    /// <see cref="DecodeStep.BodyChunk"/> the body bytes are
    /// <c>input[bodyOffset .. bodyOffset + bodyLength]</c>, inside the consumed range.
    /// </summary>
    /// <exception cref="ZmtpException">A size out of range or above <see cref="MaxFrameSize"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public DecodeStep Next(ReadOnlySpan<byte> input, out int consumed, out int bodyOffset, out int bodyLength)
    {
        if (_state == State.Flags && input.Length >= 2 && (input[0] & Zmtp.FlagLong) == 0)
        {
            // Fast path: a short frame header at hand.
            byte flags = input[0];
            int size = input[1];
            if (MaxFrameSize >= 0 && size > MaxFrameSize) throw TooLarge(size);
            _flags = flags;
            Size = size;
            bodyOffset = 2;
            if (input.Length - 2 >= size)
            {
                consumed = 2 + size;
                bodyLength = size;
                return DecodeStep.Frame;
            }
            consumed = 2;
            bodyLength = 0;
            _remaining = size;
            _state = State.Body;
            return DecodeStep.FrameStart;
        }
        return NextSlow(input, out consumed, out bodyOffset, out bodyLength);
    }

    private DecodeStep NextSlow(ReadOnlySpan<byte> input, out int consumed, out int bodyOffset, out int bodyLength)
    {
        int pos = 0;
        bodyOffset = bodyLength = 0;
        while (true)
        {
            switch (_state)
            {
                case State.Flags:
                    if (pos == input.Length)
                    {
                        consumed = pos;
                        return DecodeStep.NeedMore;
                    }
                    _flags = input[pos++];
                    if ((_flags & Zmtp.FlagLong) != 0)
                    {
                        _state = State.LongSize;
                        _longBytes = 0;
                        _longSize = 0;
                        // Whole long header at hand: read it at once.
                        if (input.Length - pos >= 8)
                        {
                            _longSize = BinaryPrimitives.ReadUInt64BigEndian(input.Slice(pos));
                            _longBytes = 8;
                            pos += 8;
                            return Announce(input, pos, _longSize, out consumed, out bodyOffset, out bodyLength);
                        }
                    }
                    else
                    {
                        _state = State.ShortSize;
                    }
                    break;

                case State.ShortSize:
                    if (pos == input.Length)
                    {
                        consumed = pos;
                        return DecodeStep.NeedMore;
                    }
                    return Announce(input, pos + 1, input[pos], out consumed, out bodyOffset, out bodyLength);

                case State.LongSize:
                    while (_longBytes < 8)
                    {
                        if (pos == input.Length)
                        {
                            consumed = pos;
                            return DecodeStep.NeedMore;
                        }
                        _longSize = (_longSize << 8) | input[pos++];
                        _longBytes++;
                    }
                    return Announce(input, pos, _longSize, out consumed, out bodyOffset, out bodyLength);

                default: // Body
                    if (pos == input.Length)
                    {
                        consumed = pos;
                        return DecodeStep.NeedMore;
                    }
                    int take = (int)Math.Min(_remaining, input.Length - pos);
                    bodyOffset = pos;
                    bodyLength = take;
                    _remaining -= take;
                    if (_remaining == 0) _state = State.Flags;
                    consumed = pos + take;
                    return DecodeStep.BodyChunk;
            }
        }
    }

    /// <summary>The header ends at <paramref name="pos"/>: the frame comes out whole, or starts.</summary>
    private DecodeStep Announce(ReadOnlySpan<byte> input, int pos, ulong size, out int consumed, out int bodyOffset, out int bodyLength)
    {
        if (size > MaxBodySize) throw new ZmtpException($"frame size {size} is out of range");
        if (MaxFrameSize >= 0 && (long)size > MaxFrameSize) throw TooLarge((long)size);
        Size = (long)size;
        bodyOffset = pos;
        if ((ulong)(input.Length - pos) >= size)
        {
            _state = State.Flags;
            bodyLength = (int)size;
            consumed = pos + (int)size;
            return DecodeStep.Frame;
        }
        _state = State.Body;
        _remaining = (long)size;
        bodyLength = 0;
        consumed = pos;
        return DecodeStep.FrameStart;
    }

    /// <summary>
    /// The caller received <paramref name="count"/> body bytes itself (e.g. straight into the
    /// message's buffer, for a frame larger than its read buffer): counts them as consumed.
    /// </summary>
    public void SkipBody(long count)
    {
        if (_state != State.Body || count > _remaining) throw new InvalidOperationException("no body of that size is pending");
        _remaining -= count;
        if (_remaining == 0) _state = State.Flags;
    }

    private ZmtpException TooLarge(long size) => new($"frame of {size} bytes exceeds MAXMSGSIZE {MaxFrameSize}");
}
