using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Zmq.Diagnostics;

namespace Zmq;

/// <summary>
/// A monitor that publishes a socket's events on a PAIR socket bound at an inproc endpoint, as
/// libzmq's zmq_socket_monitor does (or in CZMQ zmonitor's three-frame form): connect a
/// <see cref="PairSocket"/> in the same <see cref="Context"/> to <see cref="Endpoint"/> and receive
/// one message per event. Created by <see cref="Socket.Monitor(string, MonitorEventType, MonitorFormat)"/>.
/// </summary>
/// <remarks>
/// Events are sent without waiting: those raised before a PAIR has connected, or while its queue is
/// full, are dropped and counted in <see cref="DroppedCount"/>. Disposing the monitor (or the
/// monitored socket) sends <see cref="MonitorEventType.MonitorStopped"/> and closes the PAIR; what
/// it already sent stays readable.
/// </remarks>
public sealed class InprocMonitor : IDisposable, IAsyncDisposable
{
    private readonly PairSocket _pair;
    private readonly MonitorHub _hub;
    private readonly Sink _sink;
    private long _dropped;

    internal InprocMonitor(MonitorHub hub, PairSocket pair, string endpoint, MonitorEventType events, MonitorFormat format)
    {
        _hub = hub;
        _pair = pair;
        Endpoint = endpoint;
        Events = events;
        Format = format;
        _sink = new Sink(this, events);
    }

    internal MonitorSink AsSink => _sink;

    /// <summary>The inproc endpoint the monitor's PAIR socket is bound to.</summary>
    public string Endpoint { get; }

    /// <summary>The events this monitor sends.</summary>
    public MonitorEventType Events { get; }

    /// <summary>How each event is encoded.</summary>
    public MonitorFormat Format { get; }

    /// <summary>How many events could not be sent (no PAIR connected yet, or its queue full).</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Stops the monitor: sends <see cref="MonitorEventType.MonitorStopped"/> and closes the PAIR socket.</summary>
    public void Dispose() => _hub.Remove(_sink);

    /// <summary>Stops the monitor, as <see cref="Dispose"/>.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>libzmq's v1 event message: [uint16 event | uint32 value] in native byte order, then the endpoint.</summary>
    internal static Message EncodeLibZmq(MonitorEvent e)
    {
        Span<byte> head = stackalloc byte[6];
        MemoryMarshal.Write(head, (ushort)e.Type);
        MemoryMarshal.Write(head.Slice(2), (uint)e.Value);
        return new Message().Add(head).Add(Encoding.UTF8.GetBytes(e.Endpoint));
    }

    /// <summary>CZMQ zmonitor's message: event name, value in decimal, endpoint.</summary>
    internal static Message EncodeCzmq(MonitorEvent e) =>
        new Message().Add(e.Name).Add(e.Value.ToString(CultureInfo.InvariantCulture)).Add(e.Endpoint);

    private void Send(MonitorEvent e)
    {
        if (Format == MonitorFormat.LibZmq && (int)e.Type > 0xFFFF) return; // not representable in libzmq's uint16
        using var message = Format == MonitorFormat.LibZmq ? EncodeLibZmq(e) : EncodeCzmq(e);
        bool sent;
        try
        {
            sent = _pair.TrySend(message);
        }
        catch (ZmqException)
        {
            sent = false; // the PAIR was disposed meanwhile
        }
        if (!sent) Interlocked.Increment(ref _dropped);
    }

    private sealed class Sink(InprocMonitor owner, MonitorEventType events) : MonitorSink(events)
    {
        public override void Deliver(MonitorEvent e) => owner.Send(e);

        public override void Complete()
        {
            owner._pair.Linger = TimeSpan.Zero;
            owner._pair.Dispose();
        }
    }
}
