namespace Zmq.Wire;

/// <summary>
/// Why a connection ended, in a form a socket monitor can map to libzmq's events
/// (HANDSHAKE_FAILED_PROTOCOL, DISCONNECTED, ...) and their protocol error codes.
/// </summary>
internal enum CloseKind
{
    /// <summary>Closed by this side (dispose, disconnect, unbind).</summary>
    Local,
    /// <summary>The peer closed the connection (cleanly, or during the handshake).</summary>
    PeerClosed,
    /// <summary>A network error (reset, unreachable).</summary>
    Network,
    /// <summary>The handshake did not complete within HANDSHAKE_IVL.</summary>
    HandshakeTimeout,
    /// <summary>The peer speaks ZMTP 1.0 or 2.0.</summary>
    UnsupportedVersion,
    /// <summary>The peer uses another security mechanism.</summary>
    MechanismMismatch,
    /// <summary>The peer's socket type cannot talk to ours.</summary>
    IncompatibleSocketType,
    /// <summary>No traffic within HEARTBEAT_TIMEOUT after a PING, or within the peer's TTL.</summary>
    HeartbeatTimeout,
    /// <summary>Malformed or out-of-order frames or commands, or a frame over MAXMSGSIZE.</summary>
    Protocol,
    /// <summary>A protocol violation: during the handshake the peer sent a message frame, a malformed command or another command than the one expected (libzmq: ZMTP_UNEXPECTED_COMMAND).</summary>
    UnexpectedCommand,
    /// <summary>A protocol violation: the peer's READY properties are malformed (libzmq: ZMTP_INVALID_METADATA).</summary>
    InvalidMetadata,
    /// <summary>The peer sent an ERROR command.</summary>
    PeerError,
    /// <summary>The socket refused the peer (second PAIR peer, duplicate routing id).</summary>
    Refused,
    /// <summary>The ZAP handler refused the peer (HANDSHAKE_FAILED_AUTH with the status code as the detail).</summary>
    AuthFailed,
    /// <summary>A protocol violation with a specific libzmq ZMQ_PROTOCOL_ERROR_* code as the detail (CURVE boxes, nonces, malformed commands, ZAP replies); reported even after the handshake, as libzmq does.</summary>
    ProtocolCode,
    /// <summary>The mechanism needs a ZAP handler and none is bound (libzmq: HANDSHAKE_FAILED_NO_DETAIL with EFAULT).</summary>
    NoZapHandler,
    /// <summary>An unexpected failure inside the library.</summary>
    Internal,
}
