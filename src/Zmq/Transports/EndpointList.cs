namespace Zmq.Transports;

/// <summary>CZMQ endpoint syntax: comma-separated, <c>@</c> binds, <c>&gt;</c> connects, no prefix takes the type's default.</summary>
internal static class EndpointList
{
    public static IEnumerable<(bool Bind, string Endpoint)> Parse(string list, SocketType type)
    {
        foreach (var raw in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw[0] == '@') yield return (true, raw.Substring(1));
            else if (raw[0] == '>') yield return (false, raw.Substring(1));
            else yield return (Routing.SocketTypeInfo.BindByDefault(type), raw);
        }
    }

    /// <summary>Splits <c>transport://address</c>; throws a clear error for malformed or unsupported endpoints.</summary>
    public static (string Transport, string Address) Split(string endpoint, SocketType type)
    {
        int sep = endpoint.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0)
            throw new ZmqException(ZmqError.InvalidEndpoint, "invalid endpoint: expected transport://address, e.g. tcp://127.0.0.1:5555", type, endpoint);
        string transport = endpoint.Substring(0, sep);
        string address = endpoint.Substring(sep + 3);
        if (transport is not ("tcp" or "ipc" or "inproc"))
            throw new ZmqException(ZmqError.InvalidEndpoint, $"unknown transport '{transport}' (supported: tcp, ipc, inproc)", type, endpoint);
        return (transport, address);
    }
}
