using Microsoft.Extensions.Logging;
using Zmq.Diagnostics;
using Zmq.Engine;
using Zmq.Pipes;
using Zmq.Security;

namespace Zmq;

/// <summary>
/// The socket as the host of its connections (<see cref="IEngineHost"/>): the options frozen for
/// each tcp/ipc endpoint at Bind or Connect, and the few calls an engine makes upward
/// (track, attach, detach). Engines never see the socket itself.
/// </summary>
public abstract partial class Socket : IEngineHost
{
    /// <summary>The options as they are now, for an endpoint bound or connected now (libzmq freezes them there too).</summary>
    private ConnectionSettings FreezeSettings() => new()
    {
        Type = Type,
        Raw = Type == SocketType.Stream,
        StreamNotify = this is StreamSocket { Notify: true },
        Logger = Logger,
        Security = new SecuritySettings
        {
            SocketType = Type,
            Mechanism = _mechanism,
            AsServer = IsSecurityServer,
            PlainUsername = PlainUsername ?? "",
            PlainPassword = PlainPassword ?? "",
            CurvePublicKey = _curvePublic,
            CurveSecretKey = _curveSecret,
            CurveServerKey = _curveServerKey,
            ZapDomain = ZapDomain,
            ZapEnforceDomain = ZapEnforceDomain,
            RoutingId = _routingId ?? [],
            Zap = Context.ZapTransport,
        },
        ReceivesData = ReceivesData,
        ReceivesSubscriptions = ReceivesSubscriptions,
        HandshakeIntervalMs = _handshakeIvlMs,
        HeartbeatIntervalMs = HeartbeatIntervalMs,
        HeartbeatTimeoutMs = HeartbeatTimeoutMs,
        HeartbeatTtlMs = HeartbeatTtlMs,
        MaxMessageSize = _maxMsgSize,
        ReconnectIntervalMs = _reconnectIvlMs,
        ReconnectIntervalMaxMs = _reconnectIvlMaxMs,
        ReconnectStop = ReconnectStop,
        ConnectTimeoutMs = ConnectTimeoutMs,
        Backlog = _backlog,
        Ipv6 = Ipv6,
        SendBufferSize = _sndbuf,
        ReceiveBufferSize = _rcvbuf,
        TcpKeepalive = _tcpKeepalive,
        TcpKeepaliveIdle = _tcpKeepaliveIdle,
        TcpKeepaliveInterval = _tcpKeepaliveIntvl,
        TcpKeepaliveCount = _tcpKeepaliveCnt,
    };

    ILogger IEngineHost.Logger => Logger;

    MonitorHub? IEngineHost.Monitors => Monitors;

    bool IEngineHost.TrackConnection(ZmtpConnection connection)
    {
        lock (Gate)
        {
            if (_closing) return false;
            _connections.Add(connection);
            return true;
        }
    }

    Peer? IEngineHost.AttachConnection(ZmtpConnection connection, Peer? connectPeer)
    {
        Peer peer;
        lock (Gate)
        {
            if (_closing) return null;
            if (connectPeer is not null)
            {
                if (!_connectors.Exists(c => c.Peer == connectPeer)) return null; // disconnected meanwhile
                peer = connectPeer;
                if (peer.Attached)
                {
                    peer.Connection = connection;
                    if (peer.HasConnected) OnReconnected(peer); // the first connection sends what OnAttached queued
                    peer.HasConnected = true;
                    SendSignal.Notify();
                    return peer;
                }
            }
            else
            {
                if (!AcceptsPeer(connection.PeerIdentity)) return null;
                peer = NewPeer(connection.Endpoint, connectSide: false);
            }
            if (!AssignRoutingId(peer, connection.PeerIdentity)) return null;
            peer.Connection = connection;
            AttachPeerLocked(peer);
        }
        SendSignal.Notify();
        return peer;
    }

    void IEngineHost.DetachConnection(ZmtpConnection connection, Peer? peer)
    {
        lock (Gate)
        {
            _connections.Remove(connection);
            if (peer is not null && peer.Connection == connection)
            {
                peer.Connection = null;
                if (!peer.ConnectSide || !AttachOnConnect) DetachPeerLocked(peer);
            }
        }
        RecvSignal.Notify();
        _idleSignal.Notify();
    }

    void IEngineHost.NotifyWriterIdle()
    {
        if (_disposed) _idleSignal.Notify();
    }

    /// <summary>True when a message waits to be received (ZAP's reply wait, the poller's POLLIN).</summary>
    internal bool HasInput
    {
        get
        {
            lock (Gate)
            {
                foreach (var p in Peers)
                    if (!p.In.IsEmpty) return true;
            }
            return false;
        }
    }
}
