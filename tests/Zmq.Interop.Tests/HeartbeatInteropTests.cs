using System.Net;
using System.Net.Sockets;
using Zmq.LibZmq;

namespace Zmq.Interop.Tests;

/// <summary>ZMTP heartbeats against libzmq: a heartbeating libzmq peer keeps its idle connection; a frozen one is dropped.</summary>
public sealed class HeartbeatInteropTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private static bool Saw(SocketMonitor monitor, MonitorEventType type, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (monitor.TryRead(TimeSpan.FromMilliseconds(50), out var e) && e.Type == type) return true;
        }
        return false;
    }

    [SkippableFact]
    public void LibZmqPeerWithHeartbeats_KeepsAnIdleConnection_AndAnswersOurPings()
    {
        LibZmqRequired.Check();
        using var pull = new PullSocket { Linger = TimeSpan.Zero, ReceiveTimeout = Bound };
        pull.HeartbeatInterval = TimeSpan.FromMilliseconds(50);
        pull.HeartbeatTimeout = TimeSpan.FromMilliseconds(200);
        using var monitor = pull.Monitor(MonitorEventType.HandshakeSucceeded | MonitorEventType.Disconnected);
        TestPorts.BindLoopback(e => pull.Bind(e));

        using var ctx = new LzContext();
        using var push = ctx.Socket(LzSocketType.Push);
        push.SetOption(LzOption.Linger, 0);
        push.SetOption(LzOption.HeartbeatIvl, 50);
        push.SetOption(LzOption.HeartbeatTimeout, 200);
        push.Connect(pull.LastEndpoint!);
        push.SendString("first");
        Assert.Equal("first", pull.ReceiveString());
        Assert.True(Saw(monitor, MonitorEventType.HandshakeSucceeded, Bound));

        // Idle for many heartbeat time-outs: both sides PING, both answer, nobody drops.
        Assert.False(Saw(monitor, MonitorEventType.Disconnected, TimeSpan.FromMilliseconds(1200)), "the idle connection was dropped");
        push.SendString("second");
        Assert.Equal("second", pull.ReceiveString());
    }

    [SkippableFact]
    public void FrozenLibZmqPeer_IsDroppedWithinTheHeartbeatTimeout()
    {
        LibZmqRequired.Check();
        PyZmqPeer.Require();
        using var pull = new PullSocket { Linger = TimeSpan.Zero, ReceiveTimeout = Bound };
        pull.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
        pull.HeartbeatTimeout = TimeSpan.FromMilliseconds(300);
        using var monitor = pull.Monitor(MonitorEventType.Disconnected);
        TestPorts.BindLoopback(e => pull.Bind(e));

        using var peer = PyZmqPeer.PushConnected(pull.LastEndpoint!);
        Assert.Equal("hello", pull.ReceiveString());
        peer.Signal("STOP"); // the process freezes; its TCP connection stays open and silent
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(Saw(monitor, MonitorEventType.Disconnected, TimeSpan.FromSeconds(3)), "the frozen peer was not dropped");
        Assert.InRange(sw.ElapsedMilliseconds, 150, 3000);
    }
}
