using System.Text;
using Zmq.Routing;

namespace Zmq.Tests.Routing;

public class SocketTypeInfoTests
{
    // RFC 37 "Socket types" and libzmq check_socket_type.
    private static readonly HashSet<(SocketType, SocketType)> Valid =
    [
        (SocketType.Pair, SocketType.Pair),
        (SocketType.Pub, SocketType.Sub), (SocketType.Pub, SocketType.XSub),
        (SocketType.XPub, SocketType.Sub), (SocketType.XPub, SocketType.XSub),
        (SocketType.Sub, SocketType.Pub), (SocketType.Sub, SocketType.XPub),
        (SocketType.XSub, SocketType.Pub), (SocketType.XSub, SocketType.XPub),
        (SocketType.Req, SocketType.Rep), (SocketType.Req, SocketType.Router),
        (SocketType.Rep, SocketType.Req), (SocketType.Rep, SocketType.Dealer),
        (SocketType.Dealer, SocketType.Rep), (SocketType.Dealer, SocketType.Dealer), (SocketType.Dealer, SocketType.Router),
        (SocketType.Router, SocketType.Req), (SocketType.Router, SocketType.Dealer), (SocketType.Router, SocketType.Router),
        (SocketType.Push, SocketType.Pull),
        (SocketType.Pull, SocketType.Push),
        // Draft types (libzmq 4.3 check_socket_type); STREAM has no ZMTP peer at all.
        (SocketType.Server, SocketType.Client), (SocketType.Client, SocketType.Server),
        (SocketType.Scatter, SocketType.Gather), (SocketType.Gather, SocketType.Scatter),
        (SocketType.Peer, SocketType.Peer), (SocketType.Channel, SocketType.Channel),
    ];

    public static TheoryData<SocketType, SocketType, bool> AllPairs()
    {
        var data = new TheoryData<SocketType, SocketType, bool>();
        foreach (var a in Enum.GetValues<SocketType>())
            foreach (var b in Enum.GetValues<SocketType>())
                data.Add(a, b, Valid.Contains((a, b)));
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void IsCompatible_MatchesRfc37ForEveryPair(SocketType self, SocketType peer, bool valid) =>
        Assert.Equal(valid, SocketTypeInfo.IsCompatible(self, peer));

    [Fact]
    public void Compatibility_IsSymmetric()
    {
        foreach (var a in Enum.GetValues<SocketType>())
            foreach (var b in Enum.GetValues<SocketType>())
                Assert.Equal(SocketTypeInfo.IsCompatible(a, b), SocketTypeInfo.IsCompatible(b, a));
    }

    [Theory]
    [InlineData(SocketType.Pair, "PAIR")]
    [InlineData(SocketType.Pub, "PUB")]
    [InlineData(SocketType.Sub, "SUB")]
    [InlineData(SocketType.Req, "REQ")]
    [InlineData(SocketType.Rep, "REP")]
    [InlineData(SocketType.Dealer, "DEALER")]
    [InlineData(SocketType.Router, "ROUTER")]
    [InlineData(SocketType.Pull, "PULL")]
    [InlineData(SocketType.Push, "PUSH")]
    [InlineData(SocketType.XPub, "XPUB")]
    [InlineData(SocketType.XSub, "XSUB")]
    [InlineData(SocketType.Server, "SERVER")]
    [InlineData(SocketType.Client, "CLIENT")]
    [InlineData(SocketType.Gather, "GATHER")]
    [InlineData(SocketType.Scatter, "SCATTER")]
    [InlineData(SocketType.Peer, "PEER")]
    [InlineData(SocketType.Channel, "CHANNEL")]
    public void WireNames_RoundTrip(SocketType type, string name)
    {
        Assert.Equal(name, SocketTypeInfo.WireName(type));
        Assert.True(SocketTypeInfo.TryParseWireName(Encoding.ASCII.GetBytes(name), out var parsed));
        Assert.Equal(type, parsed);
    }

    [Theory]
    [InlineData("dealer")]  // case-sensitive, as libzmq
    [InlineData("DEALER ")]
    [InlineData("")]
    [InlineData("STREAM")]  // not a ZMTP type: STREAM speaks raw TCP
    [InlineData("RADIO")]   // not built yet
    public void TryParseWireName_RejectsUnknown(string name) =>
        Assert.False(SocketTypeInfo.TryParseWireName(Encoding.ASCII.GetBytes(name), out _));

    [Theory]
    [InlineData(SocketType.Pub, true)]
    [InlineData(SocketType.XPub, true)]
    [InlineData(SocketType.Rep, true)]
    [InlineData(SocketType.Router, true)]
    [InlineData(SocketType.Pull, true)]
    [InlineData(SocketType.Sub, false)]
    [InlineData(SocketType.XSub, false)]
    [InlineData(SocketType.Req, false)]
    [InlineData(SocketType.Dealer, false)]
    [InlineData(SocketType.Push, false)]
    [InlineData(SocketType.Pair, false)]
    [InlineData(SocketType.Server, true)]
    [InlineData(SocketType.Scatter, true)]
    [InlineData(SocketType.Client, false)]
    [InlineData(SocketType.Gather, false)]
    [InlineData(SocketType.Peer, false)]
    [InlineData(SocketType.Channel, false)]
    [InlineData(SocketType.Stream, true)]
    public void BindByDefault_FollowsCzmq(SocketType type, bool binds) => Assert.Equal(binds, SocketTypeInfo.BindByDefault(type));

    [Fact]
    public void SendsIdentity_OnlyReqDealerRouter()
    {
        foreach (var t in Enum.GetValues<SocketType>())
            Assert.Equal(t is SocketType.Req or SocketType.Dealer or SocketType.Router, SocketTypeInfo.SendsIdentity(t));
    }
}
