using System.Reflection;
using Zmq.Pipes;

namespace Zmq.Tests.Infrastructure;

/// <summary>
/// Read-only introspection of a socket's peers, so tests can wait for "connected" or "queued" instead
/// of sleeping. Uses the internal <see cref="Peer"/> type (InternalsVisibleTo) and reflection on the
/// private-protected peer list; taken under the socket's lock.
/// </summary>
internal static class SocketProbe
{
    private static readonly FieldInfo PeersField =
        typeof(Socket).GetField("Peers", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Socket.Peers not found: update SocketProbe");

    private static T With<T>(Socket socket, Func<List<Peer>, T> f)
    {
        lock (socket.Gate) return f((List<Peer>)PeersField.GetValue(socket)!);
    }

    /// <summary>A snapshot of the socket's peer objects (identity tells whether a connection was replaced).</summary>
    public static Peer[] Peers(Socket s) => With(s, p => p.ToArray());

    /// <summary>Entries in the socket's peer list (attached or not yet removed).</summary>
    public static int PeerCount(Socket s) => With(s, p => p.Count);

    /// <summary>Peers visible to routing.</summary>
    public static int AttachedCount(Socket s) => With(s, p => p.Count(x => x.Attached));

    /// <summary>Peers with a live, handshaken connection (inproc: joined to the other socket's pipes).</summary>
    public static int ConnectedCount(Socket s) => With(s, p => p.Count(IsConnected));

    private static bool IsConnected(Peer x) => x.Attached && (x.Connection is not null || (x.IsInproc && x.HasConnected && x.InprocPartner is not null));

    /// <summary>Messages received from the network and waiting to be read, over all peers.</summary>
    public static int InboundCount(Socket s) => With(s, p => p.Sum(x => x.In.Count));

    /// <summary>Messages queued for sending, over all peers.</summary>
    public static int OutboundCount(Socket s) => With(s, p => p.Sum(x => x.Out.Count));

    /// <summary>Per-peer inbound counts, in peer-list order.</summary>
    public static int[] InboundCounts(Socket s) => With(s, p => p.Select(x => x.In.Count).ToArray());

    public static void WaitConnected(Socket s, int count, TimeSpan? timeout = null) =>
        Wait.Until(() => ConnectedCount(s) >= count, $"{s} has {count} connected peer(s) (has {ConnectedCount(s)})", timeout);
}
