using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Diagnostics.MonitorExpect;

namespace Zmq.Tests.Diagnostics;

/// <summary>The <see cref="SocketMonitor"/> API: masks, several monitors, the bounded queue, stopping, async reading.</summary>
public sealed class SocketMonitorTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    [Fact]
    public void Mask_SelectsEvents()
    {
        var pull = S.Pull();
        using var mon = pull.Monitor(MonitorEventType.Accepted | MonitorEventType.Disconnected);
        Assert.Equal(MonitorEventType.Accepted | MonitorEventType.Disconnected, mon.Events);
        pull.Bind("tcp://127.0.0.1:*");
        var push = S.Push();
        push.Connect(pull.LastEndpoint!);
        Expect(mon, MonitorEventType.Accepted);
        push.Linger = TimeSpan.Zero;
        push.Dispose();
        Expect(mon, MonitorEventType.Disconnected);
        mon.Dispose(); // MONITOR_STOPPED is not in the mask
        Assert.False(mon.TryRead(out _));
        Wait.Done(mon.Completion, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void SeveralMonitors_SeeTheSameEventsInTheSameOrder()
    {
        var pull = S.Pull();
        using var a = pull.Monitor();
        using var b = pull.Monitor();
        pull.Bind("tcp://127.0.0.1:*");
        var push = S.Push();
        push.Connect(pull.LastEndpoint!);
        var seenA = Until(a, MonitorEventType.HandshakeSucceeded);
        var seenB = Until(b, MonitorEventType.HandshakeSucceeded);
        Assert.Equal(seenA, seenB); // the very same event objects
        b.Dispose();
        Expect(b, MonitorEventType.MonitorStopped);
        pull.Unbind(pull.LastEndpoint!);
        Expect(a, MonitorEventType.Closed); // a goes on after b stopped
        Assert.False(b.TryRead(out _));
    }

    [Fact]
    public void FullQueue_DropsTheOldest_AndCounts_MonitorStoppedStillLast()
    {
        var pull = S.Pull();
        using var mon = pull.Monitor(capacity: 4);
        for (int i = 0; i < 5; i++)
        {
            pull.Bind("tcp://127.0.0.1:*");
            pull.Unbind(pull.LastEndpoint!);
        }
        Assert.Equal(6, mon.DroppedCount); // 10 events into 4 places
        mon.Dispose();
        Assert.Equal(7, mon.DroppedCount);
        var rest = new List<MonitorEvent>();
        while (mon.TryRead(out var e)) rest.Add(e);
        Assert.Equal([MonitorEventType.Closed, MonitorEventType.Listening, MonitorEventType.Closed, MonitorEventType.MonitorStopped], rest.Select(e => e.Type));
    }

    [Fact]
    public async Task ReadAllAsync_EndsAfterMonitorStopped_WhenTheSocketIsDisposed()
    {
        var pull = S.Pull();
        var mon = pull.Monitor();
        pull.Bind("tcp://127.0.0.1:*");
        pull.Dispose();
        var names = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var e in mon.ReadAllAsync(cts.Token)) names.Add(e.Name);
        Assert.Equal(["LISTENING", "CLOSED", "MONITOR_STOPPED"], names);
        await mon.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(async () => await mon.ReadAsync(cts.Token));
        await mon.DisposeAsync(); // after the socket: harmless
    }

    [Fact]
    public async Task ReadAsync_WaitsForTheNextEvent()
    {
        var pull = S.Pull();
        await using var mon = pull.Monitor();
        var pending = mon.ReadAsync();
        Assert.False(pending.IsCompleted);
        pull.Bind("tcp://127.0.0.1:*");
        var e = await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(MonitorEventType.Listening, e.Type);
    }

    [Fact]
    public void MonitorOnADisposedSocket_Throws()
    {
        var pull = S.Pull();
        pull.Dispose();
        Assert.Equal(ZmqError.Disposed, Assert.Throws<ZmqException>(() => pull.Monitor()).Error);
        Assert.Equal(ZmqError.Disposed, Assert.Throws<ZmqException>(() => pull.Monitor(Endpoints.NewInproc())).Error);
    }

    [Fact]
    public void DisposedMonitor_GetsNothingMore_AndTheHooksGoQuiet()
    {
        var pull = S.Pull();
        var mon = pull.Monitor();
        Assert.NotNull(pull.Monitors);
        mon.Dispose();
        Assert.Null(pull.Monitors); // the hooks' single null check again
        pull.Bind("tcp://127.0.0.1:*");
        Assert.True(mon.TryRead(out var stopped));
        Assert.Equal(MonitorEventType.MonitorStopped, stopped.Type);
        Assert.False(mon.TryRead(out _));
        mon.Dispose(); // twice: nothing
    }

    [Fact]
    public void EventToString_IsReadable()
    {
        var e = new MonitorEvent(MonitorEventType.HandshakeFailedProtocol, "tcp://127.0.0.1:5555", "tcp://127.0.0.1:40000",
            0x11000002, "security mechanism mismatch", DateTimeOffset.UnixEpoch);
        Assert.Equal("HANDSHAKE_FAILED_PROTOCOL tcp://127.0.0.1:5555 peer tcp://127.0.0.1:40000 value 0x11000002: security mechanism mismatch", e.ToString());
        Assert.Equal("0x3", MonitorEvent.NameOf(MonitorEventType.Connected | MonitorEventType.ConnectDelayed));
    }
}
