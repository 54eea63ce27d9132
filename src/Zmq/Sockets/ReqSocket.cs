using System.Buffers.Binary;
using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// REQ: a strict request-reply client. Each request goes to the next peer (round-robin) behind an
/// empty delimiter frame; the next receive returns that peer's reply. Sending twice, or receiving
/// before sending, throws <see cref="ZmqError.InvalidState"/> (unless <see cref="Relaxed"/>).
/// </summary>
public sealed class ReqSocket : Socket, IProbeRouterOption
{
    private LoadBalancer _lb;
    private Peer? _replyFrom;
    private bool _awaitingReply;
    private uint _requestId = (uint)Random.Shared.NextInt64(1L << 32); // as libzmq: a random start
    private bool _probeRouter;

    /// <summary>Creates a REQ socket, optionally attached to CZMQ-style endpoints (default: connect). <paramref name="configure"/> runs first, before any endpoint is attached: set options there (keys, HWMs, ROUTING_ID).</summary>
    public ReqSocket(string? endpoints = null, Context? context = null, Action<ReqSocket>? configure = null) : base(SocketType.Req, endpoints, context, Configure(configure)) { }

    /// <summary>
    /// REQ_CORRELATE: each request is sent as <c>[request id, "", body...]</c>, the request id being
    /// 4 bytes (a counter that starts at a random value and grows by one per request, in
    /// little-endian order as libzmq writes its native uint32), and only a reply that starts with
    /// the same id is accepted; others are discarded. REP and ROUTER peers echo the id as part of
    /// the envelope. Default false.
    /// </summary>
    public bool Correlate { get; set; }

    /// <summary>
    /// REQ_RELAXED: a new request may be sent before the reply to the previous one arrived; the
    /// state machine is reset, the new request goes to the next peer, and replies to earlier
    /// requests are discarded (only replies from the peer of the newest request are accepted; turn
    /// on <see cref="Correlate"/> too, or a late reply from that same peer can be taken for the
    /// new one). Receiving before any request still throws. Default false.
    /// </summary>
    public bool Relaxed { get; set; }

    /// <summary>
    /// PROBE_ROUTER: when a peer attaches (at Connect for a connecting socket), an empty one-frame
    /// message is queued to it before any request, so that a ROUTER peer learns this socket's
    /// routing id at once (its application receives <c>[routing id, ""]</c> and must filter it).
    /// Use it only towards ROUTER peers. Applies to peers attached afterwards. Default false.
    /// </summary>
    public bool ProbeRouter
    {
        get => _probeRouter;
        set => _probeRouter = value;
    }

    private protected override void OnAttached(Peer peer)
    {
        if (_probeRouter) Outbox.SendFrame(peer, default);
    }

    private protected override bool TrySendLocked(in OutFrames message)
    {
        if (_awaitingReply)
        {
            if (!Relaxed) throw InvalidState("REQ cannot send another request before it receives the reply to the last one");
            // REQ_RELAXED: forget the outstanding request (libzmq resets before routing the new one).
            _awaitingReply = false;
            _replyFrom = null;
        }
        var peer = _lb.Pick(Peers);
        if (peer is null) return false;
        DiscardUnread();
        var fs = Outbox.Reserve(peer);
        if (Correlate) BinaryPrimitives.WriteUInt32LittleEndian(fs.AddUninitialized(4), ++_requestId);
        fs.Add(default);
        message.CopyTo(fs);
        Outbox.Commit(peer);
        _replyFrom = peer;
        _awaitingReply = true;
        return true;
    }

    /// <summary>As libzmq, everything that arrived before a request is sent is stale: dropped, and departed peers forgotten.</summary>
    private void DiscardUnread()
    {
        for (int i = Peers.Count - 1; i >= 0; i--)
        {
            var p = Peers[i];
            if (!p.In.IsEmpty) p.In.Clear();
            if (p.Terminated) Peers.RemoveAt(i);
        }
    }

    private protected override void OnDetached(Peer peer)
    {
        // Nothing but the reply we wait for is ever read: let a departed peer leave the list now.
        if (peer != _replyFrom) peer.In.Clear();
    }

    private protected override bool TryReceiveLocked(Message into)
    {
        if (!_awaitingReply) throw InvalidState("REQ must send a request before it can receive");
        // Replies can only come from the peer we asked; anything else is stale and discarded.
        foreach (var p in Peers)
            if (p != _replyFrom && !p.In.IsEmpty) p.In.Clear();
        var peer = _replyFrom!;
        int envelope = Correlate ? 2 : 1;
        while (true)
        {
            var fs = peer.In.Peek();
            if (fs is null) return false;
            if (!IsReply(fs, envelope))
            {
                peer.In.Release(1); // not the reply to this request (or malformed): dropped, as libzmq does
                continue;
            }
            FairQueue.TakeInto(peer, into);
            if (peer.Terminated && peer.In.IsEmpty) Peers.Remove(peer);
            into.Skip = envelope;
            _awaitingReply = false;
            _replyFrom = null;
            return true;
        }
    }

    /// <summary>[request id,] "", body...: the id (with REQ_CORRELATE) must be this request's.</summary>
    private bool IsReply(FrameSet fs, int envelope)
    {
        if (fs.Count <= envelope || fs.FrameLength(envelope - 1) != 0) return false;
        return envelope == 1
            || (fs.FrameLength(0) == 4 && BinaryPrimitives.ReadUInt32LittleEndian(fs.Frame(0)) == _requestId);
    }

    private protected override bool HasInLocked()
    {
        if (!_awaitingReply) return false;
        foreach (var p in Peers)
            if (p != _replyFrom && !p.In.IsEmpty) p.In.Clear();
        var peer = _replyFrom!;
        int envelope = Correlate ? 2 : 1;
        while (peer.In.Peek() is { } fs)
        {
            if (IsReply(fs, envelope)) return true;
            peer.In.Release(1);
        }
        return false;
    }

    /// <summary>When no reply is outstanding (or <see cref="Relaxed"/>) and a peer can take the request.</summary>
    private protected override bool HasOutLocked() => (!_awaitingReply || Relaxed) && AnyRoomLocked();
}
