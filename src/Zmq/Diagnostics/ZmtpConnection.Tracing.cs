using Zmq.Wire;
using System.Diagnostics;
using Zmq.Routing;

namespace Zmq.Engine;

/// <summary>
/// Tracing (System.Diagnostics.ActivitySource "Zmq"): one <c>zmq.handshake</c> activity per tcp or
/// ipc connection, from the greeting to the end of the security handshake, with the endpoint, the
/// peer, the mechanism, the peer's socket type and the outcome. Started and stopped on the
/// connection's I/O thread, which serves many connections: an activity is never left as that
/// thread's current one. Only when something listens.
/// </summary>
internal sealed partial class ZmtpConnection
{
    private Activity? _handshakeActivity;

    private void StartHandshakeActivity()
    {
        // Many handshakes share one I/O thread: the activity must not stay Activity.Current there.
        var previous = Activity.Current;
        var a = ZmqTracing.Source.StartActivity("zmq.handshake", _connectPeer is null ? ActivityKind.Server : ActivityKind.Client);
        Activity.Current = previous;
        if (a is null) return;
        a.SetTag("zmq.socket.type", SocketTypeInfo.WireName(_s.Type));
        a.SetTag("zmq.endpoint", Endpoint);
        a.SetTag("network.peer.address", RemoteAddress);
        a.SetTag("zmq.mechanism", _s.Security.Mechanism.ToString().ToUpperInvariant());
        _handshakeActivity = a;
    }

    /// <summary>Ends the handshake activity (once): OK with the peer's socket type, or an error with the reason.</summary>
    private void EndHandshakeActivity(bool ok)
    {
        var a = _handshakeActivity;
        if (a is null) return;
        _handshakeActivity = null;
        if (ok)
        {
            if (PeerType is { } peer) a.SetTag("zmq.peer.socket.type", SocketTypeInfo.WireName(peer));
            a.SetStatus(ActivityStatusCode.Ok);
        }
        else
        {
            a.SetTag("zmq.close.kind", CloseKind.ToString());
            a.SetStatus(ActivityStatusCode.Error, CloseReason ?? "handshake failed");
        }
        var previous = Activity.Current;
        a.Stop();
        Activity.Current = previous;
    }
}
