using System.Buffers.Binary;
using Zmq.Messages;
using Zmq.Pipes;

namespace Zmq.Routing;

/// <summary>
/// The 32-bit routing ids of SERVER and PEER: assigned non-zero, counting from a random start (as
/// libzmq), kept in the peer (4 bytes, big-endian) and looked up by id for sends.
/// </summary>
internal sealed class IdTable
{
    private readonly Dictionary<uint, Peer> _peers = [];
    private uint _next = (uint)Random.Shared.NextInt64(1, 1L << 32);

    /// <summary>Gives <paramref name="peer"/> the next free id (a peer that has one keeps it).</summary>
    public void Assign(Peer peer)
    {
        if (peer.RoutingId.Length == 4) return;
        uint id;
        do
        {
            id = _next++;
        } while (id == 0 || _peers.ContainsKey(id));
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, id);
        peer.RoutingId = bytes;
        _peers[id] = peer;
    }

    public static uint IdOf(Peer peer) => peer.RoutingId.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(peer.RoutingId) : 0;

    public void Remove(Peer peer)
    {
        uint id = IdOf(peer);
        if (id != 0 && _peers.TryGetValue(id, out var p) && p == peer) _peers.Remove(id);
    }

    /// <summary>The peer a send addresses by the message's routing id; a clear error when there is none.</summary>
    public Peer Find(Socket socket, in OutFrames message)
    {
        uint id = message.RoutingId;
        if (id != 0 && _peers.TryGetValue(id, out var peer)) return peer;
        string type = SocketTypeInfo.WireName(socket.Type);
        throw new ZmqException(ZmqError.HostUnreachable, id == 0
            ? $"{type} needs the peer's routing id: set Message.RoutingId (from a received message) or use Send(routingId, ...)"
            : $"no peer with routing id {id}", socket.Type);
    }

    /// <summary>A SERVER/PEER send: one frame, to the peer the message's routing id names; false while that peer is full.</summary>
    public bool Send(Socket socket, in OutFrames message)
    {
        SingleFrame.Check(socket, message);
        var peer = Find(socket, message);
        if (!Outbox.HasRoom(peer)) return false; // waits (SNDTIMEO) for room, as libzmq's EAGAIN
        Outbox.Send(peer, message);
        return true;
    }

    /// <summary>A SERVER/PEER receive: the next single-frame message, its sender's id on it.</summary>
    public static bool Receive(ref FairQueue fq, List<Peer> peers, Message into)
    {
        if (SingleFrame.Take(ref fq, peers, into) is not { } peer) return false;
        into.RoutingId = IdOf(peer);
        return true;
    }
}
