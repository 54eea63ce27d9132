using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>Incompatible socket types (PUSH to PUSH): no handshake completes, nothing is delivered, and our socket keeps working with a good peer.</summary>
public sealed class MismatchTests
{
    private const int AfterMs = 200;

    [SkippableFact]
    public void LibzmqPushToOurPush()
    {
        LibZmqRequired.Check();
        using var context = new LzContext();
        using var ours = Side.Ours(SocketType.Push);
        using var bad = (LzSide)Side.Lz(context, SocketType.Push);
        using var monitor = bad.Socket.OpenMonitor();
        var endpoint = ours.BindEphemeral();
        bad.Connect(endpoint);
        bad.Send(B("never-delivered"));
        AssertNoHandshake(monitor, "libzmq PUSH connecting to our PUSH");

        // A good peer gets everything: the bad one was never attached, so no message was
        // load-balanced to it.
        using var good = Side.Lz(context, SocketType.Pull);
        good.Connect(endpoint);
        for (var i = 0; i < 10; i++)
            ours.Send(Seq(i));
        for (var i = 0; i < 10; i++)
            Assert.Equal(i, ReadSeq(good.Receive()[0]));
    }

    [SkippableFact]
    public void OurPushToLibzmqPush()
    {
        LibZmqRequired.Check();
        using var context = new LzContext();
        using var ours = Side.Ours(SocketType.Push);
        using var bad = (LzSide)Side.Lz(context, SocketType.Push);
        using var monitor = bad.Socket.OpenMonitor();
        var badEndpoint = bad.BindEphemeral();
        ours.Connect(badEndpoint);
        ours.Send(B("never-delivered")); // queued for the connecting peer, as libzmq would
        AssertNoHandshake(monitor, "our PUSH connecting to libzmq PUSH");

        ours.Disconnect(badEndpoint);
        using var good = Side.Lz(context, SocketType.Pull);
        ours.Connect(good.BindEphemeral());
        for (var i = 0; i < 10; i++)
            ours.Send(Seq(i));
        for (var i = 0; i < 10; i++)
        {
            var got = good.Receive();
            Assert.True(got.Length == 1 && got[0].Length == 4, $"good PULL got {Show(got)}");
            Assert.Equal(i, ReadSeq(got[0]));
        }
    }

    /// <summary>
    /// Watches libzmq's monitor until the connection is dropped (DISCONNECTED, bounded): the TCP
    /// connection was made (CONNECTED or ACCEPTED) and never completed its handshake (no
    /// HANDSHAKE_SUCCEEDED, including for a short while after the drop, when libzmq reconnects).
    /// </summary>
    private static void AssertNoHandshake(LzSocket monitor, string what)
    {
        var seen = WatchUntilDisconnected(monitor);
        var names = string.Join(", ", seen.Select(e => e.Name));
        Assert.False(seen.Exists(e => e.Event == LzEvent.HandshakeSucceeded), $"{what}: libzmq completed a handshake with an incompatible peer (events: {names})");
        Assert.True(seen.Exists(e => e.Event is LzEvent.Connected or LzEvent.Accepted), $"{what}: no TCP connection (events: {names})");
        Assert.True(seen.Exists(e => e.Event == LzEvent.Disconnected), $"{what}: the mismatched connection was not dropped within {Side.WaitMs} ms (events: {names})");
    }

    /// <summary>Monitor events until the first DISCONNECTED and <see cref="AfterMs"/> more, or <see cref="Side.WaitMs"/>.</summary>
    internal static List<LzMonitorEvent> WatchUntilDisconnected(LzSocket monitor)
    {
        monitor.SetOption(LzOption.RcvTimeo, 20);
        var seen = new List<LzMonitorEvent>();
        var deadline = Environment.TickCount64 + Side.WaitMs;
        while (Environment.TickCount64 < deadline)
        {
            if (LzMonitorEvent.Receive(monitor) is not { } e)
                continue;
            seen.Add(e);
            if (e.Event == LzEvent.Disconnected)
                deadline = Math.Min(deadline, Environment.TickCount64 + AfterMs);
        }
        return seen;
    }
}
