using System.Buffers.Binary;
using System.Text;

namespace Zmq.Wire;

/// <summary>ZMTP metadata properties: name-len(1) name value-len(4, BE) value, repeated.</summary>
internal static class Metadata
{
    public static int Size(IReadOnlyList<KeyValuePair<string, byte[]>> props)
    {
        int n = 0;
        foreach (var p in props) n += 1 + Encoding.ASCII.GetByteCount(p.Key) + 4 + p.Value.Length;
        return n;
    }

    public static int Write(Span<byte> dest, IReadOnlyList<KeyValuePair<string, byte[]>> props)
    {
        int pos = 0;
        foreach (var p in props)
        {
            int nameLen = Encoding.ASCII.GetBytes(p.Key, dest.Slice(pos + 1));
            dest[pos] = (byte)nameLen;
            pos += 1 + nameLen;
            BinaryPrimitives.WriteUInt32BigEndian(dest.Slice(pos), (uint)p.Value.Length);
            pos += 4;
            p.Value.CopyTo(dest.Slice(pos));
            pos += p.Value.Length;
        }
        return pos;
    }

    /// <summary>Parses a property list; null when malformed (truncated, bad name).</summary>
    public static Dictionary<string, byte[]>? Parse(ReadOnlySpan<byte> data)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (data.Length > 0)
        {
            int nameLen = data[0];
            if (nameLen == 0 || data.Length < 1 + nameLen + 4) return null;
            var name = data.Slice(1, nameLen);
            foreach (var c in name)
            {
                bool ok = c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                    or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'+';
                if (!ok) return null;
            }
            uint valueLen = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(1 + nameLen));
            data = data.Slice(1 + nameLen + 4);
            if (valueLen > (uint)data.Length) return null;
            result[Encoding.ASCII.GetString(name)] = data.Slice(0, (int)valueLen).ToArray();
            data = data.Slice((int)valueLen);
        }
        return result;
    }
}
