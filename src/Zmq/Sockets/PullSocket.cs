using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>PULL: receives from PUSH peers, fair-queued. Cannot send.</summary>
public sealed class PullSocket : Socket, IConflateOption
{
    private FairQueue _fq;
    private bool _conflate;

    /// <summary>Creates a PULL socket, optionally attached to CZMQ-style endpoints (default: bind). <paramref name="configure"/> runs first, before any endpoint is attached: set options there (keys, HWMs, ROUTING_ID).</summary>
    public PullSocket(string? endpoints = null, Context? context = null, Action<PullSocket>? configure = null) : base(SocketType.Pull, endpoints, context, Configure(configure)) { }

    /// <summary>
    /// CONFLATE: each peer's inbound queue keeps only the newest message: a receive returns the
    /// latest one that arrived and older unread ones are dropped; peers are never held back by a
    /// full queue. Applies to peers attached afterwards (set it before Bind/Connect). Default false.
    /// </summary>
    public bool Conflate
    {
        get => _conflate;
        set => _conflate = value;
    }

    private protected override void OnAttached(Peer peer)
    {
        if (_conflate) Outbox.EnableConflate(peer, inbound: true, outbound: false);
    }

    private protected override bool TrySendLocked(in OutFrames message) => throw NotSupported("sending");

    private protected override bool TakesMessagesWhole => true;

    private protected override bool TryReceiveLocked(Message into)
    {
        var peer = _fq.Pick(Peers);
        return peer is not null && FairQueue.TakeInto(peer, into);
    }

    private protected override bool HasInLocked() => AnyQueuedLocked();

    private protected override bool HasOutLocked() => false;
}
