namespace Zmq.Cli;

/// <summary>The socket types the verbs take by name (cat, monitor): lower-case names, any case accepted.</summary>
internal static class SocketTypes
{
    /// <summary>The types by name, in the order help and completion list them.</summary>
    public static readonly IReadOnlyDictionary<string, SocketType> ByName = new Dictionary<string, SocketType>(StringComparer.OrdinalIgnoreCase)
    {
        ["pair"] = SocketType.Pair,
        ["pub"] = SocketType.Pub,
        ["sub"] = SocketType.Sub,
        ["xpub"] = SocketType.XPub,
        ["xsub"] = SocketType.XSub,
        ["push"] = SocketType.Push,
        ["pull"] = SocketType.Pull,
        ["req"] = SocketType.Req,
        ["rep"] = SocketType.Rep,
        ["dealer"] = SocketType.Dealer,
        ["router"] = SocketType.Router,
        ["stream"] = SocketType.Stream,
        ["server"] = SocketType.Server,
        ["client"] = SocketType.Client,
        ["scatter"] = SocketType.Scatter,
        ["gather"] = SocketType.Gather,
        ["channel"] = SocketType.Channel,
        ["peer"] = SocketType.Peer,
    };

    /// <summary>The names, for help text, errors and tab completion.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>A new socket of the type (default context).</summary>
    public static Socket Create(SocketType type) => Socket.Create(type);

    /// <summary>True when the type receives messages without sending first (PUB and PUSH only send; REQ must send before it may receive).</summary>
    public static bool Receives(SocketType type) => type is not (SocketType.Pub or SocketType.Push or SocketType.Req or SocketType.Scatter);
}
