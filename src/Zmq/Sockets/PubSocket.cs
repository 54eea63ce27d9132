using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>PUB: sends each message to every subscriber whose subscriptions match its first frame; a subscriber whose queue is full misses it (never blocks). Cannot receive.</summary>
public sealed class PubSocket : Socket
{
    private readonly Publisher _publisher = new();

    /// <summary>Creates a PUB socket, optionally attached to CZMQ-style endpoints (default: bind).</summary>
    public PubSocket(string? endpoints = null, Context? context = null) : base(SocketType.Pub, endpoints, context) { }

    internal override bool ReceivesSubscriptions => true;

    private protected override void OnDetached(Peer peer) => _publisher.Leave(peer, userData: null);

    private protected override bool TrySendLocked(in OutFrames message)
    {
        _publisher.Process(Peers, userData: null);
        Publisher.Distribute(Peers, message);
        return true;
    }

    private protected override bool TryReceiveLocked(Message into) => throw NotSupported("receiving");
}
