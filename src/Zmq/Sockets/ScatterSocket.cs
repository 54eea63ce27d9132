using Zmq.Messages;
using Zmq.Routing;

namespace Zmq;

/// <summary>SCATTER (draft, libzmq ZMQ_SCATTER): PUSH for single-frame messages; sends round-robin to GATHER peers.</summary>
public sealed class ScatterSocket : Socket
{
    private LoadBalancer _lb;

    /// <summary>Creates a SCATTER socket, optionally attached to CZMQ-style endpoints (default: bind). <paramref name="configure"/> runs first.</summary>
    public ScatterSocket(string? endpoints = null, Context? context = null, Action<ScatterSocket>? configure = null) : base(SocketType.Scatter, endpoints, context, Configure(configure)) { }

    private protected override bool ReceivesData => false;

    private protected override bool TrySendLocked(in OutFrames message)
    {
        SingleFrame.Check(this, message);
        var peer = _lb.Pick(Peers);
        if (peer is null) return false;
        Outbox.Send(peer, message);
        return true;
    }

    private protected override bool TryReceiveLocked(Message into) => throw NotSupported("receiving");

    private protected override bool HasInLocked() => false;

    private protected override bool HasOutLocked() => AnyRoomLocked();
}
