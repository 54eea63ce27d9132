using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>MAXMSGSIZE on our side against a libzmq sender.</summary>
public sealed class MaxMessageSizeTests
{
    [SkippableFact]
    public void OversizedFrameFromLibzmqIsDroppedAndOthersStillDelivered()
    {
        LibZmqRequired.Check();
        using var context = new LzContext();
        using var pull = (OurSide)Side.Ours(SocketType.Pull);
        pull.Socket.MaxMessageSize = 1000;
        var endpoint = pull.BindEphemeral();

        using var offender = (LzSide)Side.Lz(context, SocketType.Push);
        using var monitor = offender.Socket.OpenMonitor();
        offender.Connect(endpoint);
        offender.Send(new byte[2000]);
        // Our side must drop the connection that carried the oversized frame (libzmq sees it go).
        var events = MismatchTests.WatchUntilDisconnected(monitor);
        Assert.True(events.Exists(e => e.Event == LzEvent.Disconnected),
            $"our PULL with MaxMessageSize=1000 kept the connection that sent 2000 bytes (libzmq events: {string.Join(", ", events.Select(e => e.Name))})");
        var got = pull.TryReceive(100);
        Assert.True(got is null, $"our PULL with MaxMessageSize=1000 delivered {(got is null ? "" : Show(got))} from a 2000-byte frame");

        using var good = Side.Lz(context, SocketType.Push);
        good.Connect(endpoint);
        var atLimit = new byte[1000];
        new Random(5).NextBytes(atLimit);
        good.Send(B("small"));
        good.Send(atLimit);
        Equal([B("small")], pull.Receive(), "small message from another libzmq PUSH");
        Equal([atLimit], pull.Receive(), "1000-byte message (exactly MaxMessageSize) from another libzmq PUSH");
        Assert.Null(pull.TryReceive(100));
    }
}
