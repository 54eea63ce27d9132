namespace Zmq;

/// <summary>The cause carried by a <see cref="ZmqException"/>.</summary>
public enum ZmqError
{
    /// <summary>An endpoint string could not be parsed or names an unsupported transport.</summary>
    InvalidEndpoint,
    /// <summary>The address is already in use by another socket or process.</summary>
    AddressInUse,
    /// <summary>The address is not available on this machine.</summary>
    AddressNotAvailable,
    /// <summary>A host name could not be resolved.</summary>
    HostNotFound,
    /// <summary>The operation is not valid in the socket's current state (e.g. REQ sending twice).</summary>
    InvalidState,
    /// <summary>The operation is not supported by this socket type.</summary>
    NotSupported,
    /// <summary>The socket has been disposed.</summary>
    Disposed,
    /// <summary>A send or receive time-out elapsed.</summary>
    Timeout,
    /// <summary>The message cannot be routed (ROUTER_MANDATORY with an unknown routing id).</summary>
    HostUnreachable,
    /// <summary>An option value is out of range or of the wrong kind.</summary>
    InvalidOption,
    /// <summary>The endpoint was never bound or connected on this socket.</summary>
    EndpointNotFound,
    /// <summary>The message is malformed for this socket type (e.g. missing routing id frame).</summary>
    InvalidMessage,
    /// <summary>An operating-system networking error.</summary>
    Network,
    /// <summary>The socket's <see cref="Context"/> was disposed (libzmq's ETERM): the socket is closed, and calls blocked on it return with this error.</summary>
    ContextTerminated,
}
