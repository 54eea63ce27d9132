using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Zmq.Diagnostics;

namespace Zmq;

/// <summary>
/// Events of one socket (connections made, accepted and lost, handshakes, binds, retries), queued
/// for the application to read: asynchronously with <see cref="ReadAllAsync"/> or
/// <see cref="ReadAsync"/>, or without waiting with <see cref="TryRead(out MonitorEvent)"/>.
/// Created by <see cref="Socket.Monitor(MonitorEventType, int)"/>; a socket may have several.
/// </summary>
/// <remarks>
/// The queue is bounded: when the application does not keep up, the oldest events are dropped and
/// counted in <see cref="DroppedCount"/>, so a monitor never slows or blocks the socket. The last
/// event is always <see cref="MonitorEventType.MonitorStopped"/> (when the monitor or its socket is
/// disposed, and if the mask includes it); reading then ends.
/// </remarks>
public sealed class SocketMonitor : IDisposable, IAsyncDisposable
{
    /// <summary>The default number of events a monitor queues before it drops the oldest.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Channel<MonitorEvent> _channel;
    private readonly Sink _sink;
    private readonly MonitorHub _hub;
    private long _dropped;

    internal SocketMonitor(MonitorHub hub, MonitorEventType events, int capacity)
    {
        _hub = hub;
        Events = events;
        _channel = Channel.CreateBounded<MonitorEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
            _ => Interlocked.Increment(ref _dropped));
        _sink = new Sink(this, events);
    }

    internal MonitorSink AsSink => _sink;

    /// <summary>The events this monitor receives.</summary>
    public MonitorEventType Events { get; }

    /// <summary>How many events were dropped because the queue was full (the oldest go first).</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Completes once the monitor has stopped and every queued event has been read.</summary>
    public Task Completion => _channel.Reader.Completion;

    /// <summary>Takes the next queued event without waiting; false when none is queued.</summary>
    public bool TryRead([MaybeNullWhen(false)] out MonitorEvent monitorEvent) => _channel.Reader.TryRead(out monitorEvent);

    /// <summary>
    /// Takes the next event, blocking the calling thread at most <paramref name="timeout"/>; false
    /// when none arrived in time or the monitor has stopped and is drained.
    /// </summary>
    public bool TryRead(TimeSpan timeout, [MaybeNullWhen(false)] out MonitorEvent monitorEvent)
    {
        if (_channel.Reader.TryRead(out monitorEvent)) return true;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (_channel.Reader.WaitToReadAsync(cts.Token).AsTask().GetAwaiter().GetResult())
            {
                if (_channel.Reader.TryRead(out monitorEvent)) return true;
            }
        }
        catch (OperationCanceledException)
        {
        }
        monitorEvent = null;
        return false;
    }

    /// <summary>Waits for the next event.</summary>
    /// <exception cref="ChannelClosedException">The monitor has stopped and every event has been read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<MonitorEvent> ReadAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAsync(cancellationToken);

    /// <summary>Every event as it comes, ending after <see cref="MonitorEventType.MonitorStopped"/> (when the monitor or its socket is disposed).</summary>
    public IAsyncEnumerable<MonitorEvent> ReadAllAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Stops the monitor: <see cref="MonitorEventType.MonitorStopped"/> is queued as its last event. Events already queued stay readable.</summary>
    public void Dispose() => _hub.Remove(_sink);

    /// <summary>Stops the monitor, as <see cref="Dispose"/>.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Sink(SocketMonitor owner, MonitorEventType events) : MonitorSink(events)
    {
        public override void Deliver(MonitorEvent e) => owner._channel.Writer.TryWrite(e);

        public override void Complete() => owner._channel.Writer.TryComplete();
    }
}
