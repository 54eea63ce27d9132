using Microsoft.Extensions.Logging;
using Zmq.Diagnostics;
using Zmq.Pipes;

namespace Zmq.Engine;

/// <summary>
/// What a connection, a listener or a connector may ask of the socket it serves: the narrow
/// interface through which the I/O layer reaches up (implemented by <see cref="Socket"/>). Called
/// on I/O threads; none of these blocks.
/// </summary>
internal interface IEngineHost
{
    SocketType Type { get; }

    ILogger Logger { get; }

    /// <summary>The socket's monitors, or null while nobody monitors (one null check per hook).</summary>
    MonitorHub? Monitors { get; }

    /// <summary>A new connection exists; false when the socket is closing (the connection is dropped).</summary>
    bool TrackConnection(ZmtpConnection connection);

    /// <summary>The handshake succeeded: returns the peer whose pipes the connection serves, or null to refuse it.</summary>
    Peer? AttachConnection(ZmtpConnection connection, Peer? connectPeer);

    /// <summary>The connection ended (exactly once, for every tracked connection).</summary>
    void DetachConnection(ZmtpConnection connection, Peer? peer);

    /// <summary>
    /// Called under the socket's lock by an idle connection a producer just woke: true when the
    /// producer is a send, which then writes to the connection itself once it released the lock.
    /// </summary>
    bool DeferFlushToSender(ZmtpConnection connection);

    /// <summary>A connection's writer went idle: a lingering Dispose may re-check what is undelivered.</summary>
    void NotifyWriterIdle();
}

/// <summary>Who made a connection and wants to know when it ends (a connector, to reconnect).</summary>
internal interface IConnectionOwner
{
    /// <summary>Called on the connection's I/O thread once it has closed.</summary>
    void ConnectionClosed(ZmtpConnection connection);
}
