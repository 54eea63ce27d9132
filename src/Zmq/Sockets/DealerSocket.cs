using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>DEALER: sends round-robin and receives fair-queued, with no envelope rules; talks to ROUTER, REP and DEALER.</summary>
public sealed class DealerSocket : Socket, IProbeRouterOption, IConflateOption
{
    private LoadBalancer _lb;
    private FairQueue _fq;
    private bool _conflate;
    private bool _probeRouter;

    /// <summary>Creates a DEALER socket, optionally attached to CZMQ-style endpoints (default: connect). <paramref name="configure"/> runs first, before any endpoint is attached: set options there (keys, HWMs, ROUTING_ID).</summary>
    public DealerSocket(string? endpoints = null, Context? context = null, Action<DealerSocket>? configure = null) : base(SocketType.Dealer, endpoints, context, Configure(configure)) { }

    /// <summary>
    /// PROBE_ROUTER: when a peer attaches (at Connect for a connecting socket, when a connection is
    /// accepted for a binding one), an empty one-frame message is queued to it before anything
    /// else, so that a ROUTER peer learns this socket's routing id at once (its application
    /// receives <c>[routing id, ""]</c> and must filter it). Use it only towards ROUTER peers.
    /// Applies to peers attached afterwards. Default false.
    /// </summary>
    public bool ProbeRouter
    {
        get => _probeRouter;
        set => _probeRouter = value;
    }

    /// <summary>
    /// CONFLATE: each peer's inbound and outbound queue keeps only the newest message: a send
    /// replaces the one still waiting and never blocks, a receive returns the latest arrival and
    /// drops older unread ones. Multipart messages are not supported while it is set (Send throws
    /// <see cref="ZmqError.NotSupported"/>). Applies to peers attached afterwards (set it before
    /// Bind/Connect). Default false.
    /// </summary>
    public bool Conflate
    {
        get => _conflate;
        set => _conflate = value;
    }

    private protected override void OnAttached(Peer peer)
    {
        if (_conflate) Outbox.EnableConflate(peer, inbound: true, outbound: true);
        if (_probeRouter) Outbox.SendFrame(peer, default);
    }

    private protected override bool TrySendLocked(in OutFrames message)
    {
        if (_conflate) Outbox.RejectMultipart(this, message);
        var peer = _lb.Pick(Peers);
        if (peer is null) return false;
        Outbox.Send(peer, message);
        return true;
    }

    private protected override bool TakesMessagesWhole => true;

    private protected override bool TryReceiveLocked(Message into)
    {
        var peer = _fq.Pick(Peers);
        return peer is not null && FairQueue.TakeInto(peer, into);
    }

    private protected override bool HasInLocked() => AnyQueuedLocked();

    private protected override bool HasOutLocked() => AnyRoomLocked();
}
