using Zmq.Pipes;

namespace Zmq;

public abstract partial class Socket
{
    // ---- pattern hooks (all called with Gate held) ----

    /// <summary>Routes and queues one message; false when it would block.</summary>
    private protected abstract bool TrySendLocked(in Messages.OutFrames message);

    /// <summary>Takes one message into <paramref name="into"/>; false when none is available.</summary>
    private protected abstract bool TryReceiveLocked(Message into);

    /// <summary>A peer became visible to routing.</summary>
    private protected virtual void OnAttached(Peer peer) { }

    /// <summary>Connect made <paramref name="peer"/> (before its first connection; STREAM gives it CONNECT_ROUTING_ID's id here).</summary>
    private protected virtual void OnConnectPeer(Peer peer) { }

    /// <summary>A peer left routing for good.</summary>
    private protected virtual void OnDetached(Peer peer) { }

    /// <summary>A connect-side peer got a new connection (e.g. SUB resends its subscriptions).</summary>
    private protected virtual void OnReconnected(Peer peer) { }

    /// <summary>Whether a new bind-side connection may join (PAIR takes one peer only).</summary>
    private protected virtual bool AcceptsPeer(byte[] peerIdentity) => true;

    /// <summary>Connect-side peers join routing at Connect (libzmq IMMEDIATE=0); ROUTER waits for the handshake.</summary>
    private protected virtual bool AttachOnConnect => !Immediate;

    /// <summary>The consumer signal of the peers' inbound pipes (PUB/XPUB: their subscription arrivals, which wake receivers too).</summary>
    private protected virtual Internal.Waker InboundSignal => RecvSignal;

    /// <summary>False for types that never read data from peers (PUSH): the engine discards it.</summary>
    private protected virtual bool ReceivesData => true;

    /// <summary>True for PUB/XPUB: SUBSCRIBE/CANCEL commands become 0x01/0x00 messages in the inbound pipe.</summary>
    private protected virtual bool ReceivesSubscriptions => false;

    /// <summary>Assigns the routing id a ROUTER knows this peer by; false to refuse the peer.</summary>
    private protected virtual bool AssignRoutingId(Peer peer, byte[] peerIdentity) => true;

    /// <summary>False for types whose only output is subscriptions (SUB/XSUB): Dispose does not wait for them.</summary>
    private protected virtual bool LingersOnClose => true;

    /// <summary>Capacity of each peer's outbound pipe (SUB/XSUB queue subscriptions, so theirs is larger).</summary>
    private protected virtual int OutboundCapacity(int sendHighWatermark) => sendHighWatermark;

    /// <summary>Queues all frames of <paramref name="message"/> from <paramref name="first"/> on, after optional leading frames. The caller checked there is room.</summary>
    private protected static void Enqueue(Peer peer, in Messages.OutFrames message, int first = 0, Messages.FrameSet? envelope = null, bool delimiter = false)
    {
        if (envelope is null && !delimiter)
        {
            Routing.Outbox.Send(peer, message, first);
            return;
        }
        var fs = peer.Out.TryReserve()!;
        if (envelope is not null) fs.AddFrom(envelope, 0);
        if (delimiter) fs.Add(default);
        message.CopyTo(fs, first);
        peer.Out.Commit();
    }

    private void AttachPeerLocked(Peer peer)
    {
        peer.Attached = true;
        peer.Terminated = false;
        if (!Peers.Contains(peer)) Peers.Add(peer);
        OnAttached(peer);
    }

    private protected void DetachPeerLocked(Peer peer)
    {
        if (!peer.Attached) return;
        peer.Attached = false;
        peer.Terminated = true;
        OnDetached(peer);
        // Messages already received stay readable; the fair queue drops the peer once drained.
        if (peer.In.IsEmpty) Peers.Remove(peer);
    }
}
