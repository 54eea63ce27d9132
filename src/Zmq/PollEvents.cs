namespace Zmq;

/// <summary>
/// A socket's readiness, with libzmq's bit values (ZMQ_POLLIN 1, ZMQ_POLLOUT 2): what
/// <see cref="Socket.Events"/> reports and what a poller waits for.
/// </summary>
[Flags]
public enum PollEvents
{
    /// <summary>Neither.</summary>
    None = 0,
    /// <summary>ZMQ_POLLIN: a receive would return a message now.</summary>
    In = 1,
    /// <summary>ZMQ_POLLOUT: a send would not wait now (for the types that drop instead of waiting, always).</summary>
    Out = 2,
}
