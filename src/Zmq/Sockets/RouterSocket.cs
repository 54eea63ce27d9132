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
public sealed class RouterSocket : Socket, IProbeRouterOption
{
    private FairQueue _fq;
    private readonly Dictionary<byte[], Peer> _table = new(ByteArrayComparer.Instance);
    private bool _probeRouter;

    /// <summary>Creates a ROUTER socket, optionally attached to CZMQ-style endpoints (default: bind). <paramref name="configure"/> runs first, before any endpoint is attached: set options there (keys, HWMs, ROUTING_ID).</summary>
    public RouterSocket(string? endpoints = null, Context? context = null, Action<RouterSocket>? configure = null) : base(SocketType.Router, endpoints, context, Configure(configure)) { }

    /// <summary>
    /// ROUTER_MANDATORY: when true, sending to an unknown routing id throws
    /// <see cref="ZmqError.HostUnreachable"/> and a full peer makes Send wait (TrySend returns false)
    /// instead of silently dropping. Default false.
    /// </summary>
    public bool Mandatory { get; set; }

    /// <summary>
    /// ROUTER_HANDOVER: when a peer arrives announcing a routing id that another connected peer
    /// already has, the newcomer takes the id over and the older peer is disconnected (messages it
    /// had already delivered stay readable, under a fresh generated id). When false (the default,
    /// as libzmq) the newcomer is refused.
    /// </summary>
    public bool Handover { get; set; }

    /// <summary>
    /// PROBE_ROUTER: when a peer attaches (each accepted or made connection), an empty one-frame
    /// message is queued to it before anything else, so that a ROUTER peer learns this socket's
    /// routing id at once (its application receives <c>[routing id, ""]</c> and must filter it).
    /// Use it only towards ROUTER peers. Applies to peers attached afterwards. Default false.
    /// </summary>
    public bool ProbeRouter
    {
        get => _probeRouter;
        set => _probeRouter = value;
    }

    private protected override bool AttachOnConnect => false;

    private protected override void OnAttached(Peer peer)
    {
        if (_probeRouter) Outbox.SendFrame(peer, default);
    }

    private protected override bool AssignRoutingId(Peer peer, byte[] peerIdentity)
    {
        if (peerIdentity.Length > 0)
        {
            if (_table.TryGetValue(peerIdentity, out var holder))
            {
                if (!Handover) return false; // libzmq refuses a duplicate id
                TakeOver(holder);
            }
            peer.RoutingId = peerIdentity;
        }
        else
        {
            peer.RoutingId = NewId();
        }
        _table[peer.RoutingId] = peer;
        return true;
    }

    private byte[] NewId()
    {
        var id = new byte[5];
        do RandomNumberGenerator.Fill(id.AsSpan(1));
        while (_table.ContainsKey(id));
        return id;
    }

    /// <summary>
    /// ROUTER_HANDOVER, as libzmq: the old peer is re-keyed under a generated id (so whatever it
    /// already delivered is read under that id), leaves routing at once, and its connection is
    /// closed outside the socket's lock.
    /// </summary>
    private void TakeOver(Peer old)
    {
        _table.Remove(old.RoutingId);
        old.RoutingId = NewId();
        DetachPeerLocked(old);
        var connection = old.Connection;
        var inprocSocket = old.InprocSocket;
        var inprocPartner = old.InprocPartner;
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            if (connection is not null)
            {
                connection.Close("routing id taken over by a new peer (ROUTER_HANDOVER)", error: false);
            }
            else if (old.IsInproc)
            {
                LeaveInproc(old);
                if (inprocSocket is not null && inprocPartner is not null) inprocSocket.LeaveInproc(inprocPartner);
            }
        }, null);
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
        if (!Outbox.HasRoom(peer)) return !Mandatory;
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

    /// <summary>Always, as libzmq: unroutable or full means dropped; with <see cref="Mandatory"/>, when some peer has room.</summary>
    private protected override bool HasOutLocked() => !Mandatory || AnyRoomLocked();
}
