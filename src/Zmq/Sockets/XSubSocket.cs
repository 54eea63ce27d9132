using Zmq.Messages;

namespace Zmq;

/// <summary>
/// XSUB: a SUB whose subscriptions are sent as messages: 0x01+topic subscribes, 0x00+topic
/// unsubscribes. Any other message is passed upstream to the publishers as it is. Received
/// messages are not filtered again (publishers filter before sending), as in libzmq.
/// </summary>
public sealed class XSubSocket : SubSocket
{
    /// <summary>Creates an XSUB socket, optionally attached to CZMQ-style endpoints (default: connect). <paramref name="configure"/> runs first, before any endpoint is attached: set options there (keys, HWMs, ROUTING_ID).</summary>
    public XSubSocket(string? endpoints = null, Context? context = null, Action<XSubSocket>? configure = null) : base(SocketType.XSub, endpoints, context, Configure(configure)) { }

    private protected override bool Filters => false;

    private protected override bool TrySendLocked(in OutFrames message)
    {
        var first = message[0];
        if (message.Count == 1 && first.Length > 0 && first[0] is 0 or 1)
        {
            var topic = first.Slice(1);
            if (first[0] == 1)
            {
                Subscriptions.Add(topic);
                SendToAll(FrameSetKind.Subscribe, topic);
            }
            else if (Subscriptions.Remove(topic))
            {
                SendToAll(FrameSetKind.Cancel, topic);
            }
            return true;
        }
        foreach (var peer in Peers)
        {
            if (!peer.Attached) continue;
            var fs = peer.Out.TryReserve();
            if (fs is null) continue;
            message.CopyTo(fs);
            peer.Out.Commit();
        }
        return true;
    }

    /// <summary>Always: a message goes to the publishers that can take it, subscriptions never wait.</summary>
    private protected override bool HasOutLocked() => true;
}
