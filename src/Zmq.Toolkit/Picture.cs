using System.Globalization;
using System.Text;

namespace Zmq.Toolkit;

/// <summary>
/// CZMQ's picture messages (zsock_send, zsock_recv): one frame per picture character, numbers as
/// decimal text. Byte-compatible with CZMQ 4.2.1 as it behaves on x86-64, quirks included:
/// <list type="bullet">
/// <item><c>i 1 2 4 8</c> are sent as decimal text (<c>1</c>, <c>2</c>, <c>4</c> as unsigned), and read
/// back as C's atoi/atol/atoll read them: leading blanks and a sign are taken, reading stops at the
/// first non-digit, and a value is cut to its type (so a received <c>8</c> above 2^63-1 comes back as
/// 2^63-1, atoll's limit, and <c>1</c> of "300" as 44).</item>
/// <item><c>u</c> (deprecated in CZMQ) is sent as the number followed by a literal "d" (CZMQ's format is
/// "%ud"); reading stops at the "d", so it still round-trips.</item>
/// <item><c>s</c> is a UTF-8 frame without a terminating NUL; CZMQ's strings end at the first NUL, so a
/// string holding one is cut there on either side.</item>
/// <item><c>b</c> is a byte frame; <c>z</c> an empty frame (on receive, a non-empty one fails the parse).</item>
/// <item>A missing frame reads as 0 or null; a message that is a signal (<see cref="Signals"/>) is not a picture.</item>
/// </list>
/// </summary>
public static class Picture
{
    /// <summary>Builds the message <c>zsock_send (socket, picture, args...)</c> sends.</summary>
    /// <exception cref="ArgumentException">An unknown picture character, or too few arguments.</exception>
    /// <exception cref="InvalidCastException">An argument that is not of the picture's type.</exception>
    public static Message Build(string picture, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(picture);
        ArgumentNullException.ThrowIfNull(args);
        var m = new Message();
        int a = 0;
        object? Next(char c) => a < args.Length ? args[a++] : throw new ArgumentException($"picture '{picture}': no argument for '{c}' (element {a})", nameof(args));
        foreach (char c in picture)
        {
            switch (c)
            {
                case 'i': m.Add(Text(Convert.ToInt32(Next(c), CultureInfo.InvariantCulture))); break;
                case '1': m.Add(Text(Convert.ToByte(Next(c), CultureInfo.InvariantCulture))); break;
                case '2': m.Add(Text(Convert.ToUInt16(Next(c), CultureInfo.InvariantCulture))); break;
                case '4': m.Add(Text(Convert.ToUInt32(Next(c), CultureInfo.InvariantCulture))); break;
                case '8': m.Add(Text(Convert.ToUInt64(Next(c), CultureInfo.InvariantCulture))); break;
                case 'u': m.Add(Text(Convert.ToUInt32(Next(c), CultureInfo.InvariantCulture)) + "d"); break;
                case 's':
                    {
                        var s = Next(c) as string ?? throw new ArgumentException($"picture '{picture}': 's' needs a string (CZMQ asserts on NULL)", nameof(args));
                        int nul = s.IndexOf('\0', StringComparison.Ordinal);
                        m.Add(Encoding.UTF8.GetBytes(nul < 0 ? s : s[..nul]));
                        break;
                    }
                case 'b': m.Add(Next(c) is byte[] bytes ? bytes : throw new InvalidCastException($"picture '{picture}': 'b' needs a byte[]")); break;
                case 'z': m.AddEmpty(); break;
                default: throw new ArgumentException($"picture '{picture}': '{c}' is not one of i 1 2 4 8 u s b z", nameof(picture));
            }
        }
        return m;
    }

    /// <summary>Sends a picture message (<c>zsock_send</c>).</summary>
    public static void SendPicture(this Socket socket, string picture, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(socket);
        using var m = Build(picture, args);
        socket.Send(m);
    }

    /// <summary>
    /// Reads <paramref name="message"/> as <c>zsock_recv</c> does: one value per picture character
    /// (<c>i</c> int, <c>1</c> byte, <c>2</c> ushort, <c>4</c> and <c>u</c> uint, <c>8</c> ulong, <c>s</c>
    /// string, <c>b</c> byte[], <c>z</c> null). False, as zsock_recv's -1, when the message is a signal
    /// or a <c>z</c> frame is not empty (the values are still read).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown picture character.</exception>
    public static bool TryParse(Message message, string picture, out object?[] values)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(picture);
        values = new object?[picture.Length];
        if (Signals.IsSignal(message, out _)) return false;
        bool ok = true;
        int f = 0;
        for (int i = 0; i < picture.Length; i++)
        {
            char c = picture[i];
            bool has = f < message.Count;
            var frame = has ? message.GetSpan(f) : default;
            if (c is 'i' or '1' or '2' or '4' or '8' or 'u' or 's' or 'b' or 'z') f++;
            values[i] = c switch
            {
                'i' => has ? (int)CLong(frame) : 0,
                '1' => has ? (byte)CLong(frame) : (byte)0,
                '2' => has ? (ushort)CLong(frame) : (ushort)0,
                '4' or 'u' => has ? (uint)CLong(frame) : 0u,
                '8' => has ? (ulong)CLong(frame) : 0UL,
                's' => has ? CString(frame) : null,
                'b' => has ? frame.ToArray() : null,
                'z' => null,
                _ => throw new ArgumentException($"picture '{picture}': '{c}' is not one of i 1 2 4 8 u s b z", nameof(picture)),
            };
            if (c == 'z' && has && frame.Length != 0) ok = false;
        }
        return ok;
    }

    /// <summary>Receives a message within <paramref name="timeout"/> and reads it as <see cref="TryParse"/>.</summary>
    /// <exception cref="ZmqTimeoutException">Nothing within <paramref name="timeout"/>.</exception>
    /// <exception cref="FormatException">The message is a signal, or a <c>z</c> frame is not empty.</exception>
    public static object?[] ReceivePicture(this Socket socket, string picture, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!socket.TryReceive(timeout, out var m)) throw new ZmqTimeoutException($"no message within {timeout.TotalMilliseconds:0} ms", socket.Type);
        using (m)
        {
            if (!TryParse(m, picture, out var values)) throw new FormatException($"picture '{picture}': the message is a signal or a 'z' frame is not empty");
            return values;
        }
    }

    private static string Text<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    /// <summary>The frame as a C string (up to its first NUL).</summary>
    private static string CString(ReadOnlySpan<byte> frame)
    {
        int nul = frame.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? frame : frame[..nul]);
    }

    /// <summary>
    /// glibc's strtol/strtoll in base 10 on the frame's C string (atoi, atol and atoll on x86-64):
    /// leading white space, a sign, digits up to the first other character; saturates at the
    /// 64-bit limits; nothing readable is 0.
    /// </summary>
    private static long CLong(ReadOnlySpan<byte> frame)
    {
        int i = 0;
        while (i < frame.Length && frame[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r') i++;
        bool negative = false;
        if (i < frame.Length && frame[i] is (byte)'+' or (byte)'-') negative = frame[i++] == '-';
        ulong magnitude = 0;
        bool overflow = false;
        for (; i < frame.Length && frame[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            ulong next = magnitude * 10 + (ulong)(frame[i] - '0');
            if (magnitude > (ulong.MaxValue - 9) / 10 || next > (negative ? 9223372036854775808UL : long.MaxValue)) overflow = true;
            else magnitude = next;
        }
        if (overflow) return negative ? long.MinValue : long.MaxValue;
        return negative ? (long)(0 - magnitude) : (long)magnitude;
    }
}
