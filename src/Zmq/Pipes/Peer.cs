using Zmq.Engine;

namespace Zmq.Pipes;

/// <summary>
/// One peer of a socket: the outbound and inbound pipes plus what the pattern needs to know about
/// it. A connect-side peer lives from Connect until Disconnect and survives reconnects (queued
/// messages wait for the next connection, as libzmq's IMMEDIATE=0); a bind-side peer lives as long
/// as its one connection.
/// </summary>
internal sealed class Peer
{
    public Peer(int sendHwm, int receiveHwm, string endpoint, bool connectSide)
    {
        Out = new Pipe(sendHwm);
        In = new Pipe(receiveHwm);
        Endpoint = endpoint;
        ConnectSide = connectSide;
    }

    public readonly Pipe Out;
    public readonly Pipe In;
    public readonly string Endpoint;
    public readonly bool ConnectSide;

    /// <summary>The routing id this socket knows the peer by (ROUTER), or empty.</summary>
    public byte[] RoutingId = [];

    /// <summary>The live connection, if any.</summary>
    public volatile ZmtpConnection? Connection;

    /// <summary>A connection has completed its handshake for this peer at least once.</summary>
    public bool HasConnected;

    /// <summary>Visible to the socket's routing (send/receive).</summary>
    public bool Attached;

    /// <summary>Gone for good: no more messages will arrive; removed once its inbound pipe is drained.</summary>
    public bool Terminated;

    /// <summary>Per-peer state owned by the socket pattern (e.g. a publisher's subscription set).</summary>
    public object? PatternState;

    public override string ToString() => $"peer {Endpoint}";
}
