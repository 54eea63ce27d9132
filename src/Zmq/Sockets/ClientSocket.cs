using Zmq.Messages;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// CLIENT (draft, libzmq ZMQ_CLIENT): talks to SERVER peers; sends round-robin, receives
/// fair-queued, like DEALER but with single-frame messages only: a multipart send is refused
/// (<see cref="ZmqError.InvalidMessage"/>) and a multipart message received is dropped, as libzmq does.
/// </summary>
public sealed class ClientSocket : Socket
{
    private LoadBalancer _lb;
    private FairQueue _fq;

    /// <summary>Creates a CLIENT socket, optionally attached to CZMQ-style endpoints (default: connect). <paramref name="configure"/> runs first, before any endpoint is attached.</summary>
    public ClientSocket(string? endpoints = null, Context? context = null, Action<ClientSocket>? configure = null) : base(SocketType.Client, endpoints, context, Configure(configure)) { }

    private protected override bool TrySendLocked(in OutFrames message)
    {
        SingleFrame.Check(this, message);
        var peer = _lb.Pick(Peers);
        if (peer is null) return false;
        Outbox.Send(peer, message);
        return true;
    }

    private protected override bool TryReceiveLocked(Message into) => SingleFrame.Take(ref _fq, Peers, into) is not null;

    private protected override bool HasInLocked() => SingleFrame.Waiting(Peers);

    private protected override bool HasOutLocked() => AnyRoomLocked();
}
