namespace Zmq.Toolkit;

/// <summary>
/// CZMQ's zmsg_encode/zmsg_decode format: a multipart message as one buffer, for transports and
/// storage that carry single frames. Each frame is its length then its bytes; a length below 255 is
/// one byte, a longer one is 0xFF and four bytes, most significant first (CZMQ 4.2.1's bytes).
/// </summary>
public static class Zmsg
{
    /// <summary>Encodes <paramref name="frames"/> as zmsg_encode does.</summary>
    /// <exception cref="ArgumentException">A frame of 4 GiB or more (the format's limit).</exception>
    public static byte[] Encode(params ReadOnlySpan<ReadOnlyMemory<byte>> frames)
    {
        long size = 0;
        foreach (var f in frames) size += (f.Length < 255 ? 1 : 5) + f.Length;
        if (size > Array.MaxLength) throw new ArgumentException("the encoded message would exceed the largest array", nameof(frames));
        var buffer = new byte[size];
        int pos = 0;
        foreach (var f in frames)
        {
            if (f.Length < 255)
            {
                buffer[pos++] = (byte)f.Length;
            }
            else
            {
                buffer[pos++] = 0xFF;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(pos), (uint)f.Length);
                pos += 4;
            }
            f.Span.CopyTo(buffer.AsSpan(pos));
            pos += f.Length;
        }
        return buffer;
    }

    /// <summary>Encodes the frames of <paramref name="message"/>.</summary>
    public static byte[] Encode(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var frames = new ReadOnlyMemory<byte>[message.Count];
        for (int i = 0; i < frames.Length; i++) frames[i] = message[i];
        return Encode(frames);
    }

    /// <summary>Decodes a buffer made by zmsg_encode (or <see cref="Encode(ReadOnlySpan{ReadOnlyMemory{byte}})"/>) into its frames.</summary>
    /// <exception cref="FormatException">The buffer ends inside a length or a frame (zmsg_decode returns NULL there).</exception>
    public static byte[][] Decode(ReadOnlySpan<byte> encoded)
    {
        var frames = new List<byte[]>();
        int pos = 0;
        while (pos < encoded.Length)
        {
            long length = encoded[pos++];
            if (length == 0xFF)
            {
                if (encoded.Length - pos < 4) throw new FormatException($"zmsg: the buffer ends inside the 4-byte length of frame {frames.Count} (offset {pos - 1})");
                length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(encoded[pos..]);
                pos += 4;
            }
            if (encoded.Length - pos < length) throw new FormatException($"zmsg: frame {frames.Count} says {length} bytes, {encoded.Length - pos} are left (offset {pos})");
            frames.Add(encoded.Slice(pos, (int)length).ToArray());
            pos += (int)length;
        }
        return [.. frames];
    }
}
