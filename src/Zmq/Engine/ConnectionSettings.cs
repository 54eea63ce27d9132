using Microsoft.Extensions.Logging;
using Zmq.Security;

namespace Zmq.Engine;

/// <summary>
/// A socket's options as they were when Bind or Connect was called (as libzmq does, a later change
/// applies to later endpoints only): everything a listener, a connector and their connections
/// need, so that none of them reads the socket.
/// </summary>
internal sealed class ConnectionSettings
{
    public required SocketType Type { get; init; }
    public required ILogger Logger { get; init; }
    public required SecuritySettings Security { get; init; }

    /// <summary>False for types that never read data from peers (PUSH): the engine discards it.</summary>
    public bool ReceivesData { get; init; } = true;

    /// <summary>True for PUB/XPUB: SUBSCRIBE/CANCEL commands become 0x01/0x00 messages in the inbound pipe.</summary>
    public bool ReceivesSubscriptions { get; init; }

    /// <summary>STREAM: raw bytes, no ZMTP (no greeting, handshake, framing or heartbeats).</summary>
    public bool Raw { get; init; }

    /// <summary>STREAM_NOTIFY: a raw connection's start and end each put an empty message in the inbound pipe.</summary>
    public bool StreamNotify { get; init; }

    public int HandshakeIntervalMs { get; init; } = 30_000;
    public int HeartbeatIntervalMs { get; init; }
    public int HeartbeatTimeoutMs { get; init; }
    public int HeartbeatTtlMs { get; init; }
    public long MaxMessageSize { get; init; } = -1;

    public int ReconnectIntervalMs { get; init; } = 100;
    public int ReconnectIntervalMaxMs { get; init; }
    public ReconnectStop ReconnectStop { get; init; }
    public int ConnectTimeoutMs { get; init; }
    public int Backlog { get; init; } = 100;
    public bool Ipv6 { get; init; }

    public int SendBufferSize { get; init; } = -1;
    public int ReceiveBufferSize { get; init; } = -1;
    public int TcpKeepalive { get; init; } = -1;
    public int TcpKeepaliveIdle { get; init; } = -1;
    public int TcpKeepaliveInterval { get; init; } = -1;
    public int TcpKeepaliveCount { get; init; } = -1;

    public void ApplyBufferSizes(System.Net.Sockets.Socket s)
    {
        if (SendBufferSize > 0) s.SendBufferSize = SendBufferSize;
        if (ReceiveBufferSize > 0) s.ReceiveBufferSize = ReceiveBufferSize;
    }

    /// <summary>Applies the TCP keep-alive options to a connected socket.</summary>
    public void ApplyKeepalive(System.Net.Sockets.Socket s)
    {
        if (TcpKeepalive < 0) return;
        s.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.KeepAlive, TcpKeepalive == 1);
        if (TcpKeepalive != 1) return;
        if (TcpKeepaliveIdle > 0) s.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Tcp, System.Net.Sockets.SocketOptionName.TcpKeepAliveTime, TcpKeepaliveIdle);
        if (TcpKeepaliveInterval > 0) s.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Tcp, System.Net.Sockets.SocketOptionName.TcpKeepAliveInterval, TcpKeepaliveInterval);
        if (TcpKeepaliveCount > 0) s.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Tcp, System.Net.Sockets.SocketOptionName.TcpKeepAliveRetryCount, TcpKeepaliveCount);
    }
}
