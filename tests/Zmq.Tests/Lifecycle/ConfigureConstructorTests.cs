using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Lifecycle;

/// <summary>The constructors' configure callback runs before the endpoints attach, so options that must precede Connect/Bind can go with the endpoint string.</summary>
public sealed class ConfigureConstructorTests
{
    [Fact]
    public void Options_set_in_configure_apply_to_the_constructor_endpoints()
    {
        using var ctx = new Context();
        var keys = CurveKeyPair.Generate();
        using var router = new RouterSocket("@tcp://127.0.0.1:*", ctx, r =>
        {
            r.MakeCurveServer(keys);
            r.ReceiveTimeout = SocketScope.ReceiveTimeout;
        });
        using var dealer = new DealerSocket(">" + router.LastEndpoint, ctx, d =>
        {
            d.RoutingId = "me"u8.ToArray();
            d.MakeCurveClient(keys.PublicKey);
            d.Linger = TimeSpan.Zero;
        });
        dealer.SendString("hello");
        using var m = router.Receive();
        Assert.Equal("me", m.GetString(0));
        Assert.Equal("hello", m.GetString(1));
        Assert.Equal("DEALER", m.GetProperty("Socket-Type"));
    }

    [Fact]
    public void Sub_configure_runs_before_connect_and_subscribe_still_applies()
    {
        using var ctx = new Context();
        using var pub = new PubSocket("@inproc://cfg-sub", ctx);
        using var sub = new SubSocket(">inproc://cfg-sub", "a", ctx, s => s.ReceiveTimeout = TimeSpan.FromMilliseconds(50));
        Assert.Equal(TimeSpan.FromMilliseconds(50), sub.ReceiveTimeout);
        Wait.Until(() =>
        {
            pub.SendString("b-no");
            pub.SendString("a-yes");
            return sub.TryReceive(TimeSpan.FromMilliseconds(20), out var m) && m.GetString(0) == "a-yes";
        }, "the constructor's subscription");
    }

    [Fact]
    public void A_throwing_configure_disposes_the_socket_and_propagates()
    {
        using var ctx = new Context();
        PushSocket? seen = null;
        var e = Assert.Throws<InvalidOperationException>(() => new PushSocket("@inproc://cfg-throw", ctx, s =>
        {
            seen = s;
            throw new InvalidOperationException("bad option");
        }));
        Assert.Equal("bad option", e.Message);
        Assert.Equal(ZmqError.Disposed, Assert.Throws<ZmqException>(() => seen!.SendString("x")).Error);
        using var again = new PullSocket("@inproc://cfg-throw", ctx); // the name was never bound
    }
}
