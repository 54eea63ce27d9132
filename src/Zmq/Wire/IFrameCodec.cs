using Zmq.Messages;

namespace Zmq.Wire;

/// <summary>
/// How one connection writes messages and commands after its handshake, and reads frames back:
/// as plain ZMTP frames (<see cref="PlainCodec"/>, NULL and PLAIN), or each frame sealed in a
/// CURVE MESSAGE box (Security/CurveCodec). A codec instance belongs to one connection; its write
/// side is used by whoever owns the connection's writing at the moment, one at a time (CURVE
/// assigns a nonce per frame, so the order of encoding is the order on the wire).
/// </summary>
internal interface IFrameCodec
{
    /// <summary>Bytes <see cref="Encode"/> writes for <paramref name="message"/> (every frame, or the subscription command).</summary>
    int EncodedSize(FrameSet message);

    /// <summary>Writes every frame of <paramref name="message"/> (or its subscription command); returns the bytes written.</summary>
    int Encode(FrameSet message, Span<byte> dest);

    /// <summary>
    /// Writes <paramref name="message"/> (as <see cref="Encode"/>) when it fits in <paramref name="dest"/>;
    /// false, writing nothing, when it does not. The writer's per-message call.
    /// </summary>
    bool TryEncode(FrameSet message, Span<byte> dest, out int written);

    /// <summary>Bytes one frame with a body of <paramref name="bodyLength"/> bytes takes on the wire.</summary>
    int FrameSize(int bodyLength);

    /// <summary>Writes one data frame (MORE when <paramref name="more"/>); returns its size.</summary>
    int WriteFrame(Span<byte> dest, bool more, ReadOnlySpan<byte> body);

    /// <summary>Bytes a command (PING, PONG, ...) takes on the wire.</summary>
    int CommandSize(int nameLength, int dataLength);

    /// <summary>Writes a command; returns its size.</summary>
    int WriteCommand(Span<byte> dest, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data);

    /// <summary>
    /// Reads one received frame's body in place. Plain frames pass as they are; a CURVE MESSAGE is
    /// opened and its inner flags (MORE, COMMAND as <see cref="Zmtp"/> flags) and payload given.
    /// On failure returns the reason and libzmq's protocol error code.
    /// </summary>
    string? Open(ref byte flags, Span<byte> body, out int payloadStart, out int payloadLength, out ZmqProtocolError code);
}
