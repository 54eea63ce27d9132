using Zmq.Messages;
using Zmq.Pipes;

namespace Zmq.Routing;

/// <summary>
/// The machinery PUB and XPUB share (libzmq's xpub_t, which PUB derives from): per-peer
/// subscription sets fed by the peers' subscription messages, a union with counts (to tell XPUB's
/// application when a topic first appears or last goes), and distribution of a message to every
/// matching peer that has room. The XPUB_* options and INVERT_MATCHING live here.
/// </summary>
internal sealed class Publisher
{
    private readonly Subscriptions _union = new();

    /// <summary>Topics to the peers subscribed to them: a message finds its subscribers without looking at the others.</summary>
    private readonly SubscriptionIndex<Peer> _index = new();

    /// <summary>
    /// The inbound pipes' consumer signal: subscriptions arriving mark work for the next processing
    /// (so a send does not look at every peer's queue), and wake the socket's receivers.
    /// </summary>
    public SubscriptionArrivals Arrivals { get; } = new();

    /// <summary>XPUB_MANUAL: what each peer asked for (libzmq's _manual_subscriptions), to report on its departure.</summary>
    private readonly Dictionary<Peer, Subscriptions> _requested = [];

    /// <summary>(Un)subscriptions for the XPUB application: 0x01/0x00 + topic, in arrival order.</summary>
    public readonly Queue<byte[]> Notifications = new();

    /// <summary>The peer each entry of <see cref="Notifications"/> came from (null: reported on its departure); kept in step.</summary>
    public readonly Queue<Peer?> NotificationSources = new();

    public bool Notify { get; init; }

    /// <summary>XPUB_VERBOSE: every subscribe is reported, not only the first per topic.</summary>
    public bool VerboseSubscribe { get; set; }

    /// <summary>XPUB_VERBOSER (with <see cref="VerboseSubscribe"/>): every unsubscribe is reported too, not only the last per topic.</summary>
    public bool VerboseUnsubscribe { get; set; }

    /// <summary>XPUB_MANUAL: subscription messages are reported, never applied; the application applies them with <see cref="ApplyManual"/>.</summary>
    public bool Manual { get; set; }

    /// <summary>INVERT_MATCHING: a message goes to the peers whose subscriptions do not match it.</summary>
    public bool Invert { get; set; }

    /// <summary>XPUB_NODROP: when a matching peer's queue is full the message waits (send would block) instead of being dropped for that peer.</summary>
    public bool NoDrop { get; set; }

    public static Subscriptions Of(Peer peer) => (Subscriptions)(peer.PatternState ??= new Subscriptions());

    /// <summary>Applies every queued subscription message of every peer; other messages go to <paramref name="userData"/> (XPUB) or are dropped (PUB).</summary>
    public void Process(List<Peer> peers, Queue<(Peer, byte[][])>? userData)
    {
        if (!Arrivals.TakePending()) return;
        for (int i = 0; i < peers.Count; i++) Process(peers[i], userData);
    }

    /// <summary>
    /// Applies one peer's queued messages. Only a single-frame message starting with 1 or 0 is a
    /// (un)subscription (RFC 29); anything else is user data.
    /// </summary>
    private void Process(Peer peer, Queue<(Peer, byte[][])>? userData)
    {
        FrameSet? fs;
        while ((fs = peer.In.Peek()) != null)
        {
            var first = fs.Frame(0);
            if (fs.Kind != FrameSetKind.Data) Apply(peer, fs.Kind == FrameSetKind.Subscribe, first); // inproc hands subscriptions over as they are
            else if (fs.Count == 1 && first.Length > 0 && first[0] is 0 or 1) Apply(peer, first[0] == 1, first.Slice(1));
            else userData?.Enqueue((peer, CopyFrames(fs)));
            peer.In.Release(1);
        }
    }

    /// <summary>A peer left: what it still had queued is applied, then its topics leave the union.</summary>
    public void Leave(Peer peer, Queue<(Peer, byte[][])>? userData)
    {
        Process(peer, userData);
        Forget(peer);
    }

    private void Apply(Peer peer, bool subscribe, ReadOnlySpan<byte> topic)
    {
        if (Manual)
        {
            // libzmq: remembered for the departure report, passed up every time, never applied.
            if (!_requested.TryGetValue(peer, out var asked)) _requested[peer] = asked = new Subscriptions();
            if (subscribe)
            {
                if (!asked.Contains(topic)) asked.Add(topic);
            }
            else
            {
                asked.Remove(topic, all: true);
            }
            Emit(subscribe ? (byte)1 : (byte)0, topic, peer);
            return;
        }
        var set = Of(peer);
        if (subscribe)
        {
            // Per peer a topic is in or out (a repeated SUBSCRIBE changes nothing); the union counts peers.
            bool first = false;
            if (!set.Contains(topic) && set.Add(topic))
            {
                _index.Add(topic, peer);
                first = _union.Add(topic);
            }
            if (first || VerboseSubscribe) Emit(1, topic, peer);
        }
        else
        {
            bool last = false;
            if (set.Remove(topic, all: true))
            {
                _index.Remove(topic, peer);
                last = _union.Remove(topic);
            }
            if (last || VerboseUnsubscribe) Emit(0, topic, peer);
        }
    }

    /// <summary>
    /// XPUB_MANUAL: subscribes (or unsubscribes) <paramref name="peer"/> to <paramref name="topic"/>
    /// on the application's request; nothing is reported.
    /// </summary>
    public void ApplyManual(Peer peer, bool subscribe, ReadOnlySpan<byte> topic)
    {
        var set = Of(peer);
        if (subscribe)
        {
            if (!set.Contains(topic) && set.Add(topic))
            {
                _index.Add(topic, peer);
                _union.Add(topic);
            }
        }
        else if (set.Remove(topic, all: true))
        {
            _index.Remove(topic, peer);
            _union.Remove(topic);
        }
    }

    private void Forget(Peer peer)
    {
        _index.RemoveAll(peer);
        var set = Of(peer);
        bool manual = Manual;
        foreach (var topic in set.Topics.ToArray())
        {
            bool last = _union.Remove(topic);
            if (!manual && (last || VerboseUnsubscribe)) Emit(0, topic, null);
        }
        set.Clear();
        if (_requested.Remove(peer, out var asked) && manual)
        {
            // libzmq reports every topic the departed peer asked for, whatever was applied.
            foreach (var topic in asked.Topics) Emit(0, topic, null);
        }
    }

    private void Emit(byte kind, ReadOnlySpan<byte> topic, Peer? from)
    {
        if (!Notify) return;
        var msg = new byte[topic.Length + 1];
        msg[0] = kind;
        topic.CopyTo(msg.AsSpan(1));
        Notifications.Enqueue(msg);
        NotificationSources.Enqueue(from);
    }

    /// <summary>
    /// Queues the message to every matching peer (every non-matching one with
    /// <paramref name="invert"/>). A full peer misses it (PUB drops, never blocks), unless
    /// <paramref name="noDrop"/>: then nothing is sent and false is returned while any matching peer
    /// is full. A CONFLATE peer always takes it (replacing what it had waiting).
    /// </summary>
    public static bool Distribute(List<Peer> peers, in OutFrames message, bool invert = false, bool noDrop = false)
    {
        var first = message[0];
        if (noDrop)
        {
            for (int i = 0; i < peers.Count; i++)
            {
                var peer = peers[i];
                if (IsTarget(peer, first, invert) && !Outbox.HasRoom(peer)) return false;
            }
        }
        for (int i = 0; i < peers.Count; i++)
        {
            var peer = peers[i];
            if (!IsTarget(peer, first, invert) || !Outbox.HasRoom(peer)) continue;
            Outbox.Copy(peer, message);
        }
        return true;
    }

    /// <summary>
    /// Distributes with this publisher's INVERT_MATCHING and XPUB_NODROP settings. Without
    /// INVERT_MATCHING the subscribers come from the index: the cost is the topic's length plus the
    /// subscribers that get the message, however many others there are.
    /// </summary>
    public bool Send(List<Peer> peers, in OutFrames message)
    {
        if (Invert) return Distribute(peers, message, invert: true, NoDrop);
        var first = message[0];
        if (NoDrop)
        {
            var check = new RoomCheck();
            _index.Match(first, ref check);
            if (check.Full) return false;
        }
        var deliver = new Deliver(message);
        _index.Match(first, ref deliver);
        return true;
    }

    private struct RoomCheck : ISubscriberVisitor<Peer>
    {
        public bool Full;

        public void Visit(Peer peer)
        {
            if (peer.Attached && !Outbox.HasRoom(peer)) Full = true;
        }
    }

    private readonly ref struct Deliver(in OutFrames message) : ISubscriberVisitor<Peer>
    {
        private readonly OutFrames _message = message;

        public void Visit(Peer peer)
        {
            if (peer.Attached && Outbox.HasRoom(peer)) Outbox.Copy(peer, _message);
        }
    }

    private static bool IsTarget(Peer peer, ReadOnlySpan<byte> first, bool invert) =>
        peer.Attached && (peer.PatternState is Subscriptions subs && subs.Matches(first)) != invert;

    private static byte[][] CopyFrames(FrameSet fs)
    {
        var frames = new byte[fs.Count][];
        for (int i = 0; i < frames.Length; i++) frames[i] = fs.Frame(i).ToArray();
        return frames;
    }
}

/// <summary>
/// The consumer signal of a publisher's inbound pipes: every arrival (a subscription, or XPUB's
/// user data) marks that there is something to process, and wakes the socket's receivers.
/// </summary>
internal sealed class SubscriptionArrivals : Internal.Waker
{
    private int _pending = 1;

    /// <summary>The socket's receive signal, woken as well (XPUB's application reads the subscriptions).</summary>
    public Internal.Waker? Receivers;

    public override bool HasSleepers => true;

    public override void Notify()
    {
        Volatile.Write(ref _pending, 1);
        if (Receivers is { HasSleepers: true } r) r.Notify();
    }

    /// <summary>Marks work without waking anyone (a peer joined: what it queued before it was in the list is still unread).</summary>
    public void MarkPending() => Volatile.Write(ref _pending, 1);

    /// <summary>True (once) when something arrived since the last call.</summary>
    public bool TakePending() => Volatile.Read(ref _pending) != 0 && Interlocked.Exchange(ref _pending, 0) != 0;
}
