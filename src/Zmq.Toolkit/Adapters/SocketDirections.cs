namespace Zmq.Toolkit;

/// <summary>Which way each socket type carries messages (PUSH and PUB never receive, PULL and SUB never send).</summary>
internal static class SocketDirections
{
    public static bool CanReceive(SocketType type) => type is not (SocketType.Push or SocketType.Pub);

    public static bool CanSend(SocketType type) => type is not (SocketType.Pull or SocketType.Sub);

    /// <summary>The error of an adapter asked for a direction its socket's type does not have.</summary>
    public static ArgumentException Unsupported(Socket socket, string what, string paramName) =>
        new($"a {socket.Type.ToString().ToUpperInvariant()} socket cannot {what}", paramName);

    /// <summary>Disposed or context terminated: the socket is gone for good (what ends an adapter).</summary>
    public static bool IsClosed(ZmqException e) => e.Error is ZmqError.Disposed or ZmqError.ContextTerminated;
}
