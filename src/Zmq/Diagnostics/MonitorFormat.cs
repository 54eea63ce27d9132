namespace Zmq;

/// <summary>How <see cref="Socket.Monitor(string, MonitorEventType, MonitorFormat)"/> encodes each event it sends on its inproc PAIR socket.</summary>
public enum MonitorFormat
{
    /// <summary>
    /// libzmq's zmq_socket_monitor (event version 1): two frames, <c>[uint16 event | uint32 value]</c>
    /// in native byte order (6 bytes), then the endpoint. Events outside libzmq's set
    /// (<see cref="MonitorEventType.LingerExpired"/>) are not sent in this form.
    /// </summary>
    LibZmq,

    /// <summary>
    /// CZMQ's zmonitor actor: three string frames, the event name (e.g. <c>"CONNECTED"</c>, see
    /// <see cref="MonitorEvent.Name"/>), the value in decimal, and the endpoint.
    /// </summary>
    Czmq,
}
