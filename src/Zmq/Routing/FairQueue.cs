using System.Runtime.CompilerServices;
using Zmq.Messages;
using Zmq.Pipes;

namespace Zmq.Routing;

/// <summary>Fair queueing: one message from each peer with data in turn (libzmq's fq_t).</summary>
internal struct FairQueue
{
    private int _next;

    /// <summary>The next peer with a message waiting, or null. Drops terminated peers once drained.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Peer? Pick(List<Peer> peers)
    {
        int n = peers.Count;
        if (_next >= n) _next = 0; // peers may have left the list since the last pick
        for (int i = 0; i < n; i++)
        {
            int idx = _next + i;
            if (idx >= n) idx -= n;
            var p = peers[idx];
            if (p.In.HasQueued)
            {
                _next = idx + 1 >= n ? 0 : idx + 1;
                return p;
            }
            if (p.Terminated)
            {
                peers.RemoveAt(idx);
                n--;
                i--;
                if (_next > idx) _next--;
                if (_next >= n) _next = 0;
            }
        }
        return null;
    }

    /// <summary>Takes the next message, fair-queued, into <paramref name="into"/>; the peer it came from, or null when none waits.</summary>
    public Peer? Take(List<Peer> peers, Message into)
    {
        var peer = Pick(peers);
        return peer is not null && TakeInto(peer, into) ? peer : null;
    }

    /// <summary>
    /// Takes the head message of <paramref name="peer"/> into <paramref name="into"/> by swapping
    /// buffers (from a CONFLATE pipe: the newest message, dropping older ones). False only when a
    /// conflating producer emptied the pipe for a moment after <see cref="Pick"/> saw a message.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TakeInto(Peer peer, Message into)
    {
        var pipe = peer.In;
        var fs = pipe.IsConflating ? pipe.TakeNewest(into.Frames) : pipe.Take(into.Frames);
        if (fs is null) return false;
        into.Frames = fs;
        into.ResetForReceive();
        return true;
    }
}
