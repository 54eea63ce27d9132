using Microsoft.Extensions.Logging;
using Zmq.Pipes;

namespace Zmq;

public abstract partial class Socket
{
    private readonly List<Peer> _inprocPeers = [];

    /// <summary>A peer over the given pipes, wired to this socket's signals.</summary>
    internal Peer NewInprocPeer(string endpoint, Pipe outbound, Pipe inbound, bool connectSide = true)
    {
        var peer = new Peer(outbound, inbound, endpoint, connectSide) { IsInproc = true };
        inbound.ConsumerSignal = InboundSignal;
        outbound.ProducerSignal = SendSignal;
        return peer;
    }

    /// <summary>Connect side: the peer exists from Connect on, so sends queue even before the bind (IMMEDIATE=0).</summary>
    internal void AddInprocPeer(Peer peer)
    {
        lock (Gate)
        {
            _inprocPeers.Add(peer);
            if (AttachOnConnect) AttachPeerLocked(peer);
            LastEndpoint = peer.Endpoint;
        }
        SendSignal.Notify();
    }

    /// <summary>Both ends exist: the peer joins routing (with the other socket's routing id). False to refuse.</summary>
    internal bool JoinInproc(Peer peer, byte[] remoteIdentity)
    {
        lock (Gate)
        {
            if (_closing) return false; // a connecter still lingering on close may yet be joined: its messages get delivered
            if (!peer.Attached)
            {
                if (!peer.ConnectSide && !AcceptsPeer(remoteIdentity)) return false;
                if (!AssignRoutingId(peer, remoteIdentity)) return false;
                AttachPeerLocked(peer);
            }
            peer.HasConnected = true;
            if (!_inprocPeers.Contains(peer)) _inprocPeers.Add(peer);
        }
        SendSignal.Notify();
        RecvSignal.Notify();
        return true;
    }

    /// <summary>The other end went away (or refused): the peer leaves routing; what it already delivered stays readable.</summary>
    internal void LeaveInproc(Peer peer, string? why = null)
    {
        lock (Gate)
        {
            _inprocPeers.Remove(peer);
            DetachPeerLocked(peer);
        }
        Context.Inproc.RemovePending(this, peer);
        if (why is not null) Logger.LogWarning("{SocketType} {Endpoint}: inproc connection refused: {Reason}", Type, peer.Endpoint, why);
        RecvSignal.Notify();
        SendSignal.Notify();
    }

    private void LeaveInprocPeers()
    {
        Context.Inproc.Remove(this);
        List<Peer> peers;
        lock (Gate) peers = [.. _inprocPeers];
        foreach (var p in peers)
        {
            if (p.InprocSocket is { } other && p.InprocPartner is { } mirror) other.LeaveInproc(mirror);
        }
    }

    private void DisconnectInproc(string endpoint)
    {
        Peer? peer;
        lock (Gate) peer = _inprocPeers.Find(p => p.ConnectSide && p.Endpoint == endpoint);
        if (peer is null) throw new ZmqException(ZmqError.EndpointNotFound, "not connected to this endpoint", Type, endpoint);
        LeaveInproc(peer);
        if (peer.InprocSocket is { } other && peer.InprocPartner is { } mirror) other.LeaveInproc(mirror);
    }
}
