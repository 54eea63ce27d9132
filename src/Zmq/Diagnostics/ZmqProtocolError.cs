namespace Zmq;

/// <summary>
/// The value of a <see cref="MonitorEventType.HandshakeFailedProtocol"/> event: libzmq's
/// <c>ZMQ_PROTOCOL_ERROR_*</c> codes (zmq.h), so a program can switch on them as with libzmq.
/// </summary>
public enum ZmqProtocolError
{
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED: a ZMTP violation without a finer code (e.g. a ZMTP 1.0/2.0 peer, which this library refuses, or a handshake frame over MAXMSGSIZE).</summary>
    ZmtpUnspecified = 0x1000_0000,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND: the peer sent something else than the command the handshake expects (e.g. a message frame or an unknown command instead of READY).</summary>
    ZmtpUnexpectedCommand = 0x1000_0001,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE: a CURVE nonce out of sequence.</summary>
    ZmtpInvalidSequence = 0x1000_0002,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE: a CURVE key exchange failure.</summary>
    ZmtpKeyExchange = 0x1000_0003,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED.</summary>
    ZmtpMalformedCommandUnspecified = 0x1000_0011,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE.</summary>
    ZmtpMalformedCommandMessage = 0x1000_0012,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO.</summary>
    ZmtpMalformedCommandHello = 0x1000_0013,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE.</summary>
    ZmtpMalformedCommandInitiate = 0x1000_0014,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR.</summary>
    ZmtpMalformedCommandError = 0x1000_0015,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY.</summary>
    ZmtpMalformedCommandReady = 0x1000_0016,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME.</summary>
    ZmtpMalformedCommandWelcome = 0x1000_0017,
    /// <summary>
    /// ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA: the peer's READY properties are malformed, or (this
    /// library) announce a socket type that cannot talk to ours. libzmq reports a socket-type
    /// mismatch with DISCONNECTED only; we report it with this code so that it can be told apart.
    /// </summary>
    ZmtpInvalidMetadata = 0x1000_0018,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC: a CURVE box failed to open.</summary>
    ZmtpCryptographic = 0x1100_0001,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH: the peer uses another security mechanism (e.g. CURVE against our NULL).</summary>
    ZmtpMechanismMismatch = 0x1100_0002,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED.</summary>
    ZapUnspecified = 0x2000_0000,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY.</summary>
    ZapMalformedReply = 0x2000_0001,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID.</summary>
    ZapBadRequestId = 0x2000_0002,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION.</summary>
    ZapBadVersion = 0x2000_0003,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE.</summary>
    ZapInvalidStatusCode = 0x2000_0004,
    /// <summary>ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA.</summary>
    ZapInvalidMetadata = 0x2000_0005,
}
