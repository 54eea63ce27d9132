using System.Runtime.CompilerServices;
using Zmq.Messages;

namespace Zmq.Wire;

/// <summary>
/// Plain ZMTP frames (NULL and PLAIN mechanisms): a message's frames as <c>flags size body</c>,
/// MORE on every frame but the last; subscription changes as SUBSCRIBE/CANCEL commands to a 3.1
/// peer and as data frames starting with 0x01/0x00 to a 3.0 peer (RFC 37 and RFC 23).
/// </summary>
internal sealed class PlainCodec(bool peerIsV31) : IFrameCodec
{
    /// <summary>The peer's ZMTP is 3.1 or later (subscriptions as commands).</summary>
    public bool PeerIsV31 { get; } = peerIsV31;

    public int EncodedSize(FrameSet message)
    {
        if (message.Kind != FrameSetKind.Data)
        {
            int topic = message.FrameLength(0);
            return PeerIsV31
                ? Zmtp.CommandSize(message.Kind == FrameSetKind.Subscribe ? Zmtp.Subscribe.Length : Zmtp.Cancel.Length, topic)
                : Zmtp.HeaderSize(topic + 1) + topic + 1;
        }
        return FrameEncoder.Size(message);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Encode(FrameSet message, Span<byte> dest)
    {
        if (message.Kind == FrameSetKind.Data) return FrameEncoder.Encode(message, dest);
        var topic = message.Frame(0);
        bool sub = message.Kind == FrameSetKind.Subscribe;
        if (PeerIsV31) return Zmtp.WriteCommand(dest, sub ? Zmtp.Subscribe : Zmtp.Cancel, topic);
        int h = Zmtp.WriteHeader(dest, 0, topic.Length + 1);
        dest[h] = sub ? (byte)1 : (byte)0;
        topic.CopyTo(dest.Slice(h + 1));
        return h + 1 + topic.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEncode(FrameSet message, Span<byte> dest, out int written)
    {
        int len = message.Length;
        if (message.Count == 1 && len <= 255 && message.Kind == FrameSetKind.Data)
        {
            // The common case: one short frame.
            if (dest.Length < 2 + len)
            {
                written = 0;
                return false;
            }
            dest[0] = 0;
            dest[1] = (byte)len;
            new ReadOnlySpan<byte>(message.Data, 0, len).CopyTo(dest.Slice(2));
            written = 2 + len;
            return true;
        }
        int size = EncodedSize(message);
        if (size > dest.Length)
        {
            written = 0;
            return false;
        }
        written = Encode(message, dest);
        return true;
    }

    public int FrameSize(int bodyLength) => Zmtp.HeaderSize(bodyLength) + bodyLength;

    public int WriteFrame(Span<byte> dest, bool more, ReadOnlySpan<byte> body)
    {
        int h = Zmtp.WriteHeader(dest, more ? Zmtp.FlagMore : (byte)0, body.Length);
        body.CopyTo(dest.Slice(h));
        return h + body.Length;
    }

    public int CommandSize(int nameLength, int dataLength) => Zmtp.CommandSize(nameLength, dataLength);

    public int WriteCommand(Span<byte> dest, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data) => Zmtp.WriteCommand(dest, name, data);

    public string? Open(ref byte flags, Span<byte> body, out int payloadStart, out int payloadLength, out ZmqProtocolError code)
    {
        payloadStart = 0;
        payloadLength = body.Length;
        code = 0;
        return null;
    }
}

/// <summary>Plain ZMTP data frames of a whole message, the writer's inner loop.</summary>
internal static class FrameEncoder
{
    /// <summary>Bytes the frames of <paramref name="message"/> take on the wire.</summary>
    public static int Size(FrameSet message)
    {
        int total = 0;
        var ends = message.Ends;
        int start = 0;
        for (int i = 0; i < message.Count; i++)
        {
            int len = ends[i] - start;
            total += (len > 255 ? 9 : 2) + len;
            start = ends[i];
        }
        return total;
    }

    /// <summary>Writes every frame of <paramref name="message"/> (MORE on all but the last); returns the bytes written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Encode(FrameSet message, Span<byte> dest)
    {
        int pos = 0;
        int last = message.Count - 1;
        var data = message.Data;
        var ends = message.Ends;
        int start = 0;
        for (int i = 0; i <= last; i++)
        {
            int end = ends[i];
            int len = end - start;
            byte flags = i < last ? Zmtp.FlagMore : (byte)0;
            if (len > 255)
            {
                pos += Zmtp.WriteHeader(dest.Slice(pos), flags, len);
            }
            else
            {
                dest[pos] = flags;
                dest[pos + 1] = (byte)len;
                pos += 2;
            }
            new ReadOnlySpan<byte>(data, start, len).CopyTo(dest.Slice(pos));
            pos += len;
            start = end;
        }
        return pos;
    }
}
