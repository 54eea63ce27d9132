using System.Runtime.CompilerServices;
using Zmq.Pipes;

namespace Zmq.Routing;

/// <summary>Round-robin over peers that have room (PUSH, DEALER, REQ): libzmq's lb_t.</summary>
internal struct LoadBalancer
{
    private int _next;

    /// <summary>The next live peer whose outbound pipe has room (a CONFLATE pipe always has), or null when all are full or none exist.</summary>
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
            if (p.Attached && (!p.Out.IsFull || p.Out.IsConflating))
            {
                _next = idx + 1 >= n ? 0 : idx + 1;
                return p;
            }
        }
        return null;
    }
}
