namespace Zmq.Routing;

/// <summary>Protocol facts per socket type, one row each: wire name, valid peers, CZMQ default action.</summary>
internal static class SocketTypeInfo
{
    private sealed record Row(string Name, SocketType[] Peers, bool BindsByDefault);

    // Peers: RFC 37 / libzmq check_socket_type; BindsByDefault: CZMQ's zsock_new_* without '@' or '>'.
    private static readonly Dictionary<SocketType, Row> Rows = new()
    {
        [SocketType.Pair] = new("PAIR", [SocketType.Pair], false),
        [SocketType.Pub] = new("PUB", [SocketType.Sub, SocketType.XSub], true),
        [SocketType.Sub] = new("SUB", [SocketType.Pub, SocketType.XPub], false),
        [SocketType.Req] = new("REQ", [SocketType.Rep, SocketType.Router], false),
        [SocketType.Rep] = new("REP", [SocketType.Req, SocketType.Dealer], true),
        [SocketType.Dealer] = new("DEALER", [SocketType.Rep, SocketType.Dealer, SocketType.Router], false),
        [SocketType.Router] = new("ROUTER", [SocketType.Req, SocketType.Dealer, SocketType.Router], true),
        [SocketType.Pull] = new("PULL", [SocketType.Push], true),
        [SocketType.Push] = new("PUSH", [SocketType.Pull], false),
        [SocketType.XPub] = new("XPUB", [SocketType.Sub, SocketType.XSub], true),
        [SocketType.XSub] = new("XSUB", [SocketType.Pub, SocketType.XPub], false),
        [SocketType.Stream] = new("STREAM", [], true), // raw TCP: no ZMTP peer type
        [SocketType.Server] = new("SERVER", [SocketType.Client], true),
        [SocketType.Client] = new("CLIENT", [SocketType.Server], false),
        [SocketType.Gather] = new("GATHER", [SocketType.Scatter], false),
        [SocketType.Scatter] = new("SCATTER", [SocketType.Gather], true),
        [SocketType.Peer] = new("PEER", [SocketType.Peer], false),
        [SocketType.Channel] = new("CHANNEL", [SocketType.Channel], false),
    };

    public static string WireName(SocketType t) => Rows[t].Name;

    public static bool TryParseWireName(ReadOnlySpan<byte> name, out SocketType type)
    {
        foreach (var (t, row) in Rows)
        {
            if (t == SocketType.Stream) continue; // raw TCP: never a ZMTP peer's Socket-Type
            if (name.Length == row.Name.Length && System.Text.Encoding.ASCII.GetString(name) == row.Name)
            {
                type = t;
                return true;
            }
        }
        type = default;
        return false;
    }

    public static bool IsCompatible(SocketType self, SocketType peer) => Array.IndexOf(Rows[self].Peers, peer) >= 0;

    public static bool BindByDefault(SocketType t) => Rows[t].BindsByDefault;

    /// <summary>libzmq sends an Identity property only from these types.</summary>
    public static bool SendsIdentity(SocketType t) => t is SocketType.Req or SocketType.Dealer or SocketType.Router;
}
