namespace Zmq.Engine;

/// <summary>The connection's side of socket monitoring (see Diagnostics/MonitorHub.cs); kept here so the engine files carry only one-line hooks.</summary>
internal sealed partial class ZmtpConnection
{
    private volatile bool _handshakeDone;

    /// <summary>True once the ZMTP handshake completed: a later ending is a plain DISCONNECTED, not a handshake failure.</summary>
    public bool HandshakeDone => _handshakeDone;

    /// <summary>Hook: the handshake completed (HANDSHAKE_SUCCEEDED).</summary>
    private void MarkHandshakeDone()
    {
        _handshakeDone = true;
        if (!IsClosed) _owner.Monitors?.HandshakeSucceeded(this);
    }
}
