using Zmq.Pipes;

namespace Zmq.Transports;

/// <summary>
/// A context's inproc namespace: which socket bound which name, and connects waiting for a bind
/// (bind and connect may come in either order). Joining two sockets creates one pipe per direction
/// and gives each socket a peer over them crosswise: messages are handed over as they are, never
/// encoded or copied again.
/// </summary>
internal sealed class InprocRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Socket> _bound = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(Socket Socket, Peer Peer)>> _pending = new(StringComparer.Ordinal);

    /// <summary>True when some socket is bound to this name (e.g. a ZAP handler).</summary>
    public bool IsBound(string name)
    {
        lock (_lock) return _bound.ContainsKey(name);
    }

    public void Bind(Socket binder, string name, string endpoint)
    {
        List<(Socket Socket, Peer Peer)>? waiting;
        lock (_lock)
        {
            if (!_bound.TryAdd(name, binder))
                throw new ZmqException(ZmqError.AddressInUse, "this inproc name is already bound in this context", binder.Type, endpoint);
            _pending.Remove(name, out waiting);
        }
        foreach (var (connecter, peer) in waiting ?? [])
        {
            // Now that the binder is known, its HWMs count (libzmq's set_hwms_boost).
            peer.Out.SetCapacity(Sum(connecter.SendHighWatermark, binder.ReceiveHighWatermark));
            peer.In.SetCapacity(Sum(binder.SendHighWatermark, connecter.ReceiveHighWatermark));
            if (!TryJoin(connecter, peer, binder, endpoint, out var why))
                connecter.LeaveInproc(peer, why);
        }
    }

    /// <summary>Creates the connecting side's peer; joins it now if the name is bound, else when it is.</summary>
    public void Connect(Socket connecter, string name, string endpoint)
    {
        Socket? binder;
        Peer peer;
        lock (_lock)
        {
            _bound.TryGetValue(name, out binder);
            // Each pipe holds the sender's SNDHWM plus the receiver's RCVHWM, as libzmq sizes inproc pipes.
            int toBinder = Sum(connecter.SendHighWatermark, binder?.ReceiveHighWatermark ?? connecter.ReceiveHighWatermark);
            int fromBinder = Sum(binder?.SendHighWatermark ?? connecter.SendHighWatermark, connecter.ReceiveHighWatermark);
            peer = connecter.NewInprocPeer(endpoint, new Pipe(toBinder), new Pipe(fromBinder));
            if (binder is null)
            {
                if (!_pending.TryGetValue(name, out var list)) _pending[name] = list = [];
                list.Add((connecter, peer));
            }
        }
        connecter.AddInprocPeer(peer);
        if (binder is not null && !TryJoin(connecter, peer, binder, endpoint, out var why))
        {
            connecter.LeaveInproc(peer, why);
            throw new ZmqException(ZmqError.NotSupported, why, connecter.Type, endpoint);
        }
    }

    private static bool TryJoin(Socket connecter, Peer peer, Socket binder, string endpoint, out string why)
    {
        if (!Routing.SocketTypeInfo.IsCompatible(connecter.Type, binder.Type))
        {
            why = $"incompatible socket types: {Routing.SocketTypeInfo.WireName(connecter.Type)} cannot talk to {Routing.SocketTypeInfo.WireName(binder.Type)}";
            return false;
        }
        var mirror = binder.NewInprocPeer(endpoint, peer.In, peer.Out, connectSide: false);
        mirror.InprocPartner = peer;
        mirror.InprocSocket = connecter;
        peer.InprocPartner = mirror;
        peer.InprocSocket = binder;
        if (!binder.JoinInproc(mirror, connecter.RoutingIdOption ?? []))
        {
            why = "the bound socket refused the connection (e.g. a PAIR that already has its peer, or a duplicate routing id)";
            return false;
        }
        if (!connecter.JoinInproc(peer, binder.RoutingIdOption ?? []))
        {
            binder.LeaveInproc(mirror, "the connecting socket went away");
            why = "the connecting socket refused the connection";
            return false;
        }
        why = "";
        return true;
    }

    /// <summary>The name is no longer bound; existing pairs stay joined.</summary>
    public bool Unbind(Socket binder, string name)
    {
        lock (_lock)
        {
            if (!_bound.TryGetValue(name, out var s) || s != binder) return false;
            _bound.Remove(name);
            return true;
        }
    }

    /// <summary>Forgets everything of a socket that is closing.</summary>
    public void Remove(Socket socket)
    {
        lock (_lock)
        {
            foreach (var name in _bound.Where(kv => kv.Value == socket).Select(kv => kv.Key).ToList()) _bound.Remove(name);
            foreach (var list in _pending.Values) list.RemoveAll(p => p.Socket == socket);
        }
    }

    public void RemovePending(Socket connecter, Peer peer)
    {
        lock (_lock)
            foreach (var list in _pending.Values) list.RemoveAll(p => p.Socket == connecter && p.Peer == peer);
    }

    private static int Sum(int a, int b) => a == 0 || b == 0 ? 0 : (int)Math.Min((long)a + b, 1 << 20);
}
