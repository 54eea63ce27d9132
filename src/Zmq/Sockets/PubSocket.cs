using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>PUB: sends each message to every subscriber whose subscriptions match its first frame; a subscriber whose queue is full misses it (never blocks). Cannot receive.</summary>
public sealed class PubSocket : Socket, IConflateOption, IInvertMatchingOption, INoDropOption
{
    private readonly Publisher _publisher = new();
    private bool _conflate;

    /// <summary>Creates a PUB socket, optionally attached to CZMQ-style endpoints (default: bind). <paramref name="configure"/> runs first, before any endpoint is attached: set options there (keys, HWMs, ROUTING_ID).</summary>
    public PubSocket(string? endpoints = null, Context? context = null, Action<PubSocket>? configure = null) : base(SocketType.Pub, endpoints, context, Configure(configure)) { }

    /// <summary>
    /// XPUB_NODROP (libzmq applies it to PUB too): when a matching subscriber's queue is full, Send
    /// waits (and TrySend returns false) instead of dropping the message for that subscriber.
    /// Default false.
    /// </summary>
    public bool NoDrop
    {
        get => _publisher.NoDrop;
        set => _publisher.NoDrop = value;
    }

    /// <summary>
    /// INVERT_MATCHING: each message goes to the subscribers none of whose subscriptions match it
    /// (including those with no subscription at all). SUB peers must set it too. Default false.
    /// </summary>
    public bool InvertMatching
    {
        get => _publisher.Invert;
        set => _publisher.Invert = value;
    }

    /// <summary>
    /// CONFLATE: each subscriber's queue keeps only the newest message: a send replaces the one
    /// still waiting for that subscriber. Multipart messages are not supported while it is set (Send
    /// throws <see cref="ZmqError.NotSupported"/>). Subscriptions are never conflated. Applies to
    /// subscribers attached afterwards (set it before Bind/Connect). Default false.
    /// </summary>
    public bool Conflate
    {
        get => _conflate;
        set => _conflate = value;
    }

    private protected override bool ReceivesSubscriptions => true;

    private protected override Internal.Waker InboundSignal
    {
        get
        {
            _publisher.Arrivals.Receivers ??= RecvSignal;
            return _publisher.Arrivals;
        }
    }

    private protected override void OnAttached(Peer peer)
    {
        _publisher.Arrivals.MarkPending();
        if (_conflate) Outbox.EnableConflate(peer, inbound: false, outbound: true);
    }

    private protected override void OnDetached(Peer peer) => _publisher.Leave(peer, userData: null);

    private protected override bool TrySendLocked(in OutFrames message)
    {
        if (_conflate) Outbox.RejectMultipart(this, message);
        _publisher.Process(Peers, userData: null);
        return _publisher.Send(Peers, message);
    }

    private protected override bool TryReceiveLocked(Message into) => throw NotSupported("receiving");

    private protected override bool HasInLocked() => false;

    /// <summary>Always: PUB drops for a full subscriber (with NO_DROP too, libzmq says POLLOUT).</summary>
    private protected override bool HasOutLocked() => true;
}
