using Microsoft.Extensions.Logging;

namespace Zmq.Hosting;

/// <summary>The hosting layer's log lines (category <c>Zmq.Hosting</c>).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Zmq socket '{Name}' ({SocketType}) attached: {Endpoints}")]
    public static partial void SocketCreated(ILogger logger, string name, string socketType, string endpoints);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Zmq socket '{Name}': linger {Linger} cut to {LingerMs} ms, what the host's shutdown timeout leaves")]
    public static partial void LingerCut(ILogger logger, string name, string linger, int lingerMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Zmq: closed {Sockets} socket(s) and {Actors} actor(s) in {ElapsedMs} ms")]
    public static partial void Closed(ILogger logger, int sockets, int actors, long elapsedMs);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Zmq: closing did not end within the host's shutdown timeout (a socket not made by Zmq.Hosting lingers in the host's context, or an actor would not end); left to finish in the background")]
    public static partial void CloseTimedOut(ILogger logger);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Zmq actor '{Name}' started")]
    public static partial void ActorStarted(ILogger logger, string name);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Zmq authenticator started: {Rules}")]
    public static partial void AuthenticatorStarted(ILogger logger, string rules);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "Zmq worker on socket '{Name}' failed")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, string name);
}
