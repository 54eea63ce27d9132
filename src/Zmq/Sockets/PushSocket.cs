using Zmq.Messages;
using Zmq.Routing;

namespace Zmq;

/// <summary>PUSH: sends to connected PULL peers round-robin; blocks when every peer's queue is full. Cannot receive.</summary>
public sealed class PushSocket : Socket
{
    private LoadBalancer _lb;

    /// <summary>Creates a PUSH socket, optionally attached to CZMQ-style endpoints (default: connect).</summary>
    public PushSocket(string? endpoints = null, Context? context = null) : base(SocketType.Push, endpoints, context) { }

    internal override bool ReceivesData => false;

    private protected override bool TrySendLocked(in OutFrames message)
    {
        var peer = _lb.Pick(Peers);
        if (peer is null) return false;
        Enqueue(peer, message);
        return true;
    }

    private protected override bool TryReceiveLocked(Message into) => throw NotSupported("receiving");
}
