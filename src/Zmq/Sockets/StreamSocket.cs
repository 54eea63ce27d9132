using System.Security.Cryptography;
using Zmq.Internal;
using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// STREAM (libzmq ZMQ_STREAM): raw TCP (or ipc) with any program, no ZMTP. Every connection,
/// accepted or made, is known by a 5-byte routing id (0 then 4 unpredictable bytes, as ROUTER's),
/// or the one <see cref="ConnectRoutingId"/> set for a connect. Each message received is
/// <c>[routing id, data]</c> where data is whatever one read returned (TCP keeps no message
/// boundaries); with <see cref="Notify"/> a connection's start and its end by the peer each arrive
/// as <c>[routing id, empty]</c>. Each message sent is exactly <c>[routing id, data]</c>: data is
/// written as it is, and an empty data frame closes that connection once what was queued to it is
/// written (a connection made by <see cref="Socket.Connect"/> is then not made again). Sending to
/// an unknown id throws <see cref="ZmqError.HostUnreachable"/>. There is no security mechanism
/// (PLAIN and CURVE options are refused) and no inproc.
/// </summary>
public sealed class StreamSocket : Socket
{
    private FairQueue _fq;
    private readonly Dictionary<byte[], Peer> _table = new(ByteArrayComparer.Instance);
    private byte[]? _connectRoutingId;

    /// <summary>Creates a STREAM socket, optionally attached to CZMQ-style endpoints (default: bind). <paramref name="configure"/> runs first, before any endpoint is attached.</summary>
    public StreamSocket(string? endpoints = null, Context? context = null, Action<StreamSocket>? configure = null) : base(SocketType.Stream, endpoints, context, Configure(configure)) { }

    /// <summary>
    /// STREAM_NOTIFY: a connection's start, and its end by the peer, each arrive as
    /// <c>[routing id, empty]</c>. Default true (as libzmq). Applies to endpoints bound or connected afterwards.
    /// </summary>
    public bool Notify { get; set; } = true;

    /// <summary>
    /// CONNECT_ROUTING_ID: the routing id of the connection the next <see cref="Socket.Connect"/>
    /// makes (used once, then cleared, as libzmq). 1 to 255 bytes, not starting with 0 (those are
    /// the generated ones); null for a generated id.
    /// </summary>
    public byte[]? ConnectRoutingId
    {
        get => _connectRoutingId;
        set
        {
            if (value is { Length: 0 }) value = null;
            if (value is not null && (value.Length > 255 || value[0] == 0))
                throw new ZmqException(ZmqError.InvalidOption, "CONNECT_ROUTING_ID must be 1 to 255 bytes and not start with a zero byte", Type);
            lock (Gate)
            {
                if (value is not null && _table.ContainsKey(value))
                    throw new ZmqException(ZmqError.InvalidOption, $"CONNECT_ROUTING_ID {Hex.Format(value)} is in use", Type);
                _connectRoutingId = value is null ? null : (byte[])value.Clone();
            }
        }
    }

    /// <summary>Connects (as <see cref="Socket.Connect"/>) and returns the routing id its connection will be known by.</summary>
    public byte[] ConnectPeer(string endpoint)
    {
        Connect(endpoint);
        lock (Gate)
        {
            for (int i = _connectPeers.Count - 1; i >= 0; i--)
                if (_connectPeers[i].Endpoint == endpoint) return (byte[])_connectPeers[i].RoutingId.Clone();
        }
        throw new ZmqException(ZmqError.InvalidState, "the connect is gone already", Type, endpoint);
    }

    /// <summary>Sends <paramref name="data"/> to the connection <paramref name="routingId"/> (empty data closes it).</summary>
    public void Send(ReadOnlySpan<byte> routingId, ReadOnlySpan<byte> data)
    {
        using var m = Message.Rent().Add(routingId).Add(data);
        SendAndDispose(m);
    }

    /// <summary>Closes the connection <paramref name="routingId"/> once what was queued to it is written.</summary>
    public void Close(ReadOnlySpan<byte> routingId) => Send(routingId, default);

    private readonly List<Peer> _connectPeers = [];

    /// <summary>A connect's peer gets its id at Connect (CONNECT_ROUTING_ID's, used once) and keeps it across reconnects.</summary>
    private protected override void OnConnectPeer(Peer peer)
    {
        peer.RoutingId = _connectRoutingId ?? NewId();
        _connectRoutingId = null;
        _connectPeers.Add(peer);
    }

    private protected override bool AttachOnConnect => false;

    private protected override bool AssignRoutingId(Peer peer, byte[] peerIdentity)
    {
        if (peer.RoutingId.Length == 0) peer.RoutingId = NewId();
        if (_table.TryGetValue(peer.RoutingId, out var holder) && holder != peer) return false;
        _table[peer.RoutingId] = peer;
        return true;
    }

    private byte[] NewId()
    {
        var id = new byte[5];
        do RandomNumberGenerator.Fill(id.AsSpan(1));
        while (_table.ContainsKey(id) || _connectPeers.Exists(p => p.RoutingId.AsSpan().SequenceEqual(id)));
        return id;
    }

    private protected override void OnDetached(Peer peer)
    {
        if (_table.TryGetValue(peer.RoutingId, out var p) && p == peer) _table.Remove(peer.RoutingId);
    }

    private protected override bool TrySendLocked(in OutFrames message)
    {
        if (message.Count != 2)
            throw new ZmqException(ZmqError.InvalidMessage, $"a STREAM message is exactly [routing id, data]; this one has {message.Count} frame(s)", Type);
        if (!_table.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(message[0], out var peer))
            throw new ZmqException(ZmqError.HostUnreachable, $"no connection with routing id {Hex.Format(message[0])}", Type);
        if (message[1].IsEmpty)
        {
            // Close: no more sends to it; what is queued is written first.
            var connection = peer.Connection;
            DetachPeerLocked(peer);
            connection?.CloseWhenWritten();
            return true;
        }
        if (!Outbox.HasRoom(peer)) return false;
        Outbox.Send(peer, message, first: 1);
        return true;
    }

    private protected override bool TryReceiveLocked(Message into)
    {
        if (_fq.Take(Peers, into) is not { } peer) return false;
        into.Prefix = peer.RoutingId;
        return true;
    }

    private protected override bool HasInLocked() => AnyQueuedLocked();

    /// <summary>Always: a send addresses one connection, and waits only if that one is full.</summary>
    private protected override bool HasOutLocked() => true;
}
