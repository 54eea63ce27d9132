namespace Zmq.Tests.Options;

/// <summary>
/// <see cref="Socket.SetOption"/>/<see cref="Socket.GetOption"/>: libzmq's option numbers mapped onto
/// the typed properties, values in libzmq's representation, and errors that name the option.
/// </summary>
public class SetOptionTests
{
    [Fact]
    public void Numbers_AreLibzmqs()
    {
        // zmq.h (libzmq 4.3.4)
        Assert.Equal(5, (int)SocketOption.RoutingId);
        Assert.Equal(6, (int)SocketOption.Subscribe);
        Assert.Equal(7, (int)SocketOption.Unsubscribe);
        Assert.Equal(16, (int)SocketOption.Type);
        Assert.Equal(17, (int)SocketOption.Linger);
        Assert.Equal(22, (int)SocketOption.MaxMsgSize);
        Assert.Equal(23, (int)SocketOption.SndHwm);
        Assert.Equal(24, (int)SocketOption.RcvHwm);
        Assert.Equal(27, (int)SocketOption.RcvTimeo);
        Assert.Equal(28, (int)SocketOption.SndTimeo);
        Assert.Equal(32, (int)SocketOption.LastEndpoint);
        Assert.Equal(33, (int)SocketOption.RouterMandatory);
        Assert.Equal(40, (int)SocketOption.XPubVerbose);
        Assert.Equal(51, (int)SocketOption.ProbeRouter);
        Assert.Equal(52, (int)SocketOption.ReqCorrelate);
        Assert.Equal(53, (int)SocketOption.ReqRelaxed);
        Assert.Equal(54, (int)SocketOption.Conflate);
        Assert.Equal(56, (int)SocketOption.RouterHandover);
        Assert.Equal(66, (int)SocketOption.HandshakeIvl);
        Assert.Equal(69, (int)SocketOption.XPubNoDrop);
        Assert.Equal(71, (int)SocketOption.XPubManual);
        Assert.Equal(72, (int)SocketOption.XPubWelcomeMsg);
        Assert.Equal(74, (int)SocketOption.InvertMatching);
        Assert.Equal(78, (int)SocketOption.XPubVerboser);
    }

    [Fact]
    public void GenericOptions_MapOntoTheProperties()
    {
        using var s = new DealerSocket();
        s.SetOption(SocketOption.SndHwm, 7);
        s.SetOption(SocketOption.RcvHwm, 9L);
        s.SetOption(SocketOption.Linger, -1);
        s.SetOption(SocketOption.RcvTimeo, 250);
        s.SetOption(SocketOption.SndTimeo, TimeSpan.FromSeconds(2));
        s.SetOption(SocketOption.ReconnectIvl, 50);
        s.SetOption(SocketOption.ReconnectIvlMax, 400);
        s.SetOption(SocketOption.HandshakeIvl, 0);
        s.SetOption(SocketOption.MaxMsgSize, 1L << 33);
        s.SetOption(SocketOption.RoutingId, "client-1");
        Assert.Equal(7, s.SendHighWatermark);
        Assert.Equal(9, s.ReceiveHighWatermark);
        Assert.Equal(Timeout.InfiniteTimeSpan, s.Linger);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.ReceiveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), s.SendTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), s.ReconnectInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(400), s.ReconnectIntervalMax);
        Assert.Equal(TimeSpan.Zero, s.HandshakeInterval);
        Assert.Equal(1L << 33, s.MaxMessageSize);
        Assert.Equal("client-1"u8.ToArray(), s.RoutingId);

        Assert.Equal(7, s.GetOption(SocketOption.SndHwm));
        Assert.Equal(9, s.GetOption(SocketOption.RcvHwm));
        Assert.Equal(-1, s.GetOption(SocketOption.Linger));
        Assert.Equal(250, s.GetOption(SocketOption.RcvTimeo));
        Assert.Equal(2000, s.GetOption(SocketOption.SndTimeo));
        Assert.Equal(50, s.GetOption(SocketOption.ReconnectIvl));
        Assert.Equal(400, s.GetOption(SocketOption.ReconnectIvlMax));
        Assert.Equal(0, s.GetOption(SocketOption.HandshakeIvl));
        Assert.Equal(1L << 33, s.GetOption(SocketOption.MaxMsgSize));
        Assert.Equal("client-1"u8.ToArray(), s.GetOption(SocketOption.RoutingId));
        Assert.Equal(5, s.GetOption(SocketOption.Type)); // ZMQ_DEALER
        Assert.Equal("", s.GetOption(SocketOption.LastEndpoint));
        s.SetOption(SocketOption.RoutingId, null);
        Assert.Null(s.RoutingId);
        Assert.Equal(Array.Empty<byte>(), s.GetOption(SocketOption.RoutingId));
        s.Linger = TimeSpan.Zero;
    }

    [Fact]
    public void TypeSpecificOptions_MapOntoEachTypesProperty()
    {
        using var router = new RouterSocket();
        router.SetOption(SocketOption.RouterHandover, 1);
        router.SetOption(SocketOption.RouterMandatory, true);
        router.SetOption(SocketOption.ProbeRouter, 1);
        Assert.True(router.Handover);
        Assert.True(router.Mandatory);
        Assert.True(router.ProbeRouter);
        Assert.Equal(1, router.GetOption(SocketOption.RouterHandover));

        using var req = new ReqSocket();
        req.SetOption(SocketOption.ReqCorrelate, 1);
        req.SetOption(SocketOption.ReqRelaxed, 1);
        req.SetOption(SocketOption.ProbeRouter, 1);
        Assert.True(req.Correlate && req.Relaxed && req.ProbeRouter);
        Assert.Equal(1, req.GetOption(SocketOption.ReqRelaxed));

        using var dealer = new DealerSocket();
        dealer.SetOption(SocketOption.ProbeRouter, 1);
        dealer.SetOption(SocketOption.Conflate, 1);
        Assert.True(dealer.ProbeRouter && dealer.Conflate);

        using var push = new PushSocket();
        using var pull = new PullSocket();
        using var pub = new PubSocket();
        using var sub = new SubSocket();
        foreach (var s in new Socket[] { push, pull, pub, sub })
        {
            Assert.Equal(0, s.GetOption(SocketOption.Conflate));
            s.SetOption(SocketOption.Conflate, 1);
            Assert.Equal(1, s.GetOption(SocketOption.Conflate));
        }
        Assert.True(push.Conflate && pull.Conflate && pub.Conflate && sub.Conflate);

        using var xpub = new XPubSocket();
        xpub.SetOption(SocketOption.XPubNoDrop, 1);
        xpub.SetOption(SocketOption.XPubManual, 1);
        xpub.SetOption(SocketOption.XPubWelcomeMsg, "welcome");
        xpub.SetOption(SocketOption.InvertMatching, 1);
        Assert.True(xpub.NoDrop && xpub.Manual && xpub.InvertMatching);
        Assert.Equal("welcome"u8.ToArray(), xpub.WelcomeMessage);
        xpub.SetOption(SocketOption.XPubWelcomeMsg, null);
        Assert.Null(xpub.WelcomeMessage);

        pub.SetOption(SocketOption.XPubNoDrop, 1);
        pub.SetOption(SocketOption.InvertMatching, 1);
        sub.SetOption(SocketOption.InvertMatching, 1);
        Assert.True(pub.NoDrop && pub.InvertMatching && sub.InvertMatching);
        foreach (var s in new Socket[] { router, req, dealer, push, pull, pub, sub, xpub }) s.Linger = TimeSpan.Zero;
    }

    [Fact]
    public void XPubVerboseAndVerboser_FollowLibzmq()
    {
        using var xpub = new XPubSocket();
        xpub.SetOption(SocketOption.XPubVerboser, 1);
        Assert.True(xpub.Verbose);
        Assert.True(xpub.Verboser);
        // libzmq: ZMQ_XPUB_VERBOSE sets verbose subscribes and turns verbose unsubscribes off.
        xpub.SetOption(SocketOption.XPubVerbose, 1);
        Assert.True(xpub.Verbose);
        Assert.False(xpub.Verboser);
        xpub.SetOption(SocketOption.XPubVerboser, 0);
        Assert.False(xpub.Verbose);
        Assert.False(xpub.Verboser);
        xpub.Linger = TimeSpan.Zero;
    }

    [Fact]
    public void SubscribeOption_SubscribesASub()
    {
        using var sub = new SubSocket();
        sub.SetOption(SocketOption.Subscribe, "topic");
        sub.SetOption(SocketOption.Subscribe, new byte[] { 1, 2 });
        sub.SetOption(SocketOption.Unsubscribe, "topic");
        var e = Assert.Throws<ZmqException>(() => sub.GetOption(SocketOption.Subscribe));
        Assert.Equal(ZmqError.InvalidOption, e.Error);
        Assert.Contains("ZMQ_SUBSCRIBE", e.Message);
    }

    public static TheoryData<string, SocketType, SocketOption, object?, string> Errors => new()
    {
        { "unsupported", SocketType.Dealer, SocketOption.Rate, 1, "ZMQ_RATE" },
        { "out of range", SocketType.Dealer, SocketOption.SndBuf, -2, "ZMQ_SNDBUF" },
        { "CURVE key of the wrong size", SocketType.Dealer, SocketOption.CurveServerKey, new byte[5], "ZMQ_CURVE_SERVERKEY" },
        { "CURVE key that is not Z85", SocketType.Dealer, SocketOption.CurvePublicKey, new string('~', 40), "ZMQ_CURVE_PUBLICKEY" },
        { "PLAIN user name over 255 bytes", SocketType.Dealer, SocketOption.PlainUsername, new string('u', 256), "ZMQ_PLAIN_USERNAME" },
        { "MECHANISM is read-only", SocketType.Dealer, SocketOption.Mechanism, 1, "ZMQ_MECHANISM" },
        { "unknown number", SocketType.Dealer, (SocketOption)999, 1, "999" },
        { "not for this type", SocketType.Dealer, SocketOption.RouterHandover, 1, "ZMQ_ROUTER_HANDOVER" },
        { "not for this type (REQ)", SocketType.Router, SocketOption.ReqCorrelate, 1, "ZMQ_REQ_CORRELATE" },
        { "CONFLATE on ROUTER", SocketType.Router, SocketOption.Conflate, 1, "ZMQ_CONFLATE" },
        { "PROBE_ROUTER on PUB", SocketType.Pub, SocketOption.ProbeRouter, 1, "ZMQ_PROBE_ROUTER" },
        { "XPUB option on PUB", SocketType.Pub, SocketOption.XPubVerbose, 1, "ZMQ_XPUB_VERBOSE" },
        { "read-only", SocketType.Dealer, SocketOption.Type, 5, "ZMQ_TYPE" },
        { "read-only endpoint", SocketType.Dealer, SocketOption.LastEndpoint, "tcp://x:1", "ZMQ_LAST_ENDPOINT" },
        { "wrong kind", SocketType.Dealer, SocketOption.SndHwm, "many", "ZMQ_SNDHWM" },
        { "null int", SocketType.Dealer, SocketOption.RcvHwm, null, "ZMQ_RCVHWM" },
        { "negative flag", SocketType.Router, SocketOption.RouterHandover, -1, "ZMQ_ROUTER_HANDOVER" },
        { "bytes as int", SocketType.Dealer, SocketOption.RoutingId, 5, "ZMQ_ROUTING_ID" },
        { "SUBSCRIBE on PUSH", SocketType.Push, SocketOption.Subscribe, "x", "ZMQ_SUBSCRIBE" },
        { "SUBSCRIBE on automatic XPUB", SocketType.XPub, SocketOption.Subscribe, "x", "XPUB_MANUAL" },
        { "negative HWM (the property's check)", SocketType.Dealer, SocketOption.SndHwm, -1, "ZMQ_SNDHWM" },
        { "negative linger", SocketType.Dealer, SocketOption.Linger, -5, "ZMQ_LINGER" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Errors_AreInvalidOption_NamingTheOption(string what, SocketType type, SocketOption option, object? value, string named)
    {
        using var scope = new Infrastructure.SocketScope();
        var s = scope.Create(type);
        var e = Assert.Throws<ZmqException>(() => s.SetOption(option, value));
        Assert.True(e.Error == ZmqError.InvalidOption, $"{what}: {e.Error} {e.Message}");
        Assert.Contains(named, e.Message);
        Assert.Equal(type, e.SocketType);
    }

    [Fact]
    public void EveryListedOption_EitherWorksOrFailsAsInvalidOption()
    {
        using var scope = new Infrastructure.SocketScope();
        foreach (var type in Enum.GetValues<SocketType>())
        {
            var s = scope.Create(type);
            foreach (var option in Enum.GetValues<SocketOption>())
            {
                try
                {
                    var value = s.GetOption(option);
                    Assert.True(value is int or long or byte[] or string, $"{option} on {type}: {value?.GetType()}");
                }
                catch (ZmqException e)
                {
                    Assert.True(e.Error == ZmqError.InvalidOption, $"{option} on {type}: {e.Error}");
                    Assert.Contains("ZMQ_", e.Message);
                }
            }
        }
    }
}
