using Zmq.Cli.Cat;

namespace Zmq.Cli.Proxy;

/// <summary>One side of <c>zmq proxy</c>: its type, endpoints, and cat's security and HWM settings under the side's prefix.</summary>
internal sealed record ProxySide(string Name, CatSettings Settings)
{
    /// <summary>
    /// Parses <c>TYPE@list</c>, <c>TYPE&gt;list</c> or <c>TYPE:list</c> (entries without @ or &gt;
    /// take CZMQ's default for the type, as in cat).
    /// </summary>
    public static (SocketType Type, string Endpoints) ParseSpec(string spec, string side)
    {
        int i = 0;
        while (i < spec.Length && char.IsAsciiLetter(spec[i])) i++;
        if (i == 0 || i == spec.Length)
            throw new CatUsageException($"bad {side} '{spec}': expected a socket type followed by endpoints, e.g. router@tcp://*:5555 or dealer>tcp://127.0.0.1:5556");
        string typeName = spec[..i];
        if (!SocketTypes.ByName.TryGetValue(typeName, out var type))
            throw new CatUsageException($"bad {side} '{spec}': unknown socket type '{typeName}' (expected one of: {string.Join(' ', SocketTypes.Names)})");
        string rest = spec[i] is ':' or '=' ? spec[(i + 1)..] : spec[i..];
        if (spec[i] is not ('@' or '>' or ':' or '='))
            throw new CatUsageException($"bad {side} '{spec}': put @ (bind), > (connect) or : (the type's default) between the type and the endpoints");
        try
        {
            CatSettings.CheckEndpoints(rest);
        }
        catch (CatUsageException e)
        {
            throw new CatUsageException($"bad {side} '{spec}': {e.Message}");
        }
        foreach (var entry in rest.Split(',', StringSplitOptions.TrimEntries))
            if (entry.TrimStart('@', '>').StartsWith("inproc://", StringComparison.Ordinal))
                throw new CatUsageException($"bad {side} '{spec}': inproc cannot reach another process; use tcp:// or ipc://");
        return (type, rest);
    }
}

/// <summary>Everything <c>zmq proxy</c> was told.</summary>
internal sealed record ProxySettings(ProxySide Frontend, ProxySide Backend, string? Capture, bool Verbose);
