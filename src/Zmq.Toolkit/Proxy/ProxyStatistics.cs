using System.Buffers.Binary;

namespace Zmq.Toolkit;

/// <summary>What passed through one side of a <see cref="Proxy"/>: a multipart message counts once, its bytes are all its frames' (as libzmq counts).</summary>
/// <param name="MessagesReceived">Messages received by this side's socket.</param>
/// <param name="BytesReceived">Their bytes.</param>
/// <param name="MessagesSent">Messages sent by this side's socket.</param>
/// <param name="BytesSent">Their bytes.</param>
public readonly record struct ProxySideStatistics(long MessagesReceived, long BytesReceived, long MessagesSent, long BytesSent);

/// <summary>
/// A <see cref="Proxy"/>'s counters, as the STATISTICS command of zmq_proxy_steerable reports them:
/// eight unsigned 64-bit frames, frontend received messages and bytes, frontend sent messages and
/// bytes, then the same for the backend (in the machine's byte order, as libzmq writes them;
/// little-endian on x86-64 and ARM64).
/// </summary>
/// <param name="Frontend">The frontend's counters.</param>
/// <param name="Backend">The backend's counters.</param>
public readonly record struct ProxyStatistics(ProxySideStatistics Frontend, ProxySideStatistics Backend)
{
    /// <summary>The eight frames of the STATISTICS reply.</summary>
    public byte[][] ToFrames()
    {
        long[] values =
        [
            Frontend.MessagesReceived, Frontend.BytesReceived, Frontend.MessagesSent, Frontend.BytesSent,
            Backend.MessagesReceived, Backend.BytesReceived, Backend.MessagesSent, Backend.BytesSent,
        ];
        var frames = new byte[8][];
        for (int i = 0; i < 8; i++)
        {
            frames[i] = new byte[8];
            if (BitConverter.IsLittleEndian) BinaryPrimitives.WriteUInt64LittleEndian(frames[i], (ulong)values[i]);
            else BinaryPrimitives.WriteUInt64BigEndian(frames[i], (ulong)values[i]);
        }
        return frames;
    }

    /// <summary>Reads a STATISTICS reply (eight 8-byte frames).</summary>
    /// <exception cref="FormatException">Not eight frames of eight bytes.</exception>
    public static ProxyStatistics FromFrames(IReadOnlyList<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count != 8 || frames.Any(f => f.Length != 8))
            throw new FormatException($"a STATISTICS reply is 8 frames of 8 bytes, not {frames.Count} frame(s) of {string.Join("/", frames.Select(f => f.Length))} bytes");
        long V(int i) => (long)(BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt64LittleEndian(frames[i]) : BinaryPrimitives.ReadUInt64BigEndian(frames[i]));
        return new(new(V(0), V(1), V(2), V(3)), new(V(4), V(5), V(6), V(7)));
    }
}
