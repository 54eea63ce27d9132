using Zmq.Messages;
using Zmq.Pipes;

namespace Zmq.Tests.Routing;

/// <summary>Peers with real pipes but no connection, for testing routing helpers alone.</summary>
internal static class FakePeers
{
    public static Peer Make(string name, int hwm = 4, bool attached = true) =>
        new(hwm, hwm, name, connectSide: false) { Attached = attached };

    public static List<Peer> Many(int n, int hwm = 4) => Enumerable.Range(0, n).Select(i => Make("p" + i, hwm)).ToList();

    /// <summary>Queues a one-frame message on the peer's inbound pipe, as an engine would.</summary>
    public static void Deliver(Peer peer, string text)
    {
        var fs = peer.In.TryReserve() ?? throw new InvalidOperationException("inbound full");
        fs.Add(System.Text.Encoding.UTF8.GetBytes(text));
        peer.In.Commit();
    }

    /// <summary>Fills the peer's outbound pipe to its capacity.</summary>
    public static void FillOut(Peer peer)
    {
        FrameSet? fs;
        while ((fs = peer.Out.TryReserve()) != null)
        {
            fs.Add("x"u8);
            peer.Out.Commit();
        }
    }

    public static void Send(Peer peer)
    {
        var fs = peer.Out.TryReserve() ?? throw new InvalidOperationException("outbound full");
        fs.Add("m"u8);
        peer.Out.Commit();
    }
}
