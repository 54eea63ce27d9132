using System.Text;
using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// XPUB: a PUB whose application also receives subscriptions, as messages whose first byte is 1
/// (subscribe) or 0 (unsubscribe) followed by the topic: the first subscription to a topic and the
/// last unsubscription from it (every one with <see cref="Verbose"/>/<see cref="Verboser"/>).
/// Other messages from subscribers are received as they are.
/// </summary>
public sealed class XPubSocket : Socket, IInvertMatchingOption, INoDropOption
{
    private readonly Publisher _publisher = new() { Notify = true };
    private readonly Queue<(Peer, byte[][])> _userData = new();
    private byte[]? _welcome;
    private Peer? _lastPeer;

    /// <summary>Creates an XPUB socket, optionally attached to CZMQ-style endpoints (default: bind). <paramref name="configure"/> runs first, before any endpoint is attached: set options there (keys, HWMs, ROUTING_ID).</summary>
    public XPubSocket(string? endpoints = null, Context? context = null, Action<XPubSocket>? configure = null) : base(SocketType.XPub, endpoints, context, Configure(configure)) { }

    /// <summary>
    /// XPUB_VERBOSE: every subscribe message is passed to the application, not only the first one
    /// for each topic. Setting it (either way) turns <see cref="Verboser"/> off, as libzmq does.
    /// Default false.
    /// </summary>
    public bool Verbose
    {
        get => _publisher.VerboseSubscribe;
        set
        {
            _publisher.VerboseSubscribe = value;
            _publisher.VerboseUnsubscribe = false;
        }
    }

    /// <summary>
    /// XPUB_VERBOSER: every subscribe and every unsubscribe message is passed to the application
    /// (including one unsubscribe per topic of a subscriber that leaves), not only the first and
    /// last for each topic. Setting it sets <see cref="Verbose"/> to the same value. Default false.
    /// </summary>
    public bool Verboser
    {
        get => _publisher.VerboseUnsubscribe;
        set
        {
            _publisher.VerboseSubscribe = value;
            _publisher.VerboseUnsubscribe = value;
        }
    }

    /// <summary>
    /// XPUB_MANUAL: subscriptions are not applied automatically. Every subscribe and unsubscribe
    /// message is passed to the application, which applies it with <see cref="Subscribe(ReadOnlySpan{byte})"/>
    /// and <see cref="Unsubscribe(ReadOnlySpan{byte})"/>: they act on the subscriber whose message
    /// was received last. When a subscriber leaves, an unsubscribe for each topic it asked for is
    /// passed up. Default false.
    /// </summary>
    public bool Manual
    {
        get => _publisher.Manual;
        set => _publisher.Manual = value;
    }

    /// <summary>
    /// XPUB_NODROP: when a matching subscriber's queue is full, Send waits (and TrySend returns
    /// false) instead of dropping the message for that subscriber. Default false.
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
    /// XPUB_WELCOME_MSG: a one-frame message queued to every subscriber as it attaches (each
    /// accepted connection; at Connect for a connecting XPUB), before anything else. A SUB receives
    /// it only if it is subscribed to it before connecting. Null or empty disables it. Default null.
    /// </summary>
    public byte[]? WelcomeMessage
    {
        get => _welcome?.ToArray();
        set => _welcome = value is { Length: > 0 } ? value.ToArray() : null;
    }

    /// <summary>
    /// With <see cref="Manual"/>: subscribes the subscriber whose (un)subscription was received
    /// last to <paramref name="topic"/> (nothing happens when there is none, or it has left).
    /// </summary>
    /// <exception cref="ZmqException"><see cref="ZmqError.InvalidState"/> when <see cref="Manual"/> is off.</exception>
    public void Subscribe(ReadOnlySpan<byte> topic) => ApplyManual(true, topic);

    /// <summary>With <see cref="Manual"/>: subscribes the last subscriber to a UTF-8 topic.</summary>
    public void Subscribe(string topic) => Subscribe(Encoding.UTF8.GetBytes(topic));

    /// <summary>
    /// With <see cref="Manual"/>: unsubscribes the subscriber whose (un)subscription was received
    /// last from <paramref name="topic"/>.
    /// </summary>
    /// <exception cref="ZmqException"><see cref="ZmqError.InvalidState"/> when <see cref="Manual"/> is off.</exception>
    public void Unsubscribe(ReadOnlySpan<byte> topic) => ApplyManual(false, topic);

    /// <summary>With <see cref="Manual"/>: unsubscribes the last subscriber from a UTF-8 topic.</summary>
    public void Unsubscribe(string topic) => Unsubscribe(Encoding.UTF8.GetBytes(topic));

    private void ApplyManual(bool subscribe, ReadOnlySpan<byte> topic)
    {
        ThrowIfDisposed();
        lock (Gate)
        {
            if (!_publisher.Manual)
                throw InvalidState("XPUB applies subscriptions itself; Subscribe/Unsubscribe need Manual (XPUB_MANUAL)");
            if (_lastPeer is { Attached: true } peer) _publisher.ApplyManual(peer, subscribe, topic);
        }
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
        if (_welcome is { } welcome) Outbox.SendFrame(peer, welcome);
    }

    private protected override void OnDetached(Peer peer)
    {
        _publisher.Leave(peer, _userData);
        if (_lastPeer == peer) _lastPeer = null;
    }

    private protected override bool TrySendLocked(in OutFrames message)
    {
        _publisher.Process(Peers, _userData);
        return _publisher.Send(Peers, message);
    }

    private protected override bool TryReceiveLocked(Message into)
    {
        _publisher.Process(Peers, _userData);
        into.Frames.Clear();
        into.ResetForReceive();
        if (_publisher.Notifications.TryDequeue(out var sub))
        {
            var from = _publisher.NotificationSources.Dequeue();
            // XPUB_MANUAL acts on the subscriber whose message the application read last (none once it left).
            _lastPeer = from is { Attached: true } ? from : null;
            into.Frames.Add(sub);
            return true;
        }
        if (_userData.TryDequeue(out var data))
        {
            foreach (var f in data.Item2) into.Frames.Add(f);
            return true;
        }
        return false;
    }

    private protected override bool HasInLocked()
    {
        _publisher.Process(Peers, _userData);
        return _publisher.Notifications.Count > 0 || _userData.Count > 0;
    }

    /// <summary>Always, as PUB.</summary>
    private protected override bool HasOutLocked() => true;
}
