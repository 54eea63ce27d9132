using Zmq.Wire;
using System.Diagnostics.Metrics;

namespace Zmq.Diagnostics;

/// <summary>
/// The library's System.Diagnostics.Metrics instruments, on the meter named <see cref="MeterName"/>
/// (listen with dotnet-counters, OpenTelemetry's <c>AddMeter("Zmq")</c> or a MeterListener). They
/// count connections and handshakes and the messages a linger dropped: events per connection, never
/// per message, so the message path pays nothing for them.
/// </summary>
internal static class ZmqMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Zmq";

    private static readonly Meter s_meter = new(MeterName, typeof(ZmqMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>zmq.connections.opened: tcp and ipc connections made (accepted or connected).</summary>
    public static readonly Counter<long> ConnectionsOpened = s_meter.CreateCounter<long>(
        "zmq.connections.opened", "{connection}", "tcp and ipc connections accepted or connected");

    /// <summary>zmq.connections.active: tcp and ipc connections open now.</summary>
    public static readonly UpDownCounter<long> ConnectionsActive = s_meter.CreateUpDownCounter<long>(
        "zmq.connections.active", "{connection}", "tcp and ipc connections open now");

    /// <summary>zmq.handshakes: completed ZMTP handshakes, tagged with their outcome (ok, auth, protocol, timeout, closed).</summary>
    public static readonly Counter<long> Handshakes = s_meter.CreateCounter<long>(
        "zmq.handshakes", "{handshake}", "ZMTP handshakes by outcome: ok, auth (refused by ZAP or the peer), protocol, timeout, closed");

    /// <summary>zmq.messages.dropped: messages dropped when LINGER ran out at close.</summary>
    public static readonly Counter<long> LingerDropped = s_meter.CreateCounter<long>(
        "zmq.messages.dropped", "{message}", "messages dropped because LINGER ran out when a socket closed");

    /// <summary>The outcome tag of a handshake that ended with <paramref name="kind"/> before completing.</summary>
    public static string FailureOutcome(CloseKind kind) => kind switch
    {
        CloseKind.AuthFailed or CloseKind.PeerError or CloseKind.NoZapHandler => "auth",
        CloseKind.HandshakeTimeout => "timeout",
        CloseKind.PeerClosed or CloseKind.Network => "closed",
        _ => "protocol",
    };
}
