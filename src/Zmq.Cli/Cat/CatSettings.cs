using System.Globalization;

namespace Zmq.Cli.Cat;

/// <summary>Everything <c>zmq cat</c> was asked to do, validated (syntax only: files are read later).</summary>
internal sealed record CatSettings
{
    public required SocketType Type { get; init; }

    /// <summary>The CZMQ endpoint list as given (comma-separated, <c>@</c> binds, <c>&gt;</c> connects).</summary>
    public required string Endpoints { get; init; }

    /// <summary>-n: exit 0 after this many messages received (req: replies; rep: requests served; push/pub: lines sent).</summary>
    public int? Count { get; init; }

    /// <summary>--timeout: exit 1 when nothing arrives for this long (send-only types: bounds a blocked send and the drain).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>--subscribe prefixes (sub, xsub); empty means everything.</summary>
    public IReadOnlyList<byte[]> Subscribe { get; init; } = [];

    public byte[]? Identity { get; init; }

    public bool Hex { get; init; }

    public bool Echo { get; init; }

    public bool Verbose { get; init; }

    public bool CurveServer { get; init; }

    public string? CurveSecret { get; init; }

    public string? CurveServerKey { get; init; }

    public string? CertFile { get; init; }

    public bool PlainServer { get; init; }

    public string? PlainUsersFile { get; init; }

    public string? PlainUser { get; init; }

    public string? PlainPassword { get; init; }

    public int? SendHighWatermark { get; init; }

    public int? ReceiveHighWatermark { get; init; }

    /// <summary>--linger in ms: -1 waits forever, 0 drops at once.</summary>
    public int? LingerMs { get; init; }

    public static SocketType ParseType(string text) =>
        SocketTypes.ByName.TryGetValue(text, out var type)
            ? type
            : throw new CatUsageException($"unknown socket type '{text}' (expected one of: {string.Join(' ', SocketTypes.Names)})");

    /// <summary>
    /// Checks the syntax of a CZMQ endpoint list before anything is bound: non-empty entries,
    /// <c>transport://address</c> with tcp, ipc or inproc. The library checks the address itself
    /// (host, port, path) when it binds or connects; its InvalidEndpoint errors are usage errors too.
    /// </summary>
    public static void CheckEndpoints(string list)
    {
        var entries = list.Split(',', StringSplitOptions.TrimEntries);
        if (list.Trim().Length == 0) throw new CatUsageException("malformed endpoint '': expected e.g. @tcp://127.0.0.1:5555 or >ipc:///tmp/feed.sock");
        foreach (var entry in entries)
        {
            var e = entry.Length > 0 && entry[0] is '@' or '>' ? entry[1..] : entry;
            int sep = e.IndexOf("://", StringComparison.Ordinal);
            if (entry.Length == 0 || sep <= 0)
                throw new CatUsageException($"malformed endpoint '{entry}': expected [@|>]transport://address, e.g. @tcp://127.0.0.1:5555 (binds) or >tcp://127.0.0.1:5555 (connects)");
            var transport = e[..sep];
            if (transport is not ("tcp" or "ipc" or "inproc"))
                throw new CatUsageException($"malformed endpoint '{entry}': unknown transport '{transport}' (expected tcp, ipc or inproc)");
            if (e.Length == sep + 3)
                throw new CatUsageException($"malformed endpoint '{entry}': nothing after '{transport}://'");
        }
    }

    public static int? ParseInt(string? text, string option, int min, string what)
    {
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < min)
            throw new CatUsageException($"bad {option} '{text}': expected {what}");
        return value;
    }

    public static TimeSpan? ParseSeconds(string? text, string option)
    {
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !(s > 0) || s > 86_400 * 365)
            throw new CatUsageException($"bad {option} '{text}': expected a number of seconds greater than 0, e.g. 2 or 0.5");
        return TimeSpan.FromSeconds(s);
    }

    /// <summary>A frame given on the command line (--identity, --subscribe): text, or hex after <c>0x</c>.</summary>
    public static byte[] ParseFrame(string text, string option)
    {
        if (!LineCodec.TryParseField(System.Text.Encoding.UTF8.GetBytes(text), out var frame, out var error))
            throw new CatUsageException($"bad {option} '{text}': {error}");
        return frame;
    }
}
