using Zmq.Messages;
using Zmq.Routing;

namespace Zmq;

/// <summary>DEALER: sends round-robin and receives fair-queued, with no envelope rules; talks to ROUTER, REP and DEALER.</summary>
public sealed class DealerSocket : Socket
{
    private LoadBalancer _lb;
    private FairQueue _fq;

    /// <summary>Creates a DEALER socket, optionally attached to CZMQ-style endpoints (default: connect).</summary>
    public DealerSocket(string? endpoints = null, Context? context = null) : base(SocketType.Dealer, endpoints, context) { }

    private protected override bool TrySendLocked(in OutFrames message)
    {
        var peer = _lb.Pick(Peers);
        if (peer is null) return false;
        Enqueue(peer, message);
        return true;
    }

    private protected override bool TryReceiveLocked(Message into)
    {
        var peer = _fq.Pick(Peers);
        if (peer is null) return false;
        FairQueue.TakeInto(peer, into);
        return true;
    }
}
