using Zmq.Messages;
using Zmq.Routing;

namespace Zmq;

/// <summary>CHANNEL (draft, libzmq ZMQ_CHANNEL): PAIR for single-frame messages; one CHANNEL peer.</summary>
public sealed class ChannelSocket : Socket
{
    private FairQueue _fq;

    /// <summary>Creates a CHANNEL socket, optionally attached to CZMQ-style endpoints (default: connect). <paramref name="configure"/> runs first.</summary>
    public ChannelSocket(string? endpoints = null, Context? context = null, Action<ChannelSocket>? configure = null) : base(SocketType.Channel, endpoints, context, Configure(configure)) { }

    private protected override bool AcceptsPeer(byte[] peerIdentity) => !Peers.Exists(p => p.Attached);

    private protected override bool TrySendLocked(in OutFrames message)
    {
        SingleFrame.Check(this, message);
        foreach (var p in Peers)
        {
            if (!p.Attached) continue;
            if (p.Out.IsFull) return false;
            Enqueue(p, message);
            return true;
        }
        return false;
    }

    private protected override bool TryReceiveLocked(Message into) => SingleFrame.Take(ref _fq, Peers, into) is not null;

    private protected override bool HasInLocked() => SingleFrame.Waiting(Peers);

    private protected override bool HasOutLocked()
    {
        foreach (var p in Peers)
            if (p.Attached) return !p.Out.IsFull;
        return false;
    }
}
