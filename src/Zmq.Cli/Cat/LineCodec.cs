using System.Text.Unicode;

namespace Zmq.Cli.Cat;

/// <summary>
/// The line format of <c>zmq cat</c>: one line is one message, its frames separated by a TAB. A
/// frame is written as itself when it is text (valid UTF-8 with no C0 control character and no
/// DEL) and does not start with <c>0x</c>; any other frame, and every frame under <c>--hex</c>, is
/// written as <c>0x</c> followed by lowercase hex, so every printed line reads back as exactly the
/// frames received. Pure functions, no I/O.
/// </summary>
internal static class LineCodec
{
    private const byte Tab = (byte)'\t';

    /// <summary>True when <paramref name="frame"/> is text: valid UTF-8 without C0 controls (TAB and newlines included) or DEL.</summary>
    public static bool IsText(ReadOnlySpan<byte> frame)
    {
        foreach (byte b in frame)
            if (b < 0x20 || b == 0x7F) return false;
        return Utf8.IsValid(frame);
    }

    /// <summary>True when <paramref name="frame"/> is printed as itself rather than as hex.</summary>
    public static bool PrintsAsText(ReadOnlySpan<byte> frame) => IsText(frame) && !StartsWithHexPrefix(frame);

    /// <summary>Appends one frame as it is printed (text or <c>0x</c> + lowercase hex).</summary>
    public static void AppendFrame(List<byte> line, ReadOnlySpan<byte> frame, bool hex)
    {
        if (!hex && PrintsAsText(frame))
        {
            line.AddRange(frame);
            return;
        }
        line.Add((byte)'0');
        line.Add((byte)'x');
        foreach (byte b in frame)
        {
            line.Add(HexDigit(b >> 4));
            line.Add(HexDigit(b & 0xF));
        }
    }

    /// <summary>The printed line of a message, without its newline.</summary>
    public static byte[] FormatLine(IReadOnlyList<byte[]> frames, bool hex = false)
    {
        var line = new List<byte>();
        for (int i = 0; i < frames.Count; i++)
        {
            if (i > 0) line.Add(Tab);
            AppendFrame(line, frames[i], hex);
        }
        return [.. line];
    }

    /// <summary>The printed line of a message as a string (for tests and messages; stdout gets the bytes).</summary>
    public static string FormatLineText(IReadOnlyList<byte[]> frames, bool hex = false) =>
        System.Text.Encoding.UTF8.GetString(FormatLine(frames, hex));

    /// <summary>
    /// Parses one input line (without its newline; a trailing CR is dropped) into frames: fields
    /// split at TAB; a field starting with <c>0x</c> is hex (case-insensitive, an even number of
    /// digits, <c>0x</c> alone is an empty frame); any other field is taken as its bytes. An empty
    /// line is one empty frame. False with a reason when a hex field is malformed.
    /// </summary>
    public static bool TryParseLine(ReadOnlySpan<byte> line, out byte[][] frames, out string? error)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        var result = new List<byte[]>();
        int field = 1;
        while (true)
        {
            int tab = line.IndexOf(Tab);
            var text = tab < 0 ? line : line[..tab];
            if (!TryParseField(text, out var frame, out var why))
            {
                frames = [];
                error = $"field {field}: {why}";
                return false;
            }
            result.Add(frame);
            if (tab < 0) break;
            line = line[(tab + 1)..];
            field++;
        }
        frames = [.. result];
        error = null;
        return true;
    }

    /// <summary>As <see cref="TryParseLine(ReadOnlySpan{byte}, out byte[][], out string?)"/> for a string (encoded as UTF-8).</summary>
    public static bool TryParseLine(string line, out byte[][] frames, out string? error) =>
        TryParseLine(System.Text.Encoding.UTF8.GetBytes(line), out frames, out error);

    /// <summary>One field: hex after <c>0x</c>, or its bytes as they are.</summary>
    public static bool TryParseField(ReadOnlySpan<byte> field, out byte[] frame, out string? error)
    {
        error = null;
        if (!StartsWithHexPrefix(field))
        {
            frame = field.ToArray();
            return true;
        }
        var digits = field[2..];
        frame = [];
        if (digits.Length % 2 != 0)
        {
            error = $"hex '{Show(field)}' has an odd number of digits";
            return false;
        }
        var bytes = new byte[digits.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            int hi = HexValue(digits[2 * i]), lo = HexValue(digits[2 * i + 1]);
            if (hi < 0 || lo < 0)
            {
                error = $"'{Show(field)}' is not hex (a field starting with 0x must be hex digits)";
                return false;
            }
            bytes[i] = (byte)(hi << 4 | lo);
        }
        frame = bytes;
        return true;
    }

    private static bool StartsWithHexPrefix(ReadOnlySpan<byte> s) => s.Length >= 2 && s[0] == (byte)'0' && s[1] == (byte)'x';

    private static byte HexDigit(int v) => (byte)(v < 10 ? '0' + v : 'a' + v - 10);

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>A field for an error message: shortened, control characters escaped.</summary>
    private static string Show(ReadOnlySpan<byte> field)
    {
        var s = System.Text.Encoding.UTF8.GetString(field.Length > 40 ? field[..40] : field);
        var sb = new System.Text.StringBuilder();
        foreach (char c in s) sb.Append(char.IsControl(c) ? '?' : c);
        if (field.Length > 40) sb.Append("...");
        return sb.ToString();
    }
}
