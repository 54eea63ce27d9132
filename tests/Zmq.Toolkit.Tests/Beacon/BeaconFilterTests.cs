namespace Zmq.Toolkit.Tests;

/// <summary>zbeacon's delivery rules for a datagram, without a network: subscription prefix, own echo, size.</summary>
public sealed class BeaconFilterTests
{
    private static byte[] B(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Nothing_is_delivered_without_a_subscription()
    {
        Assert.False(BeaconFilter.Accepts(B("hello"), subscription: null, transmitting: null));
        Assert.False(BeaconFilter.Accepts([], subscription: null, transmitting: null));
    }

    [Fact]
    public void An_empty_prefix_takes_every_beacon_even_an_empty_one()
    {
        Assert.True(BeaconFilter.Accepts(B("hello"), [], null));
        Assert.True(BeaconFilter.Accepts([0x00, 0xFF], [], null));
        Assert.True(BeaconFilter.Accepts([], [], null));
    }

    [Theory]
    [InlineData("svc tcp://x", "svc", true)]
    [InlineData("svc", "svc", true)]
    [InlineData("sv", "svc", false)]     // shorter than the prefix
    [InlineData("Svc tcp://x", "svc", false)] // bytes, not case-insensitive text
    [InlineData("xsvc", "svc", false)]   // a prefix, not a substring
    public void A_prefix_matches_the_start_of_the_beacon(string beacon, string prefix, bool delivered) =>
        Assert.Equal(delivered, BeaconFilter.Accepts(B(beacon), B(prefix), null));

    [Fact]
    public void A_beacon_identical_to_what_we_publish_is_dropped_and_any_other_delivered()
    {
        byte[] ours = B("node-1 tcp://10.0.0.1:5555");
        Assert.False(BeaconFilter.Accepts(ours, [], ours));                        // our own broadcast, echoed back
        Assert.False(BeaconFilter.Accepts(B("node-1 tcp://10.0.0.1:5555"), [], ours)); // same bytes from anyone: dropped, as CZMQ
        Assert.True(BeaconFilter.Accepts(B("node-1 tcp://10.0.0.1:5556"), [], ours));
        Assert.True(BeaconFilter.Accepts(B("node-1 tcp://10.0.0.1:555"), [], ours));  // a prefix of ours is another beacon
        Assert.True(BeaconFilter.Accepts(B("node-1 tcp://10.0.0.1:55555"), [], ours));
    }

    [Fact]
    public void The_echo_rule_applies_after_the_prefix_and_an_empty_payload_echoes_too()
    {
        Assert.False(BeaconFilter.Accepts(B("a"), B("b"), B("x")));
        Assert.False(BeaconFilter.Accepts([], [], []));
    }

    [Fact]
    public void A_datagram_longer_than_255_bytes_is_no_beacon()
    {
        Assert.True(BeaconFilter.Accepts(new byte[255], [], null));
        Assert.False(BeaconFilter.Accepts(new byte[256], [], null));
        Assert.False(BeaconFilter.Accepts(new byte[65000], [], null));
    }
}
