using System.Text;
using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// SUB: receives the messages of PUB/XPUB peers whose first frame starts with one of its
/// subscriptions (binary prefixes; the empty prefix matches everything). Subscriptions are sent to
/// publishers, which filter before sending. Cannot send.
/// </summary>
public class SubSocket : Socket
{
    private protected readonly Subscriptions Subscriptions = new();
    private FairQueue _fq;

    /// <summary>Creates a SUB socket, optionally attached to CZMQ-style endpoints (default: connect) and subscribed to <paramref name="subscribe"/>.</summary>
    public SubSocket(string? endpoints = null, string? subscribe = null, Context? context = null)
        : this(SocketType.Sub, endpoints, context)
    {
        if (subscribe is not null) Subscribe(subscribe);
    }

    private protected SubSocket(SocketType type, string? endpoints, Context? context) : base(type, endpoints, context) { }

    private protected override bool LingersOnClose => false;

    private protected override int OutboundCapacity(int sendHighWatermark) => Math.Max(sendHighWatermark, 65536);

    /// <summary>Subscribes to messages whose first frame starts with <paramref name="prefix"/> (empty: everything).</summary>
    public void Subscribe(ReadOnlySpan<byte> prefix)
    {
        ThrowIfDisposed();
        lock (Gate)
        {
            Subscriptions.Add(prefix);
            SendToAll(FrameSetKind.Subscribe, prefix);
        }
    }

    /// <summary>Subscribes to a UTF-8 text prefix.</summary>
    public void Subscribe(string prefix) => Subscribe(Encoding.UTF8.GetBytes(prefix));

    /// <summary>Removes one subscription to <paramref name="prefix"/>; publishers are told when the last one goes.</summary>
    public void Unsubscribe(ReadOnlySpan<byte> prefix)
    {
        ThrowIfDisposed();
        lock (Gate)
        {
            if (Subscriptions.Remove(prefix)) SendToAll(FrameSetKind.Cancel, prefix);
        }
    }

    /// <summary>Removes one subscription to a UTF-8 text prefix.</summary>
    public void Unsubscribe(string prefix) => Unsubscribe(Encoding.UTF8.GetBytes(prefix));

    private protected override void OnAttached(Peer peer) => SendAllTopics(peer);

    private protected override void OnReconnected(Peer peer) => SendAllTopics(peer);

    private void SendAllTopics(Peer peer)
    {
        foreach (var topic in Subscriptions.Topics) SendTo(peer, FrameSetKind.Subscribe, topic);
    }

    private protected void SendToAll(FrameSetKind kind, ReadOnlySpan<byte> topic)
    {
        foreach (var peer in Peers)
            if (peer.Attached) SendTo(peer, kind, topic);
    }

    private static void SendTo(Peer peer, FrameSetKind kind, ReadOnlySpan<byte> topic)
    {
        var fs = peer.Out.TryReserve();
        if (fs is null) return; // only when 65536 subscriptions are pending: they are resent on reconnect
        fs.Kind = kind;
        fs.Add(topic);
        peer.Out.Commit();
    }

    private protected override bool TrySendLocked(in OutFrames message) => throw NotSupported("sending (use Subscribe)");

    private protected override bool TryReceiveLocked(Message into)
    {
        while (true)
        {
            var peer = _fq.Pick(Peers);
            if (peer is null) return false;
            var fs = peer.In.Peek()!;
            if (!Subscriptions.Matches(fs.Frame(0)))
            {
                peer.In.Release(1);
                continue;
            }
            FairQueue.TakeInto(peer, into);
            return true;
        }
    }
}
