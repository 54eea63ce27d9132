using Microsoft.Extensions.Logging;

namespace Zmq.Toolkit;

/// <summary>The beacon's log lines; the Information ones only in verbose mode, as zbeacon's VERBOSE.</summary>
internal static partial class BeaconLog
{
    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "zbeacon: API command={Command}")]
    public static partial void Command(ILogger logger, string command);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "zbeacon: {Route}")]
    public static partial void Route(ILogger logger, BeaconRoute route);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "zbeacon: configured, hostname={Hostname}")]
    public static partial void Configured(ILogger logger, string hostname);

    [LoggerMessage(EventId = 704, Level = LogLevel.Error, Message = "zbeacon: {Reason}")]
    public static partial void ConfigureFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Debug, Message = "zbeacon: failed to transmit, attempting reconnection. reason={Reason}")]
    public static partial void TransmitFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 706, Level = LogLevel.Warning, Message = "zbeacon: setsockopt {Option} failed: {Reason}")]
    public static partial void OptionFailed(ILogger logger, string option, string reason);

    [LoggerMessage(EventId = 707, Level = LogLevel.Debug, Message = "zbeacon: receive failed ({Code}): {Reason}; receiving goes on")]
    public static partial void ReceiveFailed(ILogger logger, string code, string reason);

    [LoggerMessage(EventId = 708, Level = LogLevel.Error, Message = "zbeacon: handing a beacon over failed; receiving goes on")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 709, Level = LogLevel.Error, Message = "zbeacon: invalid command: {Command} ({Reason}); ignored")]
    public static partial void InvalidCommand(ILogger logger, string command, string reason);

    [LoggerMessage(EventId = 710, Level = LogLevel.Debug, Message = "zbeacon: ignored a datagram of {Length} bytes from {Address} (a beacon is at most 255)")]
    public static partial void TooLong(ILogger logger, int length, string address);

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "zbeacon: the queue of received beacons is full ({Capacity}); the oldest was dropped ({Dropped} so far)")]
    public static partial void Dropped(ILogger logger, int capacity, long dropped);
}
