using Microsoft.Extensions.Logging;

namespace Zmq.Diagnostics;

/// <summary>Source-generated log messages: one place for every line the library writes.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{SocketType} {Endpoint}: connection from/to {Remote} closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, SocketType socketType, string endpoint, string remote, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{SocketType} {Endpoint}: handshake with {Remote} refused: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, SocketType socketType, string endpoint, string remote, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{SocketType} {Endpoint}: connected to {Remote}")]
    public static partial void Connected(ILogger logger, SocketType socketType, string endpoint, string remote);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "{SocketType} {Endpoint}: connect failed ({Reason}), retrying in {DelayMs} ms")]
    public static partial void ConnectRetry(ILogger logger, SocketType socketType, string endpoint, string reason, int delayMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{SocketType}: linger expired with {Count} message(s) undelivered; they were dropped")]
    public static partial void LingerDropped(ILogger logger, SocketType socketType, int count);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "{SocketType} {Endpoint}: not reconnecting ({Reason}): RECONNECT_STOP says so")]
    public static partial void ReconnectStopped(ILogger logger, SocketType socketType, string endpoint, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "{SocketType} {Endpoint}: accepted {Remote}")]
    public static partial void Accepted(ILogger logger, SocketType socketType, string endpoint, string remote);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Unexpected failure on {Endpoint}")]
    public static partial void LogUnexpected(this ILogger logger, Exception exception, string endpoint);
}
