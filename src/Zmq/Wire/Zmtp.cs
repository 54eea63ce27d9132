using System.Buffers.Binary;
using System.Text;

namespace Zmq.Wire;

/// <summary>ZMTP 3.x wire constants (RFC 23/37).</summary>
internal static class Zmtp
{
    public const byte FlagMore = 0x01;
    public const byte FlagLong = 0x02;
    public const byte FlagCommand = 0x04;

    public const int GreetingSize = 64;
    public const int SignatureSize = 10;

    public static ReadOnlySpan<byte> Ready => "READY"u8;
    public static ReadOnlySpan<byte> Error => "ERROR"u8;
    public static ReadOnlySpan<byte> Ping => "PING"u8;
    public static ReadOnlySpan<byte> Pong => "PONG"u8;
    public static ReadOnlySpan<byte> Subscribe => "SUBSCRIBE"u8;
    public static ReadOnlySpan<byte> Cancel => "CANCEL"u8;

    /// <summary>Size of the frame header for a body of <paramref name="size"/> bytes.</summary>
    public static int HeaderSize(long size) => size > 255 ? 9 : 2;

    /// <summary>Writes a frame header; returns its length.</summary>
    public static int WriteHeader(Span<byte> dest, byte flags, long size)
    {
        if (size > 255)
        {
            dest[0] = (byte)(flags | FlagLong);
            BinaryPrimitives.WriteInt64BigEndian(dest.Slice(1), size);
            return 9;
        }
        dest[0] = flags;
        dest[1] = (byte)size;
        return 2;
    }

    /// <summary>Writes a whole command frame (header, name length, name, data); returns its length.</summary>
    public static int WriteCommand(Span<byte> dest, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        int bodySize = 1 + name.Length + data.Length;
        int h = WriteHeader(dest, FlagCommand, bodySize);
        dest[h] = (byte)name.Length;
        name.CopyTo(dest.Slice(h + 1));
        data.CopyTo(dest.Slice(h + 1 + name.Length));
        return h + bodySize;
    }

    /// <summary>Size of a command frame as written by <see cref="WriteCommand"/>.</summary>
    public static int CommandSize(int nameLength, int dataLength)
    {
        int body = 1 + nameLength + dataLength;
        return HeaderSize(body) + body;
    }

    /// <summary>Splits a command body into its name and data; false when malformed.</summary>
    public static bool TryParseCommand(ReadOnlySpan<byte> body, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> data)
    {
        name = default;
        data = default;
        if (body.Length < 1) return false;
        int n = body[0];
        if (n == 0 || body.Length < 1 + n) return false;
        name = body.Slice(1, n);
        data = body.Slice(1 + n);
        return true;
    }

    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes) sb.Append(b is >= 0x20 and < 0x7f ? (char)b : '?');
        return sb.ToString();
    }
}
