using System.Security.Cryptography;
using Zmq.Internal;
using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// ROUTER: addresses peers by routing id. Each received message starts with the sender's routing
/// id frame; each sent message must start with the routing id of the peer to send to. Peers that
/// announce an Identity are known by it; others get an unpredictable 5-byte id starting with 0.
/// </summary>
public sealed class RouterSocket : Socket
{
    private FairQueue _fq;
    private readonly Dictionary<byte[], Peer> _table = new(ByteArrayComparer.Instance);

    /// <summary>Creates a ROUTER socket, optionally attached to CZMQ-style endpoints (default: bind).</summary>
    public RouterSocket(string? endpoints = null, Context? context = null) : base(SocketType.Router, endpoints, context) { }

    /// <summary>
    /// ROUTER_MANDATORY: when true, sending to an unknown routing id throws
    /// <see cref="ZmqError.HostUnreachable"/> and a full peer makes Send wait (TrySend returns false)
    /// instead of silently dropping. Default false.
    /// </summary>
    public bool Mandatory { get; set; }

    private protected override bool AttachOnConnect => false;

    private protected override bool AssignRoutingId(Peer peer, byte[] peerIdentity)
    {
        if (peerIdentity.Length > 0)
        {
            if (_table.ContainsKey(peerIdentity)) return false; // libzmq refuses a duplicate id (no handover)
            peer.RoutingId = peerIdentity;
        }
        else
        {
            var id = new byte[5];
            do RandomNumberGenerator.Fill(id.AsSpan(1));
            while (_table.ContainsKey(id));
            peer.RoutingId = id;
        }
        _table[peer.RoutingId] = peer;
        return true;
    }

    private protected override void OnDetached(Peer peer)
    {
        if (_table.TryGetValue(peer.RoutingId, out var p) && p == peer) _table.Remove(peer.RoutingId);
    }

    private protected override bool TrySendLocked(in OutFrames message)
    {
        if (message.Count < 2)
            throw new ZmqException(ZmqError.InvalidMessage, "a ROUTER message needs a routing id frame followed by at least one frame", Type);
        if (!_table.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(message[0], out var peer))
        {
            if (Mandatory) throw new ZmqException(ZmqError.HostUnreachable, $"no peer with routing id {Hex.Format(message[0])} (ROUTER_MANDATORY)", Type);
            return true; // unroutable: dropped, as libzmq does
        }
        if (peer.Out.IsFull) return !Mandatory;
        Enqueue(peer, message, first: 1);
        return true;
    }

    private protected override bool TryReceiveLocked(Message into)
    {
        var peer = _fq.Pick(Peers);
        if (peer is null) return false;
        FairQueue.TakeInto(peer, into);
        into.Prefix = peer.RoutingId;
        return true;
    }
}
