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
        : this(new Pipe(sendHwm), new Pipe(receiveHwm), endpoint, connectSide) { }

    /// <summary>A peer over given pipes: inproc joins two sockets by giving each the other's pipes crosswise.</summary>
    public Peer(Pipe outbound, Pipe inbound, string endpoint, bool connectSide)
    {
        Out = outbound;
        In = inbound;
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

    /// <summary>inproc: the other socket's peer object for this pair of pipes, once joined.</summary>
    public Peer? InprocPartner;

    /// <summary>inproc: the socket on the other end, once joined.</summary>
    public Socket? InprocSocket;

    /// <summary>inproc peers need no delivery wait on close: their outbound pipe is the other socket's inbound queue.</summary>
    public bool IsInproc;

    /// <summary>Per-peer state owned by the socket pattern (e.g. a publisher's subscription set).</summary>
    public object? PatternState;

    public override string ToString() => $"peer {Endpoint}";
}
