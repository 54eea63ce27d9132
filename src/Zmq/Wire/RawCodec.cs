using Zmq.Messages;

namespace Zmq.Wire;

/// <summary>
/// No framing at all (STREAM, libzmq's raw engine): a message's bytes go out as they are, frame
/// after frame, with no header; there are no commands (no heartbeats, no subscriptions) to write.
/// </summary>
internal sealed class RawCodec : IFrameCodec
{
    public static readonly RawCodec Instance = new();

    public int EncodedSize(FrameSet message) => message.Length;

    public int Encode(FrameSet message, Span<byte> dest)
    {
        new ReadOnlySpan<byte>(message.Data, 0, message.Length).CopyTo(dest);
        return message.Length;
    }

    public bool TryEncode(FrameSet message, Span<byte> dest, out int written)
    {
        written = 0;
        if (message.Length > dest.Length) return false;
        written = Encode(message, dest);
        return true;
    }

    public int FrameSize(int bodyLength) => bodyLength;

    public int WriteFrame(Span<byte> dest, bool more, ReadOnlySpan<byte> body)
    {
        body.CopyTo(dest);
        return body.Length;
    }

    public int CommandSize(int nameLength, int dataLength) => 0;

    public int WriteCommand(Span<byte> dest, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data) => 0;

    public string? Open(ref byte flags, Span<byte> body, out int payloadStart, out int payloadLength, out ZmqProtocolError code)
    {
        payloadStart = 0;
        payloadLength = body.Length;
        code = default;
        return null;
    }
}
