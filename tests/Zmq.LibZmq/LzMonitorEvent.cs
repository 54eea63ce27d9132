using System.Buffers.Binary;
using System.Text;

namespace Zmq.LibZmq;

/// <summary>One zmq_socket_monitor event: the event bit (<see cref="LzEvent"/>), its value and the endpoint.</summary>
/// <param name="Event">The event bit, e.g. <see cref="LzEvent.HandshakeSucceeded"/>.</param>
/// <param name="Value">The event's value: an fd, an errno, a reconnect interval or a status code.</param>
/// <param name="Endpoint">The endpoint the event is about.</param>
public sealed record LzMonitorEvent(int Event, int Value, string Endpoint)
{
    /// <summary>Reads the next event from a monitor PAIR socket (see <see cref="LzSocket.OpenMonitor"/>); null when RCVTIMEO expired.</summary>
    public static LzMonitorEvent? Receive(LzSocket monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        var frames = monitor.ReceiveMultipart();
        if (frames is null)
            return null;
        if (frames.Count != 2 || frames[0].Length != 6)
            throw new InvalidDataException($"Not a libzmq v1 monitor event ({frames.Count} frames).");
        // libzmq writes the uint16 event and uint32 value in host byte order.
        var head = frames[0];
        int evt = BitConverter.IsLittleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(head) : BinaryPrimitives.ReadUInt16BigEndian(head);
        var value = BitConverter.IsLittleEndian ? BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(2)) : BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(2));
        return new LzMonitorEvent(evt, value, Encoding.UTF8.GetString(frames[1]));
    }

    /// <summary>The event's ZMQ_EVENT_* name without the prefix, e.g. "HANDSHAKE_SUCCEEDED".</summary>
    public string Name => Event switch
    {
        LzEvent.Connected => "CONNECTED",
        LzEvent.ConnectDelayed => "CONNECT_DELAYED",
        LzEvent.ConnectRetried => "CONNECT_RETRIED",
        LzEvent.Listening => "LISTENING",
        LzEvent.BindFailed => "BIND_FAILED",
        LzEvent.Accepted => "ACCEPTED",
        LzEvent.AcceptFailed => "ACCEPT_FAILED",
        LzEvent.Closed => "CLOSED",
        LzEvent.CloseFailed => "CLOSE_FAILED",
        LzEvent.Disconnected => "DISCONNECTED",
        LzEvent.MonitorStopped => "MONITOR_STOPPED",
        LzEvent.HandshakeFailedNoDetail => "HANDSHAKE_FAILED_NO_DETAIL",
        LzEvent.HandshakeSucceeded => "HANDSHAKE_SUCCEEDED",
        LzEvent.HandshakeFailedProtocol => "HANDSHAKE_FAILED_PROTOCOL",
        LzEvent.HandshakeFailedAuth => "HANDSHAKE_FAILED_AUTH",
        _ => $"0x{Event:X4}",
    };
}
