using Zmq.Messages;
using Zmq.Routing;

namespace Zmq;

/// <summary>GATHER (draft, libzmq ZMQ_GATHER): PULL for single-frame messages; fair-queues SCATTER peers (multipart arrivals are dropped).</summary>
public sealed class GatherSocket : Socket
{
    private FairQueue _fq;

    /// <summary>Creates a GATHER socket, optionally attached to CZMQ-style endpoints (default: connect). <paramref name="configure"/> runs first.</summary>
    public GatherSocket(string? endpoints = null, Context? context = null, Action<GatherSocket>? configure = null) : base(SocketType.Gather, endpoints, context, Configure(configure)) { }

    private protected override bool TrySendLocked(in OutFrames message) => throw NotSupported("sending");

    private protected override bool TryReceiveLocked(Message into) => SingleFrame.Take(ref _fq, Peers, into) is not null;

    private protected override bool HasInLocked() => SingleFrame.Waiting(Peers);

    private protected override bool HasOutLocked() => false;
}
