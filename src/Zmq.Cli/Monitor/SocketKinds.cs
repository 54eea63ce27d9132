namespace Zmq.Cli.Monitor;

/// <summary>The socket types <c>zmq monitor</c> accepts, by their lower-case names, and what each one can receive.</summary>
internal static class SocketKinds
{
    public static readonly string[] Names = ["pair", "pub", "sub", "xpub", "xsub", "push", "pull", "req", "rep", "dealer", "router"];

    /// <summary>A new socket of the type named <paramref name="name"/> (case-insensitive), or null for an unknown name.</summary>
    public static Socket? Create(string name) => name.ToLowerInvariant() switch
    {
        "pair" => new PairSocket(),
        "pub" => new PubSocket(),
        "sub" => new SubSocket(),
        "xpub" => new XPubSocket(),
        "xsub" => new XSubSocket(),
        "push" => new PushSocket(),
        "pull" => new PullSocket(),
        "req" => new ReqSocket(),
        "rep" => new RepSocket(),
        "dealer" => new DealerSocket(),
        "router" => new RouterSocket(),
        _ => null,
    };

    /// <summary>True when the type receives messages without sending first (PUB and PUSH only send; REQ must send before it may receive).</summary>
    public static bool Receives(SocketType type) => type is not (SocketType.Pub or SocketType.Push or SocketType.Req);
}
