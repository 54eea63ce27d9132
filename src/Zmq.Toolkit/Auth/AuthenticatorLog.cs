using Microsoft.Extensions.Logging;

namespace Zmq;

/// <summary>The <see cref="Authenticator"/>'s log lines (category <c>Zmq.Authenticator</c>), as zauth's verbose mode.</summary>
internal static partial class AuthenticatorLog
{
    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "ZAP {Mechanism} from address '{Address}' (domain '{Domain}'){Who}: allowed ({Reason})")]
    public static partial void Allowed(ILogger logger, string mechanism, string address, string domain, string who, string reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "ZAP {Mechanism} from address '{Address}' (domain '{Domain}'){Who}: denied, status {Status} ({Reason})")]
    public static partial void Denied(ILogger logger, string mechanism, string address, string domain, string who, int status, string reason);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "ZAP: malformed request ({Reason}); {Outcome}")]
    public static partial void Malformed(ILogger logger, string reason, string outcome);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "ZAP: PLAIN password file: {Reason}; every PLAIN peer is denied until it can be read")]
    public static partial void PasswordFileUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 405, Level = LogLevel.Information, Message = "ZAP: PLAIN password file {Path} read: {Count} user(s)")]
    public static partial void PasswordFileLoaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 406, Level = LogLevel.Error, Message = "ZAP {Mechanism} from address '{Address}': the handler failed, status 500")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string mechanism, string address);

    [LoggerMessage(EventId = 407, Level = LogLevel.Information, Message = "ZAP: {Setting}")]
    public static partial void Configured(ILogger logger, string setting);

    [LoggerMessage(EventId = 408, Level = LogLevel.Error, Message = "ZAP: the handler thread stopped on an unexpected error")]
    public static partial void ThreadFailed(ILogger logger, Exception exception);
}
