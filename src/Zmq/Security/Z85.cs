namespace Zmq;

/// <summary>
/// Z85 (ZeroMQ RFC 32): binary as printable text, 5 characters for every 4 bytes, used for CURVE
/// keys (32 bytes ⇄ 40 characters). Like libzmq, only whole groups are accepted: the input of
/// <see cref="Encode"/> must be a multiple of 4 bytes and that of <see cref="Decode"/> a multiple
/// of 5 characters.
/// </summary>
public static class Z85
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static readonly sbyte[] Values = BuildValues();

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (int i = 0; i < Alphabet.Length; i++) values[Alphabet[i]] = (sbyte)i;
        return values;
    }

    /// <summary>Encodes <paramref name="data"/> (a multiple of 4 bytes) as Z85 text.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of 4.</exception>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        if (data.Length % 4 != 0)
            throw new ArgumentException($"Z85 encodes whole 4-byte groups; {data.Length} bytes is not a multiple of 4", nameof(data));
        return string.Create(data.Length / 4 * 5, data.ToArray(), static (chars, bytes) =>
        {
            for (int g = 0; g < bytes.Length / 4; g++)
            {
                uint value = (uint)(bytes[4 * g] << 24 | bytes[4 * g + 1] << 16 | bytes[4 * g + 2] << 8 | bytes[4 * g + 3]);
                for (int i = 4; i >= 0; i--)
                {
                    chars[5 * g + i] = Alphabet[(int)(value % 85)];
                    value /= 85;
                }
            }
        });
    }

    /// <summary>Decodes Z85 text (a multiple of 5 characters from the Z85 alphabet).</summary>
    /// <exception cref="FormatException">Says what is wrong: the length, which character at which position, or a group whose value exceeds 32 bits.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new byte[text.Length / 5 * 4];
        if (!TryDecode(text, result, out _, out var error)) throw new FormatException(error);
        return result;
    }

    /// <summary>Decodes into <paramref name="destination"/>; false with a description of the problem when the text is not valid Z85 or does not fit.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int bytesWritten, out string? error)
    {
        bytesWritten = 0;
        if (text.Length % 5 != 0)
        {
            error = $"Z85 text comes in whole 5-character groups; {text.Length} characters is not a multiple of 5";
            return false;
        }
        int size = text.Length / 5 * 4;
        if (destination.Length < size)
        {
            error = $"the decoded value needs {size} bytes but the destination holds {destination.Length}";
            return false;
        }
        for (int g = 0; g < text.Length / 5; g++)
        {
            ulong value = 0;
            for (int i = 0; i < 5; i++)
            {
                char c = text[5 * g + i];
                int v = c < 128 ? Values[c] : -1;
                if (v < 0)
                {
                    error = $"'{(char.IsControl(c) ? '?' : c)}' (U+{(int)c:X4}) at position {5 * g + i} is not a Z85 character";
                    return false;
                }
                value = value * 85 + (ulong)v;
            }
            if (value > uint.MaxValue)
            {
                error = $"the group at position {5 * g} (\"{text.Slice(5 * g, 5).ToString()}\") is larger than 32 bits";
                return false;
            }
            destination[4 * g] = (byte)(value >> 24);
            destination[4 * g + 1] = (byte)(value >> 16);
            destination[4 * g + 2] = (byte)(value >> 8);
            destination[4 * g + 3] = (byte)value;
        }
        bytesWritten = size;
        error = null;
        return true;
    }
}
