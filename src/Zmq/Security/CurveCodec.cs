using Zmq.Wire;
using System.Buffers.Binary;
using Zmq.Messages;

namespace Zmq.Security;

/// <summary>
/// CURVE's MESSAGE command after the handshake (RFC 26, and libzmq's wire form): every ZMTP frame
/// travels as one data frame whose body is <c>07 MESSAGE</c>, an 8-byte short nonce and a box of
/// [flags(1) + payload] between the two transient keys. Flags bit 0 is MORE, bit 1 is COMMAND
/// (PING, PONG, SUBSCRIBE, CANCEL travel inside boxes). Encrypts and decrypts in place in the
/// engine's buffers: nothing is allocated per message.
/// </summary>
internal sealed class CurveCodec : IFrameCodec
{
    /// <summary><c>07 MESSAGE</c> + nonce(8) + MAC(16): the body bytes in front of the plaintext.</summary>
    public const int PlainOffsetInBody = 8 + 8 + Crypto.MacSize;

    /// <summary>Plaintext flag bits inside the box.</summary>
    public const byte FlagMore = 0x01, FlagCommand = 0x02;

    private static ReadOnlySpan<byte> MessageName => "\x07MESSAGE"u8;

    private readonly byte[] _key;          // crypto_box_beforenm of the transient keys
    private readonly byte[] _encodePrefix; // "CurveZMQMESSAGEC" from the client, "...S" from the server
    private readonly byte[] _decodePrefix;
    private ulong _sendNonce;
    private ulong _peerNonce;

    public CurveCodec(byte[] sharedKey, bool asServer, ulong nextSendNonce, ulong lastPeerNonce)
    {
        _key = sharedKey;
        _encodePrefix = asServer ? "CurveZMQMESSAGES"u8.ToArray() : "CurveZMQMESSAGEC"u8.ToArray();
        _decodePrefix = asServer ? "CurveZMQMESSAGEC"u8.ToArray() : "CurveZMQMESSAGES"u8.ToArray();
        _sendNonce = nextSendNonce;
        _peerNonce = lastPeerNonce;
    }

    /// <summary>The peer's ZMTP is 3.1 or later: subscriptions travel as SUBSCRIBE/CANCEL commands (else as 0x01/0x00 data frames).</summary>
    public bool PeerIsV31 { get; set; } = true;

    /// <summary>The ZMTP frame size (header included) of a MESSAGE carrying <paramref name="plainLength"/> plaintext bytes (flags byte included).</summary>
    public static int BoxedSize(int plainLength)
    {
        int body = PlainOffsetInBody + plainLength;
        return Zmtp.HeaderSize(body) + body;
    }

    /// <summary>Where, in a frame being built at the start of a buffer, the plaintext (flags byte first) must be written.</summary>
    public static int PlainOffset(int plainLength) => Zmtp.HeaderSize(PlainOffsetInBody + plainLength) + PlainOffsetInBody;

    /// <summary>
    /// Completes a MESSAGE frame in <paramref name="frame"/> whose plaintext (flags + payload,
    /// <paramref name="plainLength"/> bytes) is already at <see cref="PlainOffset"/>: writes the
    /// header, name and nonce and encrypts in place. Returns the frame size. Callers serialize sends.
    /// </summary>
    public int Seal(Span<byte> frame, int plainLength)
    {
        int body = PlainOffsetInBody + plainLength;
        int h = Zmtp.WriteHeader(frame, 0, body);
        MessageName.CopyTo(frame.Slice(h));
        ulong n = _sendNonce++;
        BinaryPrimitives.WriteUInt64BigEndian(frame.Slice(h + 8), n);
        Span<byte> nonce = stackalloc byte[Crypto.NonceSize];
        _encodePrefix.CopyTo(nonce);
        BinaryPrimitives.WriteUInt64BigEndian(nonce.Slice(16), n);
        var boxed = frame.Slice(h + 16, Crypto.MacSize + plainLength);
        Crypto.BoxAfterNm(boxed, boxed.Slice(Crypto.MacSize), nonce, _key);
        return h + body;
    }

    /// <summary>Writes one frame (data or command) as a MESSAGE into <paramref name="dest"/>; returns its size.</summary>
    public int Write(Span<byte> dest, byte flags, ReadOnlySpan<byte> payload)
    {
        int plain = 1 + payload.Length;
        int off = PlainOffset(plain);
        dest[off] = flags;
        payload.CopyTo(dest.Slice(off + 1));
        return Seal(dest, plain);
    }

    /// <summary>Writes a command (name + data) as a MESSAGE with the COMMAND flag; returns its size.</summary>
    public int WriteCommand(Span<byte> dest, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        int plain = 1 + 1 + name.Length + data.Length;
        int off = PlainOffset(plain);
        dest[off] = FlagCommand;
        dest[off + 1] = (byte)name.Length;
        name.CopyTo(dest.Slice(off + 2));
        data.CopyTo(dest.Slice(off + 2 + name.Length));
        return Seal(dest, plain);
    }

    // ---- IFrameCodec ----

    public int EncodedSize(FrameSet message)
    {
        if (message.Kind != FrameSetKind.Data) return BoxedSize(SubscriptionPlainSize(message));
        int total = 0;
        for (int i = 0; i < message.Count; i++) total += BoxedSize(1 + message.FrameLength(i));
        return total;
    }

    /// <summary>Plaintext of a subscription change: flags + SUBSCRIBE/CANCEL command (3.1) or flags + 01/00 byte (3.0), then the topic.</summary>
    private int SubscriptionPlainSize(FrameSet message)
    {
        int topic = message.FrameLength(0);
        if (!PeerIsV31) return 1 + 1 + topic;
        return 1 + 1 + (message.Kind == FrameSetKind.Subscribe ? Zmtp.Subscribe.Length : Zmtp.Cancel.Length) + topic;
    }

    public int Encode(FrameSet message, Span<byte> dest)
    {
        if (message.Kind != FrameSetKind.Data)
        {
            bool sub = message.Kind == FrameSetKind.Subscribe;
            if (PeerIsV31) return WriteCommand(dest, sub ? Zmtp.Subscribe : Zmtp.Cancel, message.Frame(0));
            var topic = message.Frame(0);
            int plain = 2 + topic.Length;
            int off = PlainOffset(plain);
            dest[off] = 0;
            dest[off + 1] = sub ? (byte)1 : (byte)0;
            topic.CopyTo(dest.Slice(off + 2));
            return Seal(dest, plain);
        }
        int pos = 0;
        int last = message.Count - 1;
        for (int i = 0; i <= last; i++)
            pos += Write(dest.Slice(pos), i < last ? FlagMore : (byte)0, message.Frame(i));
        return pos;
    }

    public bool TryEncode(FrameSet message, Span<byte> dest, out int written)
    {
        if (EncodedSize(message) > dest.Length)
        {
            written = 0;
            return false;
        }
        written = Encode(message, dest);
        return true;
    }

    public int FrameSize(int bodyLength) => BoxedSize(1 + bodyLength);

    public int WriteFrame(Span<byte> dest, bool more, ReadOnlySpan<byte> body) => Write(dest, more ? FlagMore : (byte)0, body);

    public int CommandSize(int nameLength, int dataLength) => BoxedSize(1 + 1 + nameLength + dataLength);

    public string? Open(ref byte flags, Span<byte> body, out int payloadStart, out int payloadLength, out ZmqProtocolError code)
    {
        if (Open(body, out int start, out int length, out code) is { } problem)
        {
            payloadStart = payloadLength = 0;
            return problem;
        }
        byte inner = body[start];
        flags = (byte)(((inner & FlagMore) != 0 ? Zmtp.FlagMore : 0) | ((inner & FlagCommand) != 0 ? Zmtp.FlagCommand : 0));
        payloadStart = start + 1;
        payloadLength = length - 1;
        return null;
    }

    /// <summary>
    /// Opens the MESSAGE in a received data frame's <paramref name="body"/> in place. On success
    /// returns null and the plaintext (flags + payload) as <paramref name="plainStart"/>/<paramref name="plainLength"/>
    /// within the body; otherwise the reason and libzmq's protocol error code.
    /// </summary>
    public string? Open(Span<byte> body, out int plainStart, out int plainLength, out ZmqProtocolError code)
    {
        plainStart = plainLength = 0;
        if (body.Length < 8 || !body.Slice(0, 8).SequenceEqual(MessageName))
        {
            code = ZmqProtocolError.ZmtpUnexpectedCommand;
            return "expected a CURVE MESSAGE";
        }
        if (body.Length < PlainOffsetInBody + 1)
        {
            code = ZmqProtocolError.ZmtpMalformedCommandMessage;
            return $"CURVE MESSAGE of {body.Length} bytes is too short";
        }
        ulong n = BinaryPrimitives.ReadUInt64BigEndian(body.Slice(8));
        if (n <= _peerNonce)
        {
            code = ZmqProtocolError.ZmtpInvalidSequence;
            return $"CURVE MESSAGE nonce {n} does not increase (last {_peerNonce}): replayed or reordered";
        }
        Span<byte> nonce = stackalloc byte[Crypto.NonceSize];
        _decodePrefix.CopyTo(nonce);
        BinaryPrimitives.WriteUInt64BigEndian(nonce.Slice(16), n);
        var boxed = body.Slice(16);
        if (!Crypto.BoxOpenAfterNm(boxed.Slice(Crypto.MacSize), boxed, nonce, _key))
        {
            code = ZmqProtocolError.ZmtpCryptographic;
            return "CURVE MESSAGE box failed to open (tampered, or not from this peer)";
        }
        _peerNonce = n;
        plainStart = PlainOffsetInBody;
        plainLength = body.Length - PlainOffsetInBody;
        code = 0;
        return null;
    }
}
