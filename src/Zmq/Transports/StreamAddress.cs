using System.Net;
using Zmq.Engine;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Transports;

/// <summary>
/// The address of a stream transport (tcp or ipc): everything the listener and the connector need
/// to know about it, so that both run the same ZMTP engine over either.
/// </summary>
internal abstract class StreamAddress
{
    /// <summary>The local end point to bind.</summary>
    public abstract EndPoint BindEndPoint(string endpoint, ConnectionSettings settings);

    /// <summary>The end point to connect to when it needs no name lookup; null when it does (<see cref="ResolveAsync"/>).</summary>
    public abstract EndPoint? ConnectEndPoint();

    /// <summary>Looks the host name up (tcp, on every attempt; never on an I/O thread: it is asynchronous).</summary>
    public virtual Task<EndPoint> ResolveAsync() => Task.FromResult(ConnectEndPoint()!);

    /// <summary>A new, unconnected stream socket for <paramref name="ep"/>.</summary>
    public abstract NetSocket NewSocket(EndPoint ep);

    /// <summary>Options for a freshly connected or accepted socket (tcp: no Nagle delay).</summary>
    public virtual void Configure(NetSocket s, ConnectionSettings settings) { }

    /// <summary>Before binding (ipc: removes a stale socket file, as libzmq does).</summary>
    public virtual void BeforeBind(NetSocket listener, string endpoint, SocketType type) { }

    /// <summary>After the listener closed (ipc: removes the socket file it created).</summary>
    public virtual void AfterUnbind() { }

    /// <summary>Why the cleanup in <see cref="AfterUnbind"/> failed, if it did (monitor: CLOSE_FAILED).</summary>
    public Exception? UnbindError { get; protected set; }

    /// <summary>The endpoint string of what was actually bound (LAST_ENDPOINT).</summary>
    public abstract string Describe(EndPoint bound);

    /// <summary>Parses the address part of a tcp:// or ipc:// endpoint.</summary>
    public static StreamAddress Parse(string transport, string address, string endpoint, SocketType type, bool bind) => transport switch
    {
        "tcp" => TcpAddress.Parse(address, endpoint, type, bind),
        "ipc" => IpcAddress.Parse(address, endpoint, type, bind),
        _ => throw new ZmqException(ZmqError.InvalidEndpoint, $"unknown transport '{transport}'", type, endpoint),
    };
}
