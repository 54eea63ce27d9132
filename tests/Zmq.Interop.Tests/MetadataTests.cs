using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>The Socket-Type we announce in READY is what libzmq exposes as message metadata (zmq_msg_gets).</summary>
public sealed class MetadataTests
{
    public static TheoryData<SocketType, SocketType> Cases => new()
    {
        { SocketType.Push, SocketType.Pull },
        { SocketType.Pair, SocketType.Pair },
        { SocketType.Dealer, SocketType.Router },
        { SocketType.Dealer, SocketType.Dealer },
        { SocketType.Dealer, SocketType.Rep },
        { SocketType.Req, SocketType.Rep },
        { SocketType.Req, SocketType.Router },
        { SocketType.Rep, SocketType.Req },
        { SocketType.Router, SocketType.Dealer },
        { SocketType.Pub, SocketType.Sub },
        { SocketType.XPub, SocketType.Sub },
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void LibzmqSeesOurSocketType(SocketType ours, SocketType theirs)
    {
        LibZmqRequired.Check();
        using var duo = new Duo(ours, theirs);
        var lz = ((LzSide)duo.Theirs).Socket;
        duo.Link(weBind: true);
        var payload = B("payload");
        switch (ours)
        {
            case SocketType.Router:
                duo.Theirs.Send(B("hello"));
                var id = duo.Ours.Receive()[0];
                duo.Ours.Send(id, payload);
                break;
            case SocketType.Rep:
                duo.Theirs.Send(B("hello"));
                duo.Ours.Receive();
                duo.Ours.Send(payload);
                break;
            case SocketType.Pub or SocketType.XPub:
                lz.Subscribe("");
                if (ours == SocketType.XPub)
                    duo.Ours.ReceivePumping(duo.Theirs);
                break;
            case SocketType.Dealer when theirs == SocketType.Rep:
                duo.Ours.Send([], payload);
                break;
            default:
                duo.Ours.Send(payload);
                break;
        }

        // Publishers send until the subscription is active; the others sent once above.
        var deadline = Environment.TickCount64 + Side.WaitMs;
        lz.SetOption(LzOption.RcvTimeo, ours is SocketType.Pub or SocketType.XPub ? 20 : Side.WaitMs);
        List<LzReceived> frames;
        while (true)
        {
            if (ours is SocketType.Pub or SocketType.XPub)
                duo.Ours.Send(payload);
            if (ReceiveWithMetadata(lz) is { } got)
            {
                frames = got;
                break;
            }
            if (Environment.TickCount64 > deadline)
                Assert.Fail($"libzmq {theirs} received nothing from our {ours}");
        }

        var last = frames[^1];
        Assert.Equal(payload, last.Data);
        var expected = ours.ToString().ToUpperInvariant();
        Assert.True(last.Properties["Socket-Type"] == expected,
            $"libzmq {theirs} sees Socket-Type \"{last.Properties["Socket-Type"]}\" from our {ours}, expected \"{expected}\"");
    }

    private static List<LzReceived>? ReceiveWithMetadata(LzSocket socket)
    {
        var frames = new List<LzReceived>();
        do
        {
            var frame = socket.ReceiveWithMetadata("Socket-Type");
            if (frame is null)
            {
                Assert.True(frames.Count == 0, "libzmq timed out inside a multipart message");
                return null;
            }
            frames.Add(frame);
        }
        while (frames[^1].More);
        return frames;
    }
}
