using System.Globalization;

namespace Zmq.Hosting;

/// <summary>Parses configuration strings into option values; a failure says what was expected.</summary>
internal static class ConfigValues
{
    public const string DurationForms = "milliseconds (500), a duration (500ms, 5s, 2m, 1h), hh:mm:ss, or -1 / infinite";

    public static bool TryInt(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryLong(string text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on": value = true; return true;
            case "false" or "0" or "no" or "off": value = false; return true;
            default: value = false; return false;
        }
    }

    /// <summary>
    /// A time: an integer is milliseconds as libzmq takes them (-1 infinite), <c>infinite</c>, a number
    /// with a unit (ms, s, m, h), or a TimeSpan (<c>00:00:05</c>). A bare number is never read as days
    /// (as TimeSpan.Parse would read "5"): a LINGER of 5000 is 5 seconds.
    /// </summary>
    public static bool TryDuration(string text, out TimeSpan value)
    {
        var t = text.Trim();
        value = default;
        if (t.Length == 0) return false;
        if (t.Equals("infinite", StringComparison.OrdinalIgnoreCase) || t == "-1")
        {
            value = Timeout.InfiniteTimeSpan;
            return true;
        }
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ms))
        {
            if (ms < 0)
            {
                value = TimeSpan.FromMilliseconds(ms); // negative: the option's own check decides (ReconnectInterval: off)
                return true;
            }
            if (ms > int.MaxValue) return false;
            value = TimeSpan.FromMilliseconds(ms);
            return true;
        }
        if (t.Contains(':')) return TimeSpan.TryParseExact(t, "c", CultureInfo.InvariantCulture, out value);
        (string unit, double scale)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (unit, scale) in units)
        {
            if (!t.EndsWith(unit, StringComparison.OrdinalIgnoreCase)) continue;
            var number = t[..^unit.Length].Trim();
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n)) return false;
            double total = n * scale;
            if (total > int.MaxValue) return false;
            value = TimeSpan.FromMilliseconds(total);
            return true;
        }
        return false;
    }

    /// <summary>
    /// A value for <see cref="Socket.SetOption"/> from its text: an integer (int, or long when
    /// larger), a flag (true/false), a duration with a unit or hh:mm:ss (a TimeSpan), else the text
    /// itself (binary options take it as UTF-8, CURVE keys as Z85). The option's own conversion then
    /// says when the kind does not fit.
    /// </summary>
    public static object? ForSetOption(string text)
    {
        var t = text.Trim();
        if (TryInt(t, out int i)) return i;
        if (TryLong(t, out long l)) return l;
        if (bool.TryParse(t, out bool b)) return b;
        // A duration only where it says so (a unit, hh:mm:ss, "infinite"): other text stays text.
        bool durationLike = t.Equals("infinite", StringComparison.OrdinalIgnoreCase) || t.Contains(':') || (t.Length > 1 && char.IsDigit(t[0]) && char.IsLetter(t[^1]));
        if (durationLike && TryDuration(t, out var d)) return d;
        return text;
    }

    /// <summary>A value as an error message shows it: quoted, secrets hidden.</summary>
    public static string Show(string? value, bool secret) =>
        value is null ? "(null)" : secret ? $"(hidden, {value.Length} characters)" : $"\"{value}\"";

    /// <summary>A libzmq option by name: its <see cref="SocketOption"/> name, or libzmq's (ZMQ_ROUTER_MANDATORY, router_mandatory).</summary>
    public static bool TryOption(string key, out SocketOption option)
    {
        var name = key.StartsWith("ZMQ_", StringComparison.OrdinalIgnoreCase) ? key[4..] : key;
        name = name.Replace("_", "", StringComparison.Ordinal);
        foreach (var o in Enum.GetValues<SocketOption>())
        {
            if (string.Equals(o.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                option = o;
                return true;
            }
        }
        option = default;
        return false;
    }
}
