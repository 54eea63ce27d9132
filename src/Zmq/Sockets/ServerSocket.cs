using System.Buffers.Binary;
using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// SERVER (draft, libzmq ZMQ_SERVER): talks to CLIENT peers, each known by a 32-bit routing id
/// that this socket assigns (non-zero, counting from a random start, as libzmq). A received
/// message carries its client's id in <see cref="Message.RoutingId"/>; a message sent goes to the
/// client its <see cref="Message.RoutingId"/> names (<see cref="ZmqError.HostUnreachable"/> when
/// there is none). Messages are single-frame: a multipart send is refused
/// (<see cref="ZmqError.InvalidMessage"/>) and a multipart message received is dropped, as libzmq does.
/// </summary>
public sealed class ServerSocket : Socket
{
    private FairQueue _fq;
    private readonly Dictionary<uint, Peer> _table = [];
    private uint _nextId = (uint)Random.Shared.NextInt64(1, 1L << 32);

    /// <summary>Creates a SERVER socket, optionally attached to CZMQ-style endpoints (default: bind). <paramref name="configure"/> runs first, before any endpoint is attached.</summary>
    public ServerSocket(string? endpoints = null, Context? context = null, Action<ServerSocket>? configure = null) : base(SocketType.Server, endpoints, context, Configure(configure)) { }

    /// <summary>Sends <paramref name="frame"/> to the client <paramref name="routingId"/>.</summary>
    /// <exception cref="ZmqException"><see cref="ZmqError.HostUnreachable"/>: no such client.</exception>
    public void Send(uint routingId, ReadOnlySpan<byte> frame)
    {
        using var m = Message.Rent().Add(frame);
        m.RoutingId = routingId;
        SendAndDispose(m);
    }

    /// <summary>Sends <paramref name="text"/> (UTF-8) to the client <paramref name="routingId"/>.</summary>
    public void SendString(uint routingId, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Send(routingId, System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>As ROUTER: a connected peer gets its routing id, and becomes addressable, at its handshake.</summary>
    private protected override bool AttachOnConnect => false;

    private protected override bool AssignRoutingId(Peer peer, byte[] peerIdentity)
    {
        uint id;
        do
        {
            id = _nextId++;
        } while (id == 0 || _table.ContainsKey(id));
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, id);
        peer.RoutingId = bytes;
        _table[id] = peer;
        return true;
    }

    private protected override void OnDetached(Peer peer)
    {
        if (peer.RoutingId.Length == 4 && _table.TryGetValue(BinaryPrimitives.ReadUInt32BigEndian(peer.RoutingId), out var p) && p == peer)
            _table.Remove(BinaryPrimitives.ReadUInt32BigEndian(peer.RoutingId));
    }

    private protected override bool TrySendLocked(in OutFrames message)
    {
        SingleFrame.Check(this, message);
        uint id = message.RoutingId;
        if (id == 0 || !_table.TryGetValue(id, out var peer))
            throw new ZmqException(ZmqError.HostUnreachable, id == 0
                ? "SERVER needs the client's routing id: set Message.RoutingId (from a received message) or use Send(routingId, ...)"
                : $"no client with routing id {id}", Type);
        if (!Outbox.HasRoom(peer)) return false; // waits (SNDTIMEO) for room, as libzmq's EAGAIN
        Outbox.Send(peer, message);
        return true;
    }

    private protected override bool TryReceiveLocked(Message into)
    {
        if (SingleFrame.Take(ref _fq, Peers, into) is not { } peer) return false;
        into.RoutingId = BinaryPrimitives.ReadUInt32BigEndian(peer.RoutingId);
        return true;
    }

    private protected override bool HasInLocked() => SingleFrame.Waiting(Peers);

    /// <summary>Always: a send addresses one client, and waits only if that client is full.</summary>
    private protected override bool HasOutLocked() => true;
}
