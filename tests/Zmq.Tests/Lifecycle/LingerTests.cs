using System.Diagnostics;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Lifecycle;

/// <summary>LINGER on Dispose: 0 drops at once, N waits at most N ms, -1 waits until the peer has everything.</summary>
public sealed class LingerTests : IDisposable
{
    private readonly SocketScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void InfiniteLinger_WaitsForAPeerThatBindsLater_AndDeliversEverything()
    {
        string ep = $"tcp://127.0.0.1:{Ports.Free()}";
        var push = new PushSocket(">" + ep, _scope.Context) { Linger = Timeout.InfiniteTimeSpan, ReconnectInterval = TimeSpan.FromMilliseconds(20) };
        for (int i = 0; i < 500; i++) push.SendString("m" + i);
        var binder = new Thread(() =>
        {
            Thread.Sleep(300);
            var pull = _scope.Pull();
            pull.Bind(ep);
            for (int i = 0; i < 500; i++) Assert.Equal("m" + i, pull.ReceiveString());
        });
        binder.Start();
        var sw = Stopwatch.StartNew();
        push.Dispose(); // must not return before the late peer has read all 500
        Wait.Join(binder, TimeSpan.FromSeconds(10));
        Assert.True(sw.ElapsedMilliseconds >= 250, $"Dispose returned after {sw.ElapsedMilliseconds} ms, before the peer existed");
    }

    [Fact]
    public void FiniteLinger_WithNoPeer_ReturnsAfterAboutThatLong()
    {
        var push = new PushSocket($">tcp://127.0.0.1:{Ports.Free()}", _scope.Context) { Linger = TimeSpan.FromMilliseconds(300) };
        push.SendString("nobody will read this");
        var sw = Stopwatch.StartNew();
        push.Dispose();
        Assert.InRange(sw.ElapsedMilliseconds, 250, 3000);
    }

    [Fact]
    public void ZeroLinger_ReturnsAtOnce()
    {
        var push = new PushSocket($">tcp://127.0.0.1:{Ports.Free()}", _scope.Context) { Linger = TimeSpan.Zero };
        for (int i = 0; i < 100; i++) push.SendString("dropped");
        var sw = Stopwatch.StartNew();
        push.Dispose();
        Assert.True(sw.ElapsedMilliseconds < 1000, $"took {sw.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:*")]
    [InlineData("ipc://*")]
    public void DefaultLinger_DeliversTheTailBeforeClosing(string bindEndpoint)
    {
        var pull = _scope.Pull();
        pull.Bind(bindEndpoint);
        var push = new PushSocket(">" + pull.LastEndpoint, _scope.Context) { SendTimeout = TimeSpan.FromSeconds(10) }; // default linger: 30 s
        int received = 0;
        var reader = new Thread(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                using var m = pull.Receive();
                Assert.Equal(i, BitConverter.ToInt32(m.GetSpan(0)));
                received++;
            }
        });
        reader.Start();
        var payload = new byte[1000];
        for (int i = 0; i < 20_000; i++)
        {
            BitConverter.TryWriteBytes(payload, i);
            push.Send(payload);
        }
        push.Dispose(); // right away: the queued tail must still arrive
        Wait.Join(reader, TimeSpan.FromSeconds(20));
        Assert.Equal(20_000, received);
    }

    [Fact]
    public void InfiniteLinger_WaitsForASlowReader_AsLongAsItTakes()
    {
        // Everything fits in the kernel buffers at once, so our queue is empty almost at once and
        // the wait is for the peer's close after our half-close; the reader takes about 3 s.
        var pull = _scope.Pull();
        pull.ReceiveHighWatermark = 1;
        pull.ReceiveBufferSize = 256 * 1024;
        pull.Bind("tcp://127.0.0.1:*");
        var push = new PushSocket(">" + pull.LastEndpoint, _scope.Context) { Linger = Timeout.InfiniteTimeSpan, SendBufferSize = 256 * 1024 };
        const int Count = 30;
        var payload = new byte[16 * 1024];
        for (int i = 0; i < Count; i++)
        {
            payload[0] = (byte)i;
            push.Send(payload);
        }
        int received = 0;
        var reader = new Thread(() =>
        {
            for (int i = 0; i < Count; i++)
            {
                using var m = pull.Receive();
                Assert.Equal((byte)i, m.GetSpan(0)[0]);
                received++;
                Thread.Sleep(100);
            }
        });
        reader.Start();
        var sw = Stopwatch.StartNew();
        push.Dispose();
        long disposeMs = sw.ElapsedMilliseconds;
        Wait.Join(reader, TimeSpan.FromSeconds(20));
        Assert.Equal(Count, received);
        Assert.True(disposeMs >= 2500, $"Dispose returned after {disposeMs} ms, with the reader still behind");
    }

    [Fact]
    public void PositiveLinger_IsOneDeadlineForTheWholeSocket()
    {
        // Three peers that never come: each queue waits, but all of them within the one linger.
        var push = new PushSocket(context: _scope.Context) { Linger = TimeSpan.FromMilliseconds(400) };
        for (int i = 0; i < 3; i++) push.Connect($"tcp://127.0.0.1:{Ports.Free()}");
        for (int i = 0; i < 3; i++) push.SendString("never delivered " + i);
        var sw = Stopwatch.StartNew();
        push.Dispose();
        Assert.InRange(sw.ElapsedMilliseconds, 350, 1100);
    }

    [Fact]
    public void ContextDispose_EndsABlockedReceive_AndHonoursLinger()
    {
        var context = new Context();
        var pull = new PullSocket("@tcp://127.0.0.1:*", context);
        var push = new PushSocket(">" + pull.LastEndpoint, context) { Linger = Timeout.InfiniteTimeSpan };
        Exception? error = null;
        var blocked = new Thread(() =>
        {
            try
            {
                var other = new PullSocket("@tcp://127.0.0.1:*", context);
                other.Receive(); // nothing ever comes
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        blocked.Start();
        for (int i = 0; i < 100; i++) push.SendString("m" + i);
        Thread.Sleep(100);
        var sw = Stopwatch.StartNew();
        context.Dispose();
        Wait.Join(blocked, TimeSpan.FromSeconds(5));
        var z = Assert.IsType<ZmqException>(error);
        Assert.Equal(ZmqError.ContextTerminated, z.Error);
        Assert.True(sw.ElapsedMilliseconds < 5000, $"context termination took {sw.ElapsedMilliseconds} ms");
        Assert.True(push.IsDisposed && pull.IsDisposed);
        Assert.Throws<ZmqException>(() => new PushSocket(context: context));
    }
}
