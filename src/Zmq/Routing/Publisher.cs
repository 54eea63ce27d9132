using Zmq.Messages;
using Zmq.Pipes;

namespace Zmq.Routing;

/// <summary>
/// The machinery PUB and XPUB share: per-peer subscription sets fed by the peers' subscription
/// messages, a union with counts (to tell XPUB's application when a topic first appears or last
/// goes), and distribution of a message to every matching peer that has room.
/// </summary>
internal sealed class Publisher
{
    private readonly Subscriptions _union = new();

    /// <summary>(Un)subscriptions for the XPUB application: 0x01/0x00 + topic, in arrival order.</summary>
    public readonly Queue<byte[]> Notifications = new();

    public bool Notify { get; init; }

    public static Subscriptions Of(Peer peer) => (Subscriptions)(peer.PatternState ??= new Subscriptions());

    /// <summary>Applies every queued subscription message of every peer; other messages go to <paramref name="userData"/> (XPUB) or are dropped (PUB).</summary>
    public void Process(List<Peer> peers, Queue<(Peer, byte[][])>? userData)
    {
        for (int i = 0; i < peers.Count; i++) Process(peers[i], userData);
    }

    /// <summary>
    /// Applies one peer's queued messages. Only a single-frame message starting with 1 or 0 is a
    /// (un)subscription (RFC 29); anything else is user data.
    /// </summary>
    private void Process(Peer peer, Queue<(Peer, byte[][])>? userData)
    {
        FrameSet? fs;
        while ((fs = peer.In.Peek()) != null)
        {
            var first = fs.Frame(0);
            if (fs.Kind != FrameSetKind.Data) Apply(peer, fs.Kind == FrameSetKind.Subscribe, first); // inproc hands subscriptions over as they are
            else if (fs.Count == 1 && first.Length > 0 && first[0] is 0 or 1) Apply(peer, first[0] == 1, first.Slice(1));
            else userData?.Enqueue((peer, CopyFrames(fs)));
            peer.In.Release(1);
        }
    }

    /// <summary>A peer left: what it still had queued is applied, then its topics leave the union.</summary>
    public void Leave(Peer peer, Queue<(Peer, byte[][])>? userData)
    {
        Process(peer, userData);
        Forget(peer);
    }

    private void Apply(Peer peer, bool subscribe, ReadOnlySpan<byte> topic)
    {
        var set = Of(peer);
        if (subscribe)
        {
            // Per peer a topic is in or out (a repeated SUBSCRIBE changes nothing); the union counts peers.
            if (!set.Contains(topic) && set.Add(topic) && _union.Add(topic)) Emit(1, topic);
        }
        else if (set.Remove(topic, all: true))
        {
            if (_union.Remove(topic)) Emit(0, topic);
        }
    }

    private void Forget(Peer peer)
    {
        var set = Of(peer);
        foreach (var topic in set.Topics.ToArray())
        {
            if (_union.Remove(topic)) Emit(0, topic);
        }
        set.Clear();
    }

    private void Emit(byte kind, ReadOnlySpan<byte> topic)
    {
        if (!Notify) return;
        var msg = new byte[topic.Length + 1];
        msg[0] = kind;
        topic.CopyTo(msg.AsSpan(1));
        Notifications.Enqueue(msg);
    }

    /// <summary>Queues the message to every matching peer with room; full peers miss it (PUB drops, never blocks).</summary>
    public static void Distribute(List<Peer> peers, in OutFrames message)
    {
        var first = message[0];
        for (int i = 0; i < peers.Count; i++)
        {
            var peer = peers[i];
            if (!peer.Attached || peer.PatternState is not Subscriptions subs || !subs.Matches(first)) continue;
            var fs = peer.Out.TryReserve();
            if (fs is null) continue;
            message.CopyTo(fs);
            peer.Out.Commit();
        }
    }

    private static byte[][] CopyFrames(FrameSet fs)
    {
        var frames = new byte[fs.Count][];
        for (int i = 0; i < frames.Length; i++) frames[i] = fs.Frame(i).ToArray();
        return frames;
    }
}
