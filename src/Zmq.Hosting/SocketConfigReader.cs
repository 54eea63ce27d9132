using Microsoft.Extensions.Configuration;

namespace Zmq.Hosting;

/// <summary>
/// Reads a socket's configuration section into <see cref="ZmqSocketOptions"/>. Nothing is ignored:
/// an unknown key, a section where a value belongs or a value that does not parse is recorded as an
/// error naming the configuration path and the value, and the host fails to start with it.
/// </summary>
internal static class SocketConfigReader
{
    private enum Kind { Int, Long, Bool, Duration, Text }

    private sealed record Key(string Name, Kind Kind, Action<ZmqSocketOptions, object> Set, bool Secret = false);

    private static readonly Key[] Scalars =
    [
        new("SendHighWatermark", Kind.Int, (o, v) => o.SendHighWatermark = (int)v),
        new("ReceiveHighWatermark", Kind.Int, (o, v) => o.ReceiveHighWatermark = (int)v),
        new("Linger", Kind.Duration, (o, v) => o.Linger = (TimeSpan)v),
        new("SendTimeout", Kind.Duration, (o, v) => o.SendTimeout = (TimeSpan)v),
        new("ReceiveTimeout", Kind.Duration, (o, v) => o.ReceiveTimeout = (TimeSpan)v),
        new("ReconnectInterval", Kind.Duration, (o, v) => o.ReconnectInterval = (TimeSpan)v),
        new("ReconnectIntervalMax", Kind.Duration, (o, v) => o.ReconnectIntervalMax = (TimeSpan)v),
        new("HandshakeInterval", Kind.Duration, (o, v) => o.HandshakeInterval = (TimeSpan)v),
        new("HeartbeatInterval", Kind.Duration, (o, v) => o.HeartbeatInterval = (TimeSpan)v),
        new("HeartbeatTimeout", Kind.Duration, (o, v) => o.HeartbeatTimeout = (TimeSpan)v),
        new("HeartbeatTtl", Kind.Duration, (o, v) => o.HeartbeatTtl = (TimeSpan)v),
        new("ConnectTimeout", Kind.Duration, (o, v) => o.ConnectTimeout = (TimeSpan)v),
        new("MaxMessageSize", Kind.Long, (o, v) => o.MaxMessageSize = (long)v),
        new("Immediate", Kind.Bool, (o, v) => o.Immediate = (bool)v),
        new("RoutingId", Kind.Text, (o, v) => o.RoutingId = (string)v),
    ];

    private static readonly Key[] CurveKeys =
    [
        new("Server", Kind.Bool, (o, v) => o.Curve.Server = (bool)v),
        new("SecretKey", Kind.Text, (o, v) => o.Curve.SecretKey = (string)v, Secret: true),
        new("PublicKey", Kind.Text, (o, v) => o.Curve.PublicKey = (string)v),
        new("Certificate", Kind.Text, (o, v) => o.Curve.Certificate = (string)v),
        new("ServerKey", Kind.Text, (o, v) => o.Curve.ServerKey = (string)v),
        new("ServerCertificate", Kind.Text, (o, v) => o.Curve.ServerCertificate = (string)v),
    ];

    private static readonly Key[] PlainKeys =
    [
        new("Server", Kind.Bool, (o, v) => o.Plain.Server = (bool)v),
        new("Username", Kind.Text, (o, v) => o.Plain.Username = (string)v),
        new("Password", Kind.Text, (o, v) => o.Plain.Password = (string)v, Secret: true),
    ];

    /// <summary>Every key a socket section may hold besides libzmq option names (for messages).</summary>
    public static IEnumerable<string> KnownKeys =>
        new[] { "Type", "Endpoints", "Subscribe", "Curve", "Plain" }.Concat(Scalars.Select(k => k.Name));

    public static void Read(IConfiguration section, ZmqSocketOptions o)
    {
        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToLowerInvariant())
            {
                case "type":
                    ReadType(child, o);
                    break;
                case "endpoints":
                    ReadList(child, o, o.Endpoints, "Endpoints");
                    break;
                case "subscribe":
                    ReadList(child, o, o.Subscribe, "Subscribe");
                    break;
                case "curve":
                    ReadSection(child, o, CurveKeys, "Curve");
                    break;
                case "plain":
                    ReadSection(child, o, PlainKeys, "Plain");
                    break;
                default:
                    if (Array.Find(Scalars, k => k.Name.Equals(child.Key, StringComparison.OrdinalIgnoreCase)) is { } key)
                        ReadScalar(child, o, key, key.Name);
                    else if (ConfigValues.TryOption(child.Key, out var option))
                        ReadOption(child, o, option);
                    else
                        o.ConfigurationErrors.Add($"{child.Path}: unknown key{Suggest(child.Key, KnownKeys)} (value {ConfigValues.Show(child.Value, false)}); a socket section takes {string.Join(", ", KnownKeys)}, or a libzmq option by name (e.g. RouterMandatory)");
                    break;
            }
        }
    }

    private static void ReadType(IConfigurationSection child, ZmqSocketOptions o)
    {
        if (!Scalar(child, o)) return;
        var text = child.Value!.Trim();
        if (text.Length == 0) return;
        if (!char.IsDigit(text[0]) && Enum.TryParse<SocketType>(text, ignoreCase: true, out var type) && Enum.IsDefined(type))
        {
            o.Type = type;
            o.Sources["Type"] = (child.Path, child.Value, false);
        }
        else
        {
            o.ConfigurationErrors.Add($"{child.Path} = \"{child.Value}\": not a socket type (one of {string.Join(", ", Enum.GetNames<SocketType>())})");
        }
    }

    private static void ReadList(IConfigurationSection child, ZmqSocketOptions o, IList<string> into, string name)
    {
        var items = child.GetChildren().ToList();
        if (items.Count == 0)
        {
            if (child.Value is null) return;
            into.Clear();
            into.Add(child.Value);
            o.Sources[name] = (child.Path, child.Value, false);
            return;
        }
        if (!string.IsNullOrEmpty(child.Value))
        {
            o.ConfigurationErrors.Add($"{child.Path}: both a value (\"{child.Value}\") and a list ({string.Join(", ", items.Select(i => i.Key))}) are configured, probably by two configuration sources; use one form");
            return;
        }
        var values = new List<string>();
        foreach (var item in items.OrderBy(i => int.TryParse(i.Key, out int n) ? n : int.MaxValue))
        {
            if (!int.TryParse(item.Key, out _))
            {
                o.ConfigurationErrors.Add($"{item.Path}: {name} is a list (an array, or keys 0, 1, ...), not a section with a key '{item.Key}'");
                return;
            }
            if (item.GetChildren().Any())
            {
                o.ConfigurationErrors.Add($"{item.Path}: a {name} entry must be a string, not a section");
                return;
            }
            if (item.Value is not null) values.Add(item.Value);
        }
        into.Clear();
        foreach (var v in values) into.Add(v);
        o.Sources[name] = (child.Path, string.Join(",", values), false);
    }

    private static void ReadSection(IConfigurationSection child, ZmqSocketOptions o, Key[] keys, string name)
    {
        if (child.GetChildren().Any() is false)
        {
            if (!string.IsNullOrEmpty(child.Value))
                o.ConfigurationErrors.Add($"{child.Path} = {ConfigValues.Show(child.Value, true)}: {name} is a section with keys {string.Join(", ", keys.Select(k => k.Name))}");
            return;
        }
        foreach (var item in child.GetChildren())
        {
            if (Array.Find(keys, k => k.Name.Equals(item.Key, StringComparison.OrdinalIgnoreCase)) is { } key)
                ReadScalar(item, o, key, $"{name}:{key.Name}");
            else
                o.ConfigurationErrors.Add($"{item.Path}: unknown key{Suggest(item.Key, keys.Select(k => k.Name))}; {name} takes {string.Join(", ", keys.Select(k => k.Name))}");
        }
    }

    private static void ReadScalar(IConfigurationSection child, ZmqSocketOptions o, Key key, string sourceName)
    {
        if (!Scalar(child, o)) return;
        var text = child.Value;
        if (text is null) return;
        object? value = key.Kind switch
        {
            Kind.Int => ConfigValues.TryInt(text, out int i) ? i : null,
            Kind.Long => ConfigValues.TryLong(text, out long l) ? l : null,
            Kind.Bool => ConfigValues.TryBool(text, out bool b) ? b : null,
            Kind.Duration => ConfigValues.TryDuration(text, out var d) ? d : null,
            _ => text,
        };
        if (value is null)
        {
            string expected = key.Kind switch
            {
                Kind.Int => "an integer",
                Kind.Long => "an integer (64-bit)",
                Kind.Bool => "true or false",
                _ => ConfigValues.DurationForms,
            };
            o.ConfigurationErrors.Add($"{child.Path} = {ConfigValues.Show(text, key.Secret)}: expects {expected}");
            return;
        }
        key.Set(o, value);
        o.Sources[sourceName] = (child.Path, text, key.Secret);
    }

    private static void ReadOption(IConfigurationSection child, ZmqSocketOptions o, SocketOption option)
    {
        if (!Scalar(child, o)) return;
        if (child.Value is null) return;
        bool secret = option is SocketOption.CurveSecretKey or SocketOption.PlainPassword;
        o.Options[option] = ConfigValues.ForSetOption(child.Value);
        o.Sources["Options:" + option] = (child.Path, child.Value, secret);
    }

    /// <summary>A value is expected: a section there is an error (e.g. "Linger": { ... }).</summary>
    private static bool Scalar(IConfigurationSection child, ZmqSocketOptions o)
    {
        if (!child.GetChildren().Any()) return true;
        o.ConfigurationErrors.Add($"{child.Path}: expects a value, not a section (keys {string.Join(", ", child.GetChildren().Select(c => c.Key))})");
        return false;
    }

    /// <summary>" (did you mean X?)" for a near miss (edit distance 2 or less, case-insensitive).</summary>
    internal static string Suggest(string key, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = 3;
        foreach (var k in known)
        {
            // A near miss, or the start or end of a known key ("Secret" for SecretKey).
            int d = k.StartsWith(key, StringComparison.OrdinalIgnoreCase) || key.StartsWith(k, StringComparison.OrdinalIgnoreCase)
                ? 1
                : Distance(key.ToLowerInvariant(), k.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = k;
            }
        }
        return best is null ? $" '{key}'" : $" '{key}' (did you mean {best}?)";
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
