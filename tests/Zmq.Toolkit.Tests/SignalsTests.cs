using Zmq.Tests.Infrastructure;

namespace Zmq.Toolkit.Tests;

/// <summary>CZMQ's signals: ours between our sockets, and with zsock_signal/zsock_wait over tcp.</summary>
public sealed class SignalsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static (PairSocket Bound, PairSocket Connected) InprocPair()
    {
        var a = new PairSocket { Linger = TimeSpan.Zero };
        var b = new PairSocket { Linger = TimeSpan.Zero };
        string ep = $"inproc://signal-{Guid.NewGuid():N}";
        a.Bind(ep);
        b.Connect(ep);
        return (a, b);
    }

    [Fact]
    public void Signal_IsEightBytes_LittleEndian_BaseValuePlusStatus()
    {
        var (a, b) = InprocPair();
        using var _a = a;
        using var _b = b;
        a.Signal(3);
        using var m = b.Receive();
        Assert.Equal(new byte[] { 0x03, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 }, m.ToArray(0));
        Assert.True(Signals.IsSignal(m, out byte status));
        Assert.Equal(3, status);
    }

    [Fact]
    public void WaitSignal_SkipsOtherMessages_AndTimesOut()
    {
        var (a, b) = InprocPair();
        using var _a = a;
        using var _b = b;
        a.SendString("not a signal");
        a.Send(new byte[8]);                                  // 8 bytes, not the signal value
        a.SendFrames(new byte[] { 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 }, [1]); // two frames
        a.Signal(9);
        Assert.Equal(9, b.WaitSignal(Wait));
        Assert.Throws<ZmqTimeoutException>(() => b.WaitSignal(TimeSpan.FromMilliseconds(50)));
    }

    [SkippableFact]
    public void WithCzmq_OverTcp_BothWays()
    {
        Czmq.Require();
        using var ours = new PairSocket { Linger = TimeSpan.Zero };
        int port = ours.Bind("tcp://127.0.0.1:*");
        IntPtr theirs = Czmq.Pair($"tcp://127.0.0.1:{port}");
        try
        {
            Assert.Equal(0, Czmq.zsock_signal(theirs, 42));
            Assert.Equal(42, ours.WaitSignal(Wait));
            ours.SendString("skipped by zsock_wait");
            ours.Signal(7);
            Assert.Equal(7, Czmq.zsock_wait(theirs));
        }
        finally
        {
            Czmq.zsock_destroy(ref theirs);
        }
    }
}
