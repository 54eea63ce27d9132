using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Diagnostics;

/// <summary>
/// The "Zmq" meter's instruments, read with a MeterListener as any metrics exporter would. The
/// meter is process-wide, so these tests run alone (the allocation collection) to count only their own sockets.
/// </summary>
[Collection(Allocation.AllocationCollection.Name)]
public sealed class MetricsTests
{
    /// <summary>Collects measurements of the Zmq meter for sockets of one type (other tests run in parallel).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly string _socketType;
        public readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> Seen = new();

        public Recorder(string socketType)
        {
            _socketType = socketType;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ZmqMeter.Name) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var d = new Dictionary<string, object?>();
                foreach (var t in tags) d[t.Key] = t.Value;
                if (Equals(d.GetValueOrDefault("socket.type"), _socketType)) Seen.Enqueue((instrument.Name, value, d));
            });
            _listener.Start();
        }

        public long Sum(string instrument, string? tag = null, object? value = null) =>
            Seen.Where(m => m.Instrument == instrument && (tag is null || Equals(m.Tags.GetValueOrDefault(tag), value))).Sum(m => m.Value);

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public void Connections_and_handshakes_are_counted_with_their_outcome()
    {
        using var rec = new Recorder("PAIR");
        using (var scope = new SocketScope())
        {
            var a = scope.Pair();
            var b = scope.Pair();
            var server = SocketScope.CurvePair(a, b);
            b.SendString("hi");
            Assert.Equal("hi", a.ReceiveString());
            Wait.Until(() => rec.Sum("zmq.handshakes", "outcome", "ok") == 2, "two successful handshakes counted");
            Assert.Equal(2, rec.Sum("zmq.connections.opened", "transport", "tcp"));
            Assert.Equal(2, rec.Sum("zmq.connections.active"));

            var c = scope.Pair();
            c.MakeCurveClient(CurveKeyPair.Generate().PublicKey); // wrong server key
            c.ReconnectStop = ReconnectStop.HandshakeFailed;
            var ipcServer = scope.Pair();
            ipcServer.MakeCurveServer(server);
            ipcServer.Bind(Endpoints.NewIpc());
            c.Connect(ipcServer.LastEndpoint!);
            Wait.Until(() => rec.Sum("zmq.handshakes", "outcome", "protocol") >= 1, "the refused handshake counted as a protocol failure");
        }
        Wait.Until(() => rec.Sum("zmq.connections.active") == 0, "every connection counted as closed after dispose");
    }

    [Fact]
    public void Messages_dropped_by_linger_are_counted()
    {
        using var rec = new Recorder("DEALER");
        using var scope = new SocketScope();
        var dealer = scope.Dealer();
        dealer.Linger = TimeSpan.FromMilliseconds(30);
        dealer.Connect($"tcp://127.0.0.1:{Ports.Free()}");
        for (int i = 0; i < 4; i++) dealer.SendString("lost");
        dealer.Dispose();
        Assert.True(rec.Sum("zmq.messages.dropped") >= 4);
    }
}
