using System.Buffers.Binary;
using System.Text;

namespace Zmq.Cli.Doctor;

/// <summary>The few ZMTP 3.1 pieces the endpoint probe writes and parses: our NULL greeting, a READY command, READY's properties.</summary>
internal static class ZmtpGreeting
{
    /// <summary>Our 64-byte greeting: signature <c>FF 00×8 7F</c>, version 3.1, mechanism NULL, as-server 0, filler.</summary>
    public static readonly byte[] Ours = Build();

    private static byte[] Build()
    {
        var g = new byte[64];
        g[0] = 0xFF;
        g[9] = 0x7F;
        g[10] = 3;
        g[11] = 1;
        "NULL"u8.CopyTo(g.AsSpan(12));
        return g;
    }

    /// <summary>A READY command frame with only the Socket-Type property (spelled as libzmq compares it).</summary>
    public static byte[] Ready(string socketType)
    {
        var body = new List<byte> { 5 };
        body.AddRange("READY"u8.ToArray());
        body.Add((byte)"Socket-Type".Length);
        body.AddRange(Encoding.ASCII.GetBytes("Socket-Type"));
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, socketType.Length);
        body.AddRange(len);
        body.AddRange(Encoding.ASCII.GetBytes(socketType));
        return [0x04, (byte)body.Count, .. body];
    }

    /// <summary>The properties of a READY body (after the command name); a malformed tail is ignored.</summary>
    public static Dictionary<string, string> Properties(byte[] body)
    {
        var props = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < body.Length)
        {
            int n = body[i++];
            if (i + n + 4 > body.Length) break;
            var name = Encoding.ASCII.GetString(body, i, n);
            i += n;
            int v = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(i));
            i += 4;
            if (v < 0 || i + v > body.Length) break;
            props[name] = Encoding.UTF8.GetString(body, i, v);
            i += v;
        }
        return props;
    }

    /// <summary>Bytes for a message: printable ASCII quoted, anything else in hex.</summary>
    public static string Show(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
            if (b is (< 0x20 or > 0x7e) and not (0x0d or 0x0a or 0x09))
                return Convert.ToHexString(bytes);
        return "'" + Encoding.ASCII.GetString(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "'";
    }
}
