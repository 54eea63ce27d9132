using System.Text;
using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// SUB: receives the messages of PUB/XPUB peers whose first frame starts with one of its
/// subscriptions (binary prefixes; the empty prefix matches everything). Subscriptions are sent to
/// publishers, which filter before sending. Cannot send.
/// </summary>
public class SubSocket : Socket, IConflateOption, IInvertMatchingOption
{
    private protected readonly Subscriptions Subscriptions = new();
    private FairQueue _fq;

    /// <summary>Creates a SUB socket, optionally attached to CZMQ-style endpoints (default: connect) and subscribed to <paramref name="subscribe"/>. <paramref name="configure"/> runs first, before any endpoint is attached: set options there (keys, HWMs, ROUTING_ID).</summary>
    public SubSocket(string? endpoints = null, string? subscribe = null, Context? context = null, Action<SubSocket>? configure = null)
        : this(SocketType.Sub, endpoints, context, Configure(configure))
    {
        if (subscribe is not null) Subscribe(subscribe);
    }

    private protected SubSocket(SocketType type, string? endpoints, Context? context, Action<Socket>? configure) : base(type, endpoints, context, configure) { }

    private bool _conflate;
    private bool _invertMatching;

    /// <summary>
    /// CONFLATE (SUB only; XSUB ignores it, as libzmq): each publisher's inbound queue keeps only
    /// the newest message: a receive returns the latest arrival and older unread ones are dropped.
    /// Filtering applies to the message kept, as in libzmq, so use it with a single topic.
    /// Subscriptions themselves are never conflated. Applies to peers attached afterwards (set it
    /// before Connect/Bind). Default false.
    /// </summary>
    public bool Conflate
    {
        get => _conflate;
        set => _conflate = value;
    }

    /// <summary>
    /// INVERT_MATCHING: receive only the messages that match none of the subscriptions. Publishers
    /// filter before sending, so a PUB/XPUB peer must have the option set as well (XSUB ignores it:
    /// it does not filter, as libzmq). Default false.
    /// </summary>
    public bool InvertMatching
    {
        get => _invertMatching;
        set => _invertMatching = value;
    }

    /// <summary>SUB filters what it receives; XSUB passes everything on (libzmq: options.filter).</summary>
    private protected virtual bool Filters => true;

    private protected override bool LingersOnClose => false;

    private protected override int OutboundCapacity(int sendHighWatermark) => Math.Max(sendHighWatermark, 65536);

    /// <summary>Subscribes to messages whose first frame starts with <paramref name="prefix"/> (empty: everything).</summary>
    public void Subscribe(ReadOnlySpan<byte> prefix)
    {
        ThrowIfDisposed();
        lock (Gate)
        {
            Subscriptions.Add(prefix);
            SendToAll(FrameSetKind.Subscribe, prefix);
        }
    }

    /// <summary>Subscribes to a UTF-8 text prefix.</summary>
    public void Subscribe(string prefix) => Subscribe(Encoding.UTF8.GetBytes(prefix));

    /// <summary>Removes one subscription to <paramref name="prefix"/>; publishers are told when the last one goes.</summary>
    public void Unsubscribe(ReadOnlySpan<byte> prefix)
    {
        ThrowIfDisposed();
        lock (Gate)
        {
            if (Subscriptions.Remove(prefix)) SendToAll(FrameSetKind.Cancel, prefix);
        }
    }

    /// <summary>Removes one subscription to a UTF-8 text prefix.</summary>
    public void Unsubscribe(string prefix) => Unsubscribe(Encoding.UTF8.GetBytes(prefix));

    private protected override void OnAttached(Peer peer)
    {
        if (_conflate && Type == SocketType.Sub) Outbox.EnableConflate(peer, inbound: true, outbound: false);
        SendAllTopics(peer);
    }

    private protected override void OnReconnected(Peer peer) => SendAllTopics(peer);

    private void SendAllTopics(Peer peer)
    {
        foreach (var topic in Subscriptions.Topics) SendTo(peer, FrameSetKind.Subscribe, topic);
    }

    private protected void SendToAll(FrameSetKind kind, ReadOnlySpan<byte> topic)
    {
        foreach (var peer in Peers)
            if (peer.Attached) SendTo(peer, kind, topic);
    }

    private static void SendTo(Peer peer, FrameSetKind kind, ReadOnlySpan<byte> topic)
    {
        var fs = peer.Out.TryReserve();
        if (fs is null) return; // only when 65536 subscriptions are pending: they are resent on reconnect
        fs.Kind = kind;
        fs.Add(topic);
        peer.Out.Commit();
    }

    private protected override bool TrySendLocked(in OutFrames message) => throw NotSupported("sending (use Subscribe)");

    private protected override bool TryReceiveLocked(Message into)
    {
        while (true)
        {
            var peer = _fq.Pick(Peers);
            if (peer is null) return false;
            if (peer.In.IsConflating)
            {
                // CONFLATE: the newest message is taken first, then filtered (a non-matching one is dropped).
                if (!FairQueue.TakeInto(peer, into)) return false;
                if (Accepts(into.Frames.Frame(0))) return true;
                continue;
            }
            var fs = peer.In.Peek()!;
            if (!Accepts(fs.Frame(0)))
            {
                peer.In.Release(1);
                continue;
            }
            return FairQueue.TakeInto(peer, into);
        }
    }

    private bool Accepts(ReadOnlySpan<byte> first) => !Filters || Subscriptions.Matches(first) != _invertMatching;

    private protected override bool HasInLocked()
    {
        foreach (var p in Peers)
        {
            if (p.In.IsConflating)
            {
                if (p.In.HasQueued) return true;
                continue;
            }
            while (p.In.Peek() is { } fs)
            {
                if (Accepts(fs.Frame(0))) return true;
                p.In.Release(1); // unmatched: the receive would drop it too
            }
        }
        return false;
    }

    private protected override bool HasOutLocked() => false;
}
