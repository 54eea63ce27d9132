using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>Our connecting socket reconnects when the libzmq peer goes away and comes back on the same port.</summary>
public sealed class ReconnectTests
{
    private static readonly int EAddrInUse = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 48 : 98;

    [SkippableFact]
    public void OurPushReconnectsToRestartedLibzmqPull()
    {
        LibZmqRequired.Check();
        using var context = new LzContext();
        using var push = (OurSide)Side.Ours(SocketType.Push);
        push.Socket.ReconnectInterval = TimeSpan.FromMilliseconds(20);

        var first = Side.Lz(context, SocketType.Pull);
        var endpoint = first.BindEphemeral();
        push.Connect(endpoint);
        push.Send(B("before"));
        Equal([B("before")], first.Receive(), "before the restart");
        first.Dispose();

        // zmq_close is asynchronous: libzmq's I/O thread closes the listening socket a little
        // later, so the port may still be taken for a moment.
        using var second = Side.Lz(context, SocketType.Pull);
        var bindDeadline = Environment.TickCount64 + Side.WaitMs;
        while (true)
        {
            try
            {
                second.Bind(endpoint);
                break;
            }
            catch (LzException e) when (e.Errno == EAddrInUse && Environment.TickCount64 < bindDeadline)
            {
                Thread.Sleep(10);
            }
        }
        // Messages written into the dying connection are lost (as with libzmq); probe until one
        // reaches the new peer, then check that later messages flow in order.
        var deadline = Environment.TickCount64 + Side.WaitMs;
        while (true)
        {
            push.Send(B("probe"));
            if (second.TryReceive(20) is { } got)
            {
                Equal([B("probe")], got, "first message after the restart");
                break;
            }
            if (Environment.TickCount64 > deadline)
                Assert.Fail($"no message reached the restarted libzmq PULL on {endpoint} within {Side.WaitMs} ms");
        }
        for (var i = 0; i < 100; i++)
            push.Send(Seq(i));
        var expected = 0;
        while (expected < 100)
        {
            var got = second.Receive();
            if (got.Length == 1 && got[0].AsSpan().SequenceEqual("probe"u8))
                continue;
            Assert.Equal(expected++, ReadSeq(got[0]));
        }
    }
}
