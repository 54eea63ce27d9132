using System.Buffers.Binary;
using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Options.OptionTestKit;

namespace Zmq.Tests.Options;

/// <summary>REQ_CORRELATE and REQ_RELAXED (libzmq req.cpp).</summary>
public class ReqOptionsTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    private (ReqSocket Req, RouterSocket Router) ReqToRouter(string transport = "tcp", bool correlate = false, bool relaxed = false)
    {
        var router = S.Router();
        var req = S.Req();
        req.RoutingId = B("req");
        req.Correlate = correlate;
        req.Relaxed = relaxed;
        req.Connect(Bind(router, transport));
        return (req, router);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("inproc")]
    public void Correlate_RequestIsIdDelimiterBody_AndTheIdGrowsByOne(string transport)
    {
        var (req, router) = ReqToRouter(transport, correlate: true);
        uint? last = null;
        for (int i = 0; i < 3; i++)
        {
            req.SendFrames("q" + i, "second frame");
            var got = router.ReceiveFrames();
            Assert.Equal(5, got.Length);
            Assert.Equal(B("req"), got[0]);
            Assert.Equal(4, got[1].Length);
            Assert.Empty(got[2]);
            Assert.Equal(["q" + i, "second frame"], Strings(got[3..]));
            uint id = BinaryPrimitives.ReadUInt32LittleEndian(got[1]);
            if (last is { } prev) Assert.Equal(unchecked(prev + 1), id);
            last = id;
            router.SendFrames([got[0], got[1], [], B("r" + i)]);
            Assert.Equal("r" + i, req.ReceiveString());
        }
    }

    [Fact]
    public void Correlate_RepliesWithAnotherIdOrNoId_AreDiscarded()
    {
        var (req, router) = ReqToRouter(correlate: true);
        req.SendString("q");
        var got = router.ReceiveFrames();
        var wrong = (byte[])got[1].Clone();
        wrong[0] ^= 0xFF;
        router.SendFrames([got[0], wrong, [], B("wrong id")]);
        router.SendFrames([got[0], [], B("no id")]);
        router.SendFrames([got[0], got[1], B("no delimiter")]);
        router.SendFrames([got[0], got[1], [], B("right")]);
        Assert.Equal("right", req.ReceiveString());
    }

    [Fact]
    public void Correlate_WorksThroughARep_WhichEchoesTheId()
    {
        var rep = S.Rep();
        var req = S.Req();
        req.Correlate = true;
        req.Connect(Bind(rep, "tcp"));
        for (int i = 0; i < 3; i++)
        {
            req.SendString("ping" + i);
            Assert.Equal("ping" + i, rep.ReceiveString());
            rep.SendString("pong" + i);
            Assert.Equal("pong" + i, req.ReceiveString());
        }
    }

    [Fact]
    public void Strict_SecondSendThrows()
    {
        var (req, router) = ReqToRouter();
        Assert.False(req.Relaxed);
        req.SendString("q1");
        var e = Assert.Throws<ZmqException>(() => req.SendString("q2"));
        Assert.Equal(ZmqError.InvalidState, e.Error);
        router.ReceiveFrames();
    }

    [Fact]
    public void Relaxed_ANewRequestMayBeSent_AndTheOldReplyIsDiscarded()
    {
        var (req, router) = ReqToRouter(correlate: true, relaxed: true);
        req.SendString("q1");
        var first = router.ReceiveFrames();
        req.SendString("q2");
        var second = router.ReceiveFrames();
        Assert.Equal("q2", Strings(second)[3]);
        router.SendFrames([first[0], first[1], [], B("late reply to q1")]);
        router.SendFrames([second[0], second[1], [], B("reply to q2")]);
        Assert.Equal("reply to q2", req.ReceiveString());
    }

    [Fact]
    public void Relaxed_RepliesThatArrivedBeforeTheNewRequest_AreDropped_EvenWithoutCorrelate()
    {
        var (req, router) = ReqToRouter(relaxed: true);
        req.SendString("q1");
        var first = router.ReceiveFrames();
        router.SendFrames(first[0], [], B("reply to q1"));
        Wait.Until(() => SocketProbe.InboundCount(req) == 1, "the reply to q1 waits at the REQ");
        req.SendString("q2"); // libzmq eats what is already there before sending
        var second = router.ReceiveFrames();
        router.SendFrames(second[0], [], B("reply to q2"));
        Assert.Equal("reply to q2", req.ReceiveString());
    }

    [Fact]
    public void Relaxed_TheNewRequestGoesToTheNextPeer_AndOnlyItsReplyCounts()
    {
        var a = S.Router();
        var b = S.Router();
        var req = S.Req();
        req.Relaxed = true;
        req.RoutingId = B("req");
        req.Connect(Bind(a, "tcp"));
        req.Connect(Bind(b, "tcp"));
        SocketProbe.WaitConnected(req, 2);
        req.SendString("q1");
        req.SendString("q2");
        var gotA = a.ReceiveFrames();
        var gotB = b.ReceiveFrames();
        Assert.NotEqual(Strings(gotA)[2], Strings(gotB)[2]);
        var (oldPeer, newPeer) = Strings(gotA)[2] == "q1" ? (a, b) : (b, a);
        oldPeer.SendFrames("req", "", "from the abandoned peer");
        newPeer.SendFrames("req", "", "from the current peer");
        Assert.Equal("from the current peer", req.ReceiveString());
    }

    [Fact]
    public void Relaxed_ReceivingBeforeAnyRequest_StillThrows()
    {
        var req = S.Req();
        req.Relaxed = true;
        var e = Assert.Throws<ZmqException>(() => req.TryReceive(out _));
        Assert.Equal(ZmqError.InvalidState, e.Error);
    }
}
