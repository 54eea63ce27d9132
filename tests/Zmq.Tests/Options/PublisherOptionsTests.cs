using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Options.OptionTestKit;

namespace Zmq.Tests.Options;

/// <summary>XPUB_VERBOSE, XPUB_VERBOSER, XPUB_MANUAL, XPUB_WELCOME_MSG, XPUB_NODROP and INVERT_MATCHING (libzmq xpub.cpp, dist.cpp, xsub.cpp).</summary>
public class PublisherOptionsTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    private SubSocket SubTo(string ep, params string[] topics)
    {
        var sub = S.Sub();
        foreach (var t in topics) sub.Subscribe(t);
        sub.Connect(ep);
        return sub;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Verbose_PassesEverySubscribe(bool verbose)
    {
        var xpub = S.XPub();
        xpub.Verbose = verbose;
        var ep = Bind(xpub, "tcp");
        SubTo(ep, "A");
        Assert.Equal("+A", Notification(xpub));
        var second = SubTo(ep, "A");
        second.Subscribe("A"); // a libzmq SUB sends a SUBSCRIBE for every call
        if (verbose)
        {
            Assert.Equal("+A", Notification(xpub));
            Assert.Equal("+A", Notification(xpub));
        }
        SubTo(ep, "B");
        Assert.Equal("+B", Notification(xpub)); // not verbose: the duplicates were not passed up
    }

    [Fact]
    public void NotVerboser_OnlyTheLastUnsubscribeIsPassed()
    {
        var xpub = S.XPub();
        xpub.Verbose = true;
        var ep = Bind(xpub, "tcp");
        var a = SubTo(ep, "T");
        Assert.Equal("+T", Notification(xpub));
        var b = SubTo(ep, "T");
        Assert.Equal("+T", Notification(xpub));
        a.Unsubscribe("T");
        b.Unsubscribe("T");
        Assert.Equal("-T", Notification(xpub));
        AssertNothing(xpub);
    }

    [Fact]
    public void Verboser_PassesEveryUnsubscribe_IncludingThoseOfADepartingSubscriber()
    {
        var xpub = S.XPub();
        xpub.Verboser = true;
        var ep = Bind(xpub, "tcp");
        var a = SubTo(ep, "T");
        Assert.Equal("+T", Notification(xpub));
        var b = SubTo(ep, "T");
        Assert.Equal("+T", Notification(xpub));
        a.Unsubscribe("T");
        Assert.Equal("-T", Notification(xpub));
        b.Dispose(); // still subscribed when it leaves
        Assert.Equal("-T", Notification(xpub));
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("inproc")]
    public void Manual_SubscriptionsApplyOnlyWhenTheApplicationSaysSo(string transport)
    {
        var xpub = S.XPub();
        xpub.Manual = true;
        var ep = Bind(xpub, transport);
        var sub = SubTo(ep, ""); // the SUB itself accepts everything; the XPUB decides
        Assert.Equal("+", Notification(xpub));
        xpub.SendString("before");
        AssertNothing(sub, what: "(nothing applied yet)");

        xpub.Subscribe("news"); // applies to the subscriber whose request was read last
        Settle(xpub, sub, "news-probe");
        xpub.SendString("sports");
        xpub.SendString("news:1");
        Assert.Equal("news:1", sub.ReceiveString());

        xpub.Unsubscribe("news");
        xpub.SendString("news:2");
        AssertNothing(sub);
    }

    [Fact]
    public void Manual_EveryRequestIsPassed_AndADepartedSubscribersTopicsAreReported()
    {
        var xpub = S.XPub();
        xpub.Manual = true;
        var ep = Bind(xpub, "tcp");
        var a = SubTo(ep, "X");
        Assert.Equal("+X", Notification(xpub));
        var b = SubTo(ep, "X");
        Assert.Equal("+X", Notification(xpub)); // manual: duplicates too
        b.Subscribe("Y");
        Assert.Equal("+Y", Notification(xpub));
        b.Dispose();
        var gone = new[] { Notification(xpub), Notification(xpub) };
        Assert.Equal(["-X", "-Y"], gone.Order().ToArray());
        Assert.NotNull(a);
    }

    [Fact]
    public void Manual_SubscribeWithoutManual_Throws()
    {
        var xpub = S.XPub();
        var e = Assert.Throws<ZmqException>(() => xpub.Subscribe("x"));
        Assert.Equal(ZmqError.InvalidState, e.Error);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("inproc")]
    public void WelcomeMessage_GoesToEachNewSubscriberFirst(string transport)
    {
        var xpub = S.XPub();
        xpub.WelcomeMessage = B("WELCOME");
        var ep = Bind(xpub, transport);
        var a = SubTo(ep, "WELCOME");
        Assert.Equal("WELCOME", a.ReceiveString());
        var b = SubTo(ep, "WELCOME", "x");
        Assert.Equal("WELCOME", b.ReceiveString());
        Assert.Equal("+WELCOME", Notification(xpub));
        // A subscriber not subscribed to it filters it out, as with libzmq.
        var c = SubTo(ep, "other");
        Settle(xpub, c, "other-probe", onlyProbes: true);
    }

    [Theory]
    [InlineData(SocketType.XPub)]
    [InlineData(SocketType.Pub)]
    public void NoDrop_AFullSubscriberMakesSendWait_InsteadOfDropping(SocketType type)
    {
        var pub = S.Create(type);
        if (pub is XPubSocket x) x.NoDrop = true;
        else ((PubSocket)pub).NoDrop = true;
        pub.SendHighWatermark = 2;
        var ep = Bind(pub, "inproc");
        var sub = S.Sub();
        sub.ReceiveHighWatermark = 2;
        sub.Subscribe("");
        sub.Connect(ep);
        if (pub is XPubSocket xpub) Assert.Equal("+", Notification(xpub));
        Settle(pub, sub, "probe");

        int sent = 0;
        while (sent < 1000 && pub.TrySend(B("m" + sent))) sent++;
        Assert.InRange(sent, 1, 999); // the inproc pipe holds SNDHWM + RCVHWM
        pub.SendTimeout = TimeSpan.FromMilliseconds(100);
        Assert.Throws<ZmqTimeoutException>(() => pub.SendString("blocked"));
        for (int i = 0; i < sent; i++) Assert.Equal("m" + i, sub.ReceiveString()); // nothing was dropped
        Assert.True(pub.TrySend(B("room again")));
        Assert.Equal("room again", sub.ReceiveString());
    }

    [Fact]
    public void WithoutNoDrop_AFullSubscriberMissesMessages_AndSendNeverWaits()
    {
        var pub = S.XPub();
        pub.SendHighWatermark = 2;
        var ep = Bind(pub, "inproc");
        var sub = S.Sub();
        sub.ReceiveHighWatermark = 2;
        sub.Subscribe("");
        sub.Connect(ep);
        Assert.Equal("+", Notification(pub));
        Settle(pub, sub, "probe");
        for (int i = 0; i < 100; i++) Assert.True(pub.TrySend(B("m" + i)));
        int got = 0;
        while (sub.TryReceive(TimeSpan.FromMilliseconds(100), out var m)) { m.Dispose(); got++; }
        Assert.InRange(got, 1, 99);
    }

    [Theory]
    [InlineData(SocketType.Pub, "tcp")]
    [InlineData(SocketType.XPub, "tcp")]
    [InlineData(SocketType.Pub, "inproc")]
    public void InvertMatching_PublisherAndSubscriber_DeliverWhatDoesNotMatch(SocketType type, string transport)
    {
        var pub = S.Create(type);
        ((IInvertMatchingOption)pub).InvertMatching = true;
        var ep = Bind(pub, transport);
        var sub = S.Sub();
        sub.InvertMatching = true;
        sub.Subscribe("A");
        sub.Connect(ep);
        if (pub is XPubSocket xpub) Assert.Equal("+A", Notification(xpub));
        Settle(pub, sub, "probe");
        foreach (var t in new[] { "A1", "B1", "AA", "C1", "end" }) pub.SendString(t);
        Assert.Equal("B1", sub.ReceiveString());
        Assert.Equal("C1", sub.ReceiveString());
        Assert.Equal("end", sub.ReceiveString());
    }

    [Fact]
    public void InvertMatching_PublisherSendsToSubscribersWithoutAnySubscription()
    {
        var pub = S.Pub();
        pub.InvertMatching = true;
        var ep = Bind(pub, "inproc");
        var sub = S.Sub();
        sub.InvertMatching = true; // no subscriptions: nothing matches, so everything is wanted
        sub.Connect(ep);
        Settle(pub, sub, "everything");
    }

    [Fact]
    public void InvertMatching_OnlyOnThePublisher_AMatchingSubRejectsEverything()
    {
        // libzmq's documented pitfall: the SUB must invert too.
        var pub = S.Pub();
        pub.InvertMatching = true;
        var ep = Bind(pub, "inproc");
        var sub = S.Sub();
        sub.Subscribe("A");
        sub.Connect(ep);
        Wait.Until(() => SocketProbe.ConnectedCount(pub) == 1, "the SUB is joined");
        for (int i = 0; i < 20; i++) pub.SendString("B" + i);
        AssertNothing(sub);
    }

    [Fact]
    public void Xsub_DoesNotFilter_SoItNeedsNoInvertMatching()
    {
        var pub = S.XPub();
        pub.InvertMatching = true;
        var ep = Bind(pub, "tcp");
        var xsub = S.XSub();
        xsub.Connect(ep);
        xsub.Send([1, .. "A"u8]);
        Assert.Equal("+A", Notification(pub)); // applied: from now on "A..." is not sent to it
        pub.SendString("A1");
        pub.SendString("B1");
        Assert.Equal("B1", xsub.ReceiveString());
    }
}
