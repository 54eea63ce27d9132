using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// REP: a strict request-reply server. Receives requests fair-queued, hides their envelope, and
/// sends each reply back to the requester with the envelope restored. Receiving twice, or sending
/// before receiving, throws <see cref="ZmqError.InvalidState"/>.
/// </summary>
public sealed class RepSocket : Socket
{
    private FairQueue _fq;
    private readonly FrameSet _envelope = new();
    private Peer? _requester;
    private bool _replying;

    /// <summary>Creates a REP socket, optionally attached to CZMQ-style endpoints (default: bind). <paramref name="configure"/> runs first, before any endpoint is attached: set options there (keys, HWMs, ROUTING_ID).</summary>
    public RepSocket(string? endpoints = null, Context? context = null, Action<RepSocket>? configure = null) : base(SocketType.Rep, endpoints, context, Configure(configure)) { }

    private protected override bool TryReceiveLocked(Message into)
    {
        if (_replying) throw InvalidState("REP must send a reply before it can receive the next request");
        while (true)
        {
            var peer = _fq.Pick(Peers);
            if (peer is null) return false;
            if (!FairQueue.TakeInto(peer, into)) return false;
            var fs = into.Frames;
            int delimiter = -1;
            for (int i = 0; i < fs.Count; i++)
            {
                if (fs.FrameLength(i) == 0)
                {
                    delimiter = i;
                    break;
                }
            }
            if (delimiter < 0 || delimiter == fs.Count - 1) continue; // no envelope or no body: malformed, dropped
            _envelope.Clear();
            for (int i = 0; i <= delimiter; i++) _envelope.Add(fs.Frame(i));
            into.Skip = delimiter + 1;
            _requester = peer;
            _replying = true;
            return true;
        }
    }

    private protected override bool TrySendLocked(in OutFrames message)
    {
        if (!_replying) throw InvalidState("REP must receive a request before it can send a reply");
        var peer = _requester;
        if (peer is not null && peer.Attached && !peer.Out.IsFull) Enqueue(peer, message, envelope: _envelope);
        // A requester that left (or cannot take it) loses its reply, as with libzmq.
        _replying = false;
        _requester = null;
        return true;
    }

    private protected override bool HasInLocked()
    {
        if (_replying) return false;
        foreach (var p in Peers)
        {
            while (p.In.Peek() is { } fs)
            {
                if (IsRequest(fs)) return true;
                p.In.Release(1); // no envelope or no body: the receive would drop it too
            }
        }
        return false;
    }

    private static bool IsRequest(Messages.FrameSet fs)
    {
        for (int i = 0; i < fs.Count; i++)
            if (fs.FrameLength(i) == 0) return i < fs.Count - 1;
        return false;
    }

    /// <summary>While a reply is owed (it never waits: a requester that cannot take it loses it).</summary>
    private protected override bool HasOutLocked() => _replying;
}
