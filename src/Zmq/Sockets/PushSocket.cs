using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>PUSH: sends to connected PULL peers round-robin; blocks when every peer's queue is full. Cannot receive.</summary>
public sealed class PushSocket : Socket, IConflateOption
{
    private LoadBalancer _lb;
    private bool _conflate;

    /// <summary>Creates a PUSH socket, optionally attached to CZMQ-style endpoints (default: connect). <paramref name="configure"/> runs first, before any endpoint is attached: set options there (keys, HWMs, ROUTING_ID).</summary>
    public PushSocket(string? endpoints = null, Context? context = null, Action<PushSocket>? configure = null) : base(SocketType.Push, endpoints, context, Configure(configure)) { }

    /// <summary>
    /// CONFLATE: each peer's outbound queue keeps only the newest message: a send replaces the one
    /// still waiting and never blocks (the high-water marks no longer matter). Multipart messages
    /// are not supported while it is set (Send throws <see cref="ZmqError.NotSupported"/>). Applies
    /// to peers attached afterwards (set it before Bind/Connect). Default false.
    /// </summary>
    public bool Conflate
    {
        get => _conflate;
        set => _conflate = value;
    }

    private protected override bool ReceivesData => false;

    private protected override void OnAttached(Peer peer)
    {
        if (_conflate) Outbox.EnableConflate(peer, inbound: false, outbound: true);
    }

    private protected override bool TrySendLocked(in OutFrames message)
    {
        if (_conflate) Outbox.RejectMultipart(this, message);
        var peer = _lb.Pick(Peers);
        if (peer is null) return false;
        Outbox.Send(peer, message);
        return true;
    }

    private protected override bool TryReceiveLocked(Message into) => throw NotSupported("receiving");

    private protected override bool HasInLocked() => false;

    private protected override bool HasOutLocked() => AnyRoomLocked();
}
