using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// PEER (draft, libzmq ZMQ_PEER): SERVER's addressing among equals. Every peer, accepted or
/// connected, has a 32-bit routing id (<see cref="Message.RoutingId"/> on what it sends and on
/// what is sent to it); <see cref="ConnectPeer"/> returns the id of the peer it connects to at
/// once (zmq_connect_peer), so a message can be queued for it before the connection is up.
/// Single-frame messages only.
/// </summary>
public sealed class PeerSocket : Socket
{
    private FairQueue _fq;
    private readonly IdTable _ids = new();

    /// <summary>Creates a PEER socket, optionally attached to CZMQ-style endpoints (default: connect). <paramref name="configure"/> runs first.</summary>
    public PeerSocket(string? endpoints = null, Context? context = null, Action<PeerSocket>? configure = null) : base(SocketType.Peer, endpoints, context, Configure(configure)) { }

    /// <summary>Connects (as <see cref="Socket.Connect"/>) and returns the routing id of that peer (zmq_connect_peer).</summary>
    /// <exception cref="ZmqException"><see cref="ZmqError.InvalidOption"/> with <see cref="Socket.Immediate"/>: the peer would not exist before the connection.</exception>
    public uint ConnectPeer(string endpoint)
    {
        if (Immediate) throw new ZmqException(ZmqError.InvalidOption, "ConnectPeer needs IMMEDIATE off: with it on there is no peer (and no routing id) before the connection", Type, endpoint);
        Connect(endpoint);
        lock (Gate)
        {
            for (int i = Peers.Count - 1; i >= 0; i--)
                if (Peers[i].ConnectSide && Peers[i].Endpoint == endpoint) return IdTable.IdOf(Peers[i]);
        }
        throw new ZmqException(ZmqError.InvalidState, "the connected peer is gone already", Type, endpoint);
    }

    /// <summary>Sends <paramref name="frame"/> to the peer <paramref name="routingId"/>.</summary>
    public void Send(uint routingId, ReadOnlySpan<byte> frame) => ServerSocket.SendTo(this, routingId, frame);

    /// <summary>Sends <paramref name="text"/> (UTF-8) to the peer <paramref name="routingId"/>.</summary>
    public void SendString(uint routingId, string text) => ServerSocket.SendTo(this, routingId, System.Text.Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))));

    private protected override bool AssignRoutingId(Peer peer, byte[] peerIdentity)
    {
        _ids.Assign(peer);
        return true;
    }

    /// <summary>A connected peer is attached at Connect: its id is given then.</summary>
    private protected override void OnAttached(Peer peer) => _ids.Assign(peer);

    private protected override void OnDetached(Peer peer) => _ids.Remove(peer);

    private protected override bool TrySendLocked(in OutFrames message) => _ids.Send(this, message);

    private protected override bool TryReceiveLocked(Message into) => IdTable.Receive(ref _fq, Peers, into);

    private protected override bool HasInLocked() => SingleFrame.Waiting(Peers);

    private protected override bool HasOutLocked() => true;
}
