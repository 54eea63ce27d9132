namespace Zmq.Wire;

/// <summary>
/// The wire layer's error: a peer broke ZMTP (or a security mechanism refused it), and the
/// connection ends with this reason. Thrown by the decoder, the greeting and command parsers and the
/// mechanisms; the engine catches it and closes that one connection, never the socket.
/// </summary>
internal sealed class ZmtpException(string message, CloseKind kind = CloseKind.Protocol, long detail = 0) : Exception(message)
{
    /// <summary>How the connection ends, for monitors and metrics.</summary>
    public CloseKind Kind { get; } = kind;

    /// <summary>A ZAP status code or a ZMQ_PROTOCOL_ERROR_* code, depending on <see cref="Kind"/>.</summary>
    public long Detail { get; } = detail;

    /// <summary>
    /// An ERROR command was queued just before: the connection stops sending and waits briefly
    /// for the peer to hang up (so the peer reads the ERROR) instead of closing at once.
    /// </summary>
    public bool LingerAfterError { get; init; }
}
