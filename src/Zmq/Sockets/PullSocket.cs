using Zmq.Messages;
using Zmq.Routing;

namespace Zmq;

/// <summary>PULL: receives from PUSH peers, fair-queued. Cannot send.</summary>
public sealed class PullSocket : Socket
{
    private FairQueue _fq;

    /// <summary>Creates a PULL socket, optionally attached to CZMQ-style endpoints (default: bind).</summary>
    public PullSocket(string? endpoints = null, Context? context = null) : base(SocketType.Pull, endpoints, context) { }

    private protected override bool TrySendLocked(in OutFrames message) => throw NotSupported("sending");

    private protected override bool TryReceiveLocked(Message into)
    {
        var peer = _fq.Pick(Peers);
        if (peer is null) return false;
        FairQueue.TakeInto(peer, into);
        return true;
    }
}
