namespace Zmq;

/// <summary>
/// The exception family of this library. Every instance names the socket type and, where one is
/// involved, the endpoint, plus a <see cref="ZmqError"/> cause a program can switch on.
/// </summary>
public class ZmqException : Exception
{
    /// <summary>Creates an exception with a cause, a message and optional context.</summary>
    public ZmqException(ZmqError error, string message, SocketType? socketType = null, string? endpoint = null, Exception? inner = null)
        : base(Compose(error, message, socketType, endpoint), inner)
    {
        Error = error;
        SocketType = socketType;
        Endpoint = endpoint;
    }

    /// <summary>The cause.</summary>
    public ZmqError Error { get; }

    /// <summary>The type of the socket the operation was called on, when known.</summary>
    public SocketType? SocketType { get; }

    /// <summary>The endpoint involved, when there is one.</summary>
    public string? Endpoint { get; }

    private static string Compose(ZmqError error, string message, SocketType? type, string? endpoint)
    {
        var who = type is { } t ? t.ToString().ToUpperInvariant() + " socket" : "socket";
        return endpoint is null ? $"{who}: {message} ({error})" : $"{who} {endpoint}: {message} ({error})";
    }
}

/// <summary>Thrown by blocking send or receive when SNDTIMEO or RCVTIMEO elapses.</summary>
public sealed class ZmqTimeoutException : ZmqException
{
    /// <summary>Creates a time-out exception for a socket type.</summary>
    public ZmqTimeoutException(string message, SocketType? socketType = null)
        : base(ZmqError.Timeout, message, socketType) { }
}
