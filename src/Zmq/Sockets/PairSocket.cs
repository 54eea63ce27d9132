using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>PAIR: an exclusive, bidirectional connection to exactly one other PAIR socket.</summary>
public sealed class PairSocket : Socket
{
    private FairQueue _fq;

    /// <summary>Creates a PAIR socket, optionally attached to CZMQ-style endpoints (default: connect). <paramref name="configure"/> runs first, before any endpoint is attached: set options there (keys, HWMs, ROUTING_ID).</summary>
    public PairSocket(string? endpoints = null, Context? context = null, Action<PairSocket>? configure = null) : base(SocketType.Pair, endpoints, context, Configure(configure)) { }

    private protected override bool AcceptsPeer(byte[] peerIdentity) => !Peers.Exists(p => p.Attached);

    private protected override bool TrySendLocked(in OutFrames message)
    {
        Peer? peer = null;
        foreach (var p in Peers)
        {
            if (p.Attached)
            {
                peer = p;
                break;
            }
        }
        if (peer is null || peer.Out.IsFull) return false;
        Enqueue(peer, message);
        return true;
    }

    private protected override bool TakesMessagesWhole => true;

    private protected override bool TryReceiveLocked(Message into)
    {
        var peer = _fq.Pick(Peers);
        return peer is not null && FairQueue.TakeInto(peer, into);
    }

    private protected override bool HasInLocked() => AnyQueuedLocked();

    private protected override bool HasOutLocked()
    {
        foreach (var p in Peers)
            if (p.Attached) return !p.Out.IsFull;
        return false;
    }
}
