namespace Zmq.Routing;

/// <summary>Protocol facts per socket type, as tables: wire names, valid peers, CZMQ default action.</summary>
internal static class SocketTypeInfo
{
    private static readonly string[] Names =
        ["PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB"];

    // RFC 37 / libzmq check_socket_type.
    private static readonly SocketType[][] Peers =
    [
        /* PAIR   */ [SocketType.Pair],
        /* PUB    */ [SocketType.Sub, SocketType.XSub],
        /* SUB    */ [SocketType.Pub, SocketType.XPub],
        /* REQ    */ [SocketType.Rep, SocketType.Router],
        /* REP    */ [SocketType.Req, SocketType.Dealer],
        /* DEALER */ [SocketType.Rep, SocketType.Dealer, SocketType.Router],
        /* ROUTER */ [SocketType.Req, SocketType.Dealer, SocketType.Router],
        /* PULL   */ [SocketType.Push],
        /* PUSH   */ [SocketType.Pull],
        /* XPUB   */ [SocketType.Sub, SocketType.XSub],
        /* XSUB   */ [SocketType.Pub, SocketType.XPub],
    ];

    // CZMQ's zsock_new_* defaults when an endpoint has no '@' or '>' prefix.
    private static readonly bool[] BindsByDefault =
        [false, true, false, false, true, false, true, true, false, true, false];

    public static string WireName(SocketType t) => Names[(int)t];

    public static bool TryParseWireName(ReadOnlySpan<byte> name, out SocketType type)
    {
        for (int i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(Names[i])))
            {
                type = (SocketType)i;
                return true;
            }
        }
        type = default;
        return false;
    }

    public static bool IsCompatible(SocketType self, SocketType peer) => Array.IndexOf(Peers[(int)self], peer) >= 0;

    public static bool BindByDefault(SocketType t) => BindsByDefault[(int)t];

    /// <summary>libzmq sends an Identity property only from these types.</summary>
    public static bool SendsIdentity(SocketType t) => t is SocketType.Req or SocketType.Dealer or SocketType.Router;
}
