using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>ROUTER identities across the two implementations.</summary>
public sealed class IdentityTests
{
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void OurDealerRoutingIdIsFrameZeroAtLibzmqRouter(bool weBind)
    {
        LibZmqRequired.Check();
        using var duo = new Duo(SocketType.Dealer, SocketType.Router);
        var id = B("abc");
        duo.Ours.SetRoutingId(id);
        duo.Theirs.SetRouterMandatory();
        duo.Link(weBind);

        duo.Ours.Send(B("hello"));
        Equal([id, B("hello")], duo.Theirs.Receive(), "libzmq ROUTER receiving from our DEALER with RoutingId \"abc\"");
        duo.Theirs.Send(id, B("reply"));
        Equal([B("reply")], duo.Ours.Receive(), "reply routed by libzmq ROUTER to \"abc\"");
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void LibzmqDealerRoutingIdIsFrameZeroAtOurRouter(bool weBind)
    {
        LibZmqRequired.Check();
        using var duo = new Duo(SocketType.Router, SocketType.Dealer);
        var id = B("libzmq-dealer");
        duo.Theirs.SetRoutingId(id);
        duo.Ours.SetRouterMandatory();
        duo.Link(weBind);

        duo.Theirs.Send(B("hello"));
        Equal([id, B("hello")], duo.Ours.Receive(), "our ROUTER receiving from libzmq DEALER with ZMQ_ROUTING_ID");
        duo.Ours.Send(id, B("reply"));
        Equal([B("reply")], duo.Theirs.Receive(), "reply routed by our ROUTER");
    }

    [SkippableFact]
    public void OurRouterGeneratesFiveByteIdsStartingWithZero()
    {
        LibZmqRequired.Check();
        using var duo = new Duo(SocketType.Router, SocketType.Dealer);
        using var second = Side.Lz(duo.Context, SocketType.Dealer);
        duo.Ours.SetRouterMandatory();
        duo.Link(weBind: true);
        second.Connect(((OurSide)duo.Ours).Socket.LastEndpoint!);

        duo.Theirs.Send(B("first"));
        second.Send(B("second"));
        var ids = new Dictionary<string, byte[]>();
        for (var i = 0; i < 2; i++)
        {
            var got = duo.Ours.Receive();
            Assert.True(got.Length == 2, $"our ROUTER got {Show(got)}");
            ids[System.Text.Encoding.UTF8.GetString(got[1])] = got[0];
        }
        foreach (var (from, id) in ids)
        {
            Assert.True(id.Length == 5, $"generated id for the {from} DEALER is {id.Length} bytes: {Show(id)}");
            Assert.True(id[0] == 0, $"generated id for the {from} DEALER does not start with 0x00: {Show(id)}");
        }
        Assert.False(ids["first"].AsSpan().SequenceEqual(ids["second"]), "two connections got the same generated id");

        duo.Ours.Send(ids["second"], B("to-second"));
        duo.Ours.Send(ids["first"], B("to-first"));
        Equal([B("to-first")], duo.Theirs.Receive(), "reply to the first DEALER");
        Equal([B("to-second")], second.Receive(), "reply to the second DEALER");
    }
}
