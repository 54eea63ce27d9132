using Zmq.Wire;
using Zmq.Engine;

namespace Zmq.Tests.Engine;

public class GreetingTests
{
    [Fact]
    public void Write_ProducesTheRfc37LayoutAsLibzmqSendsIt()
    {
        var g = new byte[64];
        Greeting.Write(g, "NULL", asServer: false);

        byte[] expected =
        [
            0xFF, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x7F, // signature, padding = identity length + 1 as libzmq writes it
            0x03, 0x01,                             // version 3.1
            (byte)'N', (byte)'U', (byte)'L', (byte)'L', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // mechanism, NUL-padded to 20
            0x00,                                   // as-server
            .. new byte[31],                        // filler
        ];
        Assert.Equal(expected, g);
    }

    [Fact]
    public void Write_AsServerAndOtherMechanism()
    {
        var g = new byte[64];
        g.AsSpan().Fill(0xAA); // Write must clear what it does not set
        Greeting.Write(g, "PLAIN", asServer: true);
        Assert.Equal("PLAIN"u8.ToArray(), g[12..17]);
        Assert.All(g[17..32], b => Assert.Equal(0, b));
        Assert.Equal(1, g[32]);
        Assert.All(g[33..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Parse_RoundTripsWrite()
    {
        var g = new byte[64];
        Greeting.Write(g, "CURVE", asServer: true);
        var p = Greeting.Parse(g);
        Assert.Equal(new Greeting.PeerGreeting(3, 1, "CURVE", true), p);
    }

    [Fact]
    public void Parse_MechanismFillingAll20BytesHasNoTerminator()
    {
        var g = new byte[64];
        Greeting.Write(g, "NULL", false);
        "ABCDEFGHIJKLMNOPQRST"u8.CopyTo(g.AsSpan(12));
        Assert.Equal("ABCDEFGHIJKLMNOPQRST", Greeting.Parse(g).Mechanism);
    }

    [Fact]
    public void Parse_AsServerIsOnlyOne()
    {
        var g = new byte[64];
        Greeting.Write(g, "NULL", false);
        g[32] = 2;
        Assert.False(Greeting.Parse(g).AsServer);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F })]
    [InlineData(new byte[] { 0xFF, 9, 9, 9, 9, 9, 9, 9, 9, 0x7F })] // padding is not significant
    [InlineData(new byte[] { 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 })] // only the low bit of byte 9 marks a versioned peer
    [InlineData(new byte[] { 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF })]
    public void CheckSignature_AcceptsVersionedSignatures(byte[] signature) => Assert.Null(Greeting.CheckSignature(signature));

    [Theory]
    [InlineData(new byte[] { 0x00, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F })] // first byte not 0xFF
    [InlineData(new byte[] { 0x01, 0x00, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 0, 0, 0 })] // ZMTP/1.0 identity frame
    [InlineData(new byte[] { 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7E })] // byte 9 LSB 0: unversioned
    [InlineData(new byte[] { (byte)'G', (byte)'E', (byte)'T', (byte)' ', (byte)'/', (byte)' ', (byte)'H', (byte)'T', (byte)'T', (byte)'P' })]
    public void CheckSignature_RefusesUnversionedOrForeignBytes(byte[] signature)
    {
        var why = Greeting.CheckSignature(signature);
        Assert.NotNull(why);
        Assert.Contains("1.0", why);
    }

    [Theory]
    [InlineData(0, "1.0")]
    [InlineData(1, "2.0")]
    public void CheckMajor_RefusesOldVersions(byte major, string named)
    {
        var why = Greeting.CheckMajor(major);
        Assert.NotNull(why);
        Assert.Contains(named, why);
        Assert.Contains("not supported", why);
    }

    [Theory]
    [InlineData(2)]   // libzmq reads any revision above 1 as 3.x
    [InlineData(3)]
    [InlineData(4)]   // versions higher than ours MUST be accepted (RFC 37)
    [InlineData(255)]
    public void CheckMajor_AcceptsThreeAndLater(byte major) => Assert.Null(Greeting.CheckMajor(major));

    [Theory]
    [InlineData(3, 0, false)] // 3.0: legacy subscription messages
    [InlineData(3, 1, true)]
    [InlineData(3, 2, true)]  // 3 with minor > 1 is treated as 3.1, as libzmq does
    [InlineData(4, 0, true)]  // major 4 too
    public void IsV31_FollowsLibzmq(int major, int minor, bool v31) =>
        Assert.Equal(v31, Greeting.IsV31(new Greeting.PeerGreeting(major, minor, "NULL", false)));
}
