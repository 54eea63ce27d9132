using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Diagnostics;

/// <summary>
/// The zmq_socket_monitor-compatible form: events published on a PAIR bound at an inproc endpoint,
/// as libzmq's v1 two-frame messages or CZMQ zmonitor's three string frames.
/// </summary>
public sealed class MonitorFormatTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    private static (ushort Event, uint Value, string Endpoint) ReadLibZmq(PairSocket reader)
    {
        var frames = reader.ReceiveFrames();
        Assert.Equal(2, frames.Length);
        Assert.Equal(6, frames[0].Length);
        // libzmq writes both numbers in the host's byte order; this machine is little-endian.
        Assert.True(BitConverter.IsLittleEndian);
        return (BinaryPrimitives.ReadUInt16LittleEndian(frames[0]), BinaryPrimitives.ReadUInt32LittleEndian(frames[0].AsSpan(2)),
            Encoding.UTF8.GetString(frames[1]));
    }

    [Fact]
    public void LibZmqFormat_TwoFrames_ByteLayout_AndSequence()
    {
        var pull = S.Pull();
        var monEndpoint = Endpoints.NewInproc("mon");
        using var monitor = pull.Monitor(monEndpoint, MonitorEventType.AllLibZmq);
        Assert.Equal(monEndpoint, monitor.Endpoint);
        Assert.Equal(MonitorFormat.LibZmq, monitor.Format);
        var reader = S.Pair();
        reader.Connect(monEndpoint);

        pull.Bind("tcp://127.0.0.1:*");
        var endpoint = pull.LastEndpoint!;
        var frames = reader.ReceiveFrames();
        Assert.Equal(2, frames.Length);
        Assert.Equal(6, frames[0].Length);
        Assert.Equal([0x08, 0x00], frames[0][..2]); // ZMQ_EVENT_LISTENING, uint16 little-endian
        uint listenHandle = BinaryPrimitives.ReadUInt32LittleEndian(frames[0].AsSpan(2));
        Assert.True(listenHandle > 2);
        Assert.Equal(Encoding.UTF8.GetBytes(endpoint), frames[1]);

        var push = S.Push();
        push.Connect(endpoint);
        var accepted = ReadLibZmq(reader);
        Assert.Equal(0x0020, accepted.Event);
        Assert.Equal(endpoint, accepted.Endpoint);
        Assert.True(accepted.Value > 2);
        Assert.Equal((0x1000, 0u, endpoint), ReadLibZmq(reader));

        push.Linger = TimeSpan.Zero;
        push.Dispose();
        Assert.Equal((0x0200, accepted.Value, endpoint), ReadLibZmq(reader)); // DISCONNECTED, the same handle

        monitor.Dispose();
        var stopped = reader.ReceiveFrames();
        Assert.Equal([[0x00, 0x04, 0, 0, 0, 0], []], stopped); // MONITOR_STOPPED 0x0400, value 0, empty endpoint
        Assert.Equal(0, monitor.DroppedCount);
        Assert.False(reader.TryReceive(TimeSpan.FromMilliseconds(50), out _));
    }

    [Fact]
    public void LibZmqFormat_ProtocolErrorCodeInTheValue()
    {
        var pull = S.Pull();
        var monEndpoint = Endpoints.NewInproc("mon");
        using var monitor = pull.Monitor(monEndpoint, MonitorEventType.HandshakeFailedProtocol);
        var reader = S.Pair();
        reader.Connect(monEndpoint);
        pull.Bind("tcp://127.0.0.1:*");
        using var raw = RawPeer.Connect(pull.LastEndpoint!);
        raw.Send(RawPeer.Greeting(mechanism: "CURVE"));
        var frames = reader.ReceiveFrames();
        Assert.Equal([0x00, 0x20, 0x02, 0x00, 0x00, 0x11], frames[0]); // 0x2000, 0x11000002
        Assert.Equal(pull.LastEndpoint, Encoding.UTF8.GetString(frames[1]));
    }

    [Fact]
    public void CzmqFormat_ThreeStringFrames()
    {
        var pull = S.Pull();
        var monEndpoint = Endpoints.NewInproc("zmonitor");
        using var monitor = pull.Monitor(monEndpoint, MonitorEventType.Listening | MonitorEventType.Accepted | MonitorEventType.MonitorStopped, MonitorFormat.Czmq);
        var reader = S.Pair();
        reader.Connect(monEndpoint);
        pull.Bind("tcp://127.0.0.1:*");
        var endpoint = pull.LastEndpoint!;

        var listening = reader.ReceiveStrings();
        Assert.Equal(3, listening.Length);
        Assert.Equal("LISTENING", listening[0]);
        Assert.True(int.Parse(listening[1], CultureInfo.InvariantCulture) > 2);
        Assert.Equal(endpoint, listening[2]);

        var push = S.Push();
        push.Connect(endpoint);
        var accepted = reader.ReceiveStrings();
        Assert.Equal("ACCEPTED", accepted[0]);
        Assert.Matches(@"^\d+$", accepted[1]);
        Assert.Equal(endpoint, accepted[2]);

        pull.Linger = TimeSpan.Zero;
        pull.Dispose(); // the monitored socket goes: MONITOR_STOPPED, then the PAIR closes
        Assert.Equal(["MONITOR_STOPPED", "0", ""], reader.ReceiveStrings());
    }

    [Fact]
    public void LibZmqFormat_SkipsThisLibrarysOwnEvents()
    {
        var push = S.Push();
        push.Linger = TimeSpan.FromMilliseconds(20);
        var monEndpoint = Endpoints.NewInproc("mon");
        using var monitor = push.Monitor(monEndpoint, MonitorEventType.All);
        var reader = S.Pair();
        reader.Connect(monEndpoint);
        push.Connect($"tcp://127.0.0.1:{Ports.Free()}");
        push.SendString("stuck");
        push.Dispose(); // LINGER_EXPIRED (0x20000) has no uint16 form: not sent
        while (true)
        {
            var (evt, _, _) = ReadLibZmq(reader);
            Assert.True(evt <= 0x4000, $"event 0x{evt:X}");
            if (evt == 0x0400) break;
        }
    }

    [Fact]
    public void EventsBeforeTheReaderConnects_AreDroppedAndCounted()
    {
        var pull = S.Pull();
        var monEndpoint = Endpoints.NewInproc("mon");
        using var monitor = pull.Monitor(monEndpoint);
        pull.Bind("tcp://127.0.0.1:*"); // LISTENING: nobody reads yet
        Assert.Equal(1, monitor.DroppedCount);
        var reader = S.Pair();
        reader.Connect(monEndpoint);
        pull.Unbind(pull.LastEndpoint!);
        Assert.Equal(0x0080, ReadLibZmq(reader).Event);
    }

    [Fact]
    public void MonitorEndpoint_MustBeInproc_AndFree()
    {
        var pull = S.Pull();
        var bad = Assert.Throws<ZmqException>(() => pull.Monitor("tcp://127.0.0.1:5999"));
        Assert.Equal(ZmqError.InvalidEndpoint, bad.Error);
        var name = Endpoints.NewInproc("mon");
        using var first = pull.Monitor(name);
        var taken = Assert.Throws<ZmqException>(() => pull.Monitor(name));
        Assert.Equal(ZmqError.AddressInUse, taken.Error);
        first.Dispose();
        using var again = pull.Monitor(name); // the name is free once the monitor is disposed
    }

    [Fact]
    public void SeveralInprocMonitors_EachGetsTheEvents()
    {
        var pull = S.Pull();
        var a = Endpoints.NewInproc("a");
        var b = Endpoints.NewInproc("b");
        using var ma = pull.Monitor(a);
        using var mb = pull.Monitor(b, format: MonitorFormat.Czmq);
        var ra = S.Pair();
        ra.Connect(a);
        var rb = S.Pair();
        rb.Connect(b);
        pull.Bind("tcp://127.0.0.1:*");
        Assert.Equal(0x0008, ReadLibZmq(ra).Event);
        Assert.Equal("LISTENING", rb.ReceiveStrings()[0]);
    }
}
