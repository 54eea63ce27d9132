using System.Diagnostics;

namespace Zmq;

/// <summary>
/// Where the library's traces are published: the ActivitySource named <see cref="Name"/> ("Zmq"),
/// with one <c>zmq.handshake</c> activity per tcp/ipc connection (tags <c>zmq.socket.type</c>,
/// <c>zmq.endpoint</c>, <c>network.peer.address</c>, <c>zmq.mechanism</c>,
/// <c>zmq.peer.socket.type</c>; status Ok, or Error with the reason). Nothing is traced per
/// message. E.g. OpenTelemetry's <c>AddSource(ZmqTracing.Name)</c>.
/// </summary>
public static class ZmqTracing
{
    /// <summary>The ActivitySource's name: <c>Zmq</c>.</summary>
    public const string Name = "Zmq";

    internal static readonly ActivitySource Source = new(Name, typeof(ZmqTracing).Assembly.GetName().Version?.ToString());
}
