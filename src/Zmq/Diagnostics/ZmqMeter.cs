namespace Zmq;

/// <summary>
/// Where the library's metrics are published (System.Diagnostics.Metrics): the meter named
/// <see cref="Name"/>, with <c>zmq.connections.opened</c>, <c>zmq.connections.active</c> (tags
/// <c>socket.type</c>, <c>transport</c>), <c>zmq.handshakes</c> (tags <c>socket.type</c>,
/// <c>outcome</c> = ok, auth, protocol, timeout, closed) and <c>zmq.messages.dropped</c> (messages a
/// LINGER that ran out dropped). E.g. <c>dotnet-counters monitor --counters Zmq</c>, or
/// OpenTelemetry's <c>AddMeter(ZmqMeter.Name)</c>.
/// </summary>
public static class ZmqMeter
{
    /// <summary>The meter's name: <c>Zmq</c>.</summary>
    public const string Name = Diagnostics.ZmqMetrics.MeterName;
}
