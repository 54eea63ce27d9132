using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// REQ: a strict request-reply client. Each request goes to the next peer (round-robin) behind an
/// empty delimiter frame; the next receive returns that peer's reply. Sending twice, or receiving
/// before sending, throws <see cref="ZmqError.InvalidState"/>.
/// </summary>
public sealed class ReqSocket : Socket
{
    private LoadBalancer _lb;
    private Peer? _replyFrom;
    private bool _awaitingReply;

    /// <summary>Creates a REQ socket, optionally attached to CZMQ-style endpoints (default: connect).</summary>
    public ReqSocket(string? endpoints = null, Context? context = null) : base(SocketType.Req, endpoints, context) { }

    private protected override bool TrySendLocked(in OutFrames message)
    {
        if (_awaitingReply) throw InvalidState("REQ cannot send another request before it receives the reply to the last one");
        var peer = _lb.Pick(Peers);
        if (peer is null) return false;
        Enqueue(peer, message, delimiter: true);
        _replyFrom = peer;
        _awaitingReply = true;
        return true;
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
        while (true)
        {
            var fs = peer.In.Peek();
            if (fs is null) return false;
            if (fs.Count < 2 || fs.FrameLength(0) != 0)
            {
                peer.In.Release(1); // malformed reply without the delimiter: drop it, as libzmq does
                continue;
            }
            FairQueue.TakeInto(peer, into);
            if (peer.Terminated && peer.In.IsEmpty) Peers.Remove(peer);
            into.Skip = 1;
            _awaitingReply = false;
            _replyFrom = null;
            return true;
        }
    }
}
