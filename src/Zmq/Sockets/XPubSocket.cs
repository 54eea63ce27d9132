using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// XPUB: a PUB whose application also receives subscriptions, as messages whose first byte is 1
/// (subscribe) or 0 (unsubscribe) followed by the topic: the first subscription to a topic and the
/// last unsubscription from it. Other messages from subscribers are received as they are.
/// </summary>
public sealed class XPubSocket : Socket
{
    private readonly Publisher _publisher = new() { Notify = true };
    private readonly Queue<(Peer, byte[][])> _userData = new();

    /// <summary>Creates an XPUB socket, optionally attached to CZMQ-style endpoints (default: bind).</summary>
    public XPubSocket(string? endpoints = null, Context? context = null) : base(SocketType.XPub, endpoints, context) { }

    internal override bool ReceivesSubscriptions => true;

    private protected override void OnDetached(Peer peer) => _publisher.Leave(peer, _userData);

    private protected override bool TrySendLocked(in OutFrames message)
    {
        _publisher.Process(Peers, _userData);
        Publisher.Distribute(Peers, message);
        return true;
    }

    private protected override bool TryReceiveLocked(Message into)
    {
        _publisher.Process(Peers, _userData);
        into.Frames.Clear();
        into.ResetForReceive();
        if (_publisher.Notifications.TryDequeue(out var sub))
        {
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
}
