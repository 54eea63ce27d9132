using Zmq.Wire;
using System.Buffers.Binary;
using Zmq.Engine;

namespace Zmq.Tests.Engine;

/// <summary>Frame headers and command bodies (RFC 23/37 "Framing", "Commands").</summary>
public class ZmtpTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    public void WriteHeader_UsesShortSizeUpTo255(long size)
    {
        var h = new byte[9];
        Assert.Equal(2, Zmtp.WriteHeader(h, Zmtp.FlagMore, size));
        Assert.Equal(Zmtp.FlagMore, h[0]);
        Assert.Equal((byte)size, h[1]);
        Assert.Equal(2, Zmtp.HeaderSize(size));
    }

    [Theory]
    [InlineData(256)]
    [InlineData(65_536)]
    [InlineData(5_000_000_000)]
    public void WriteHeader_UsesLongBigEndianSizeAbove255(long size)
    {
        var h = new byte[9];
        Assert.Equal(9, Zmtp.WriteHeader(h, 0, size));
        Assert.Equal(Zmtp.FlagLong, h[0]);
        Assert.Equal(size, (long)BinaryPrimitives.ReadUInt64BigEndian(h.AsSpan(1)));
        Assert.Equal(9, Zmtp.HeaderSize(size));
    }

    [Fact]
    public void WriteHeader_KeepsCommandAndMoreFlags()
    {
        var h = new byte[9];
        Zmtp.WriteHeader(h, Zmtp.FlagCommand, 300);
        Assert.Equal([Zmtp.FlagCommand | Zmtp.FlagLong, 0, 0, 0, 0, 0, 0, 0x01, 0x2C], h);
        Zmtp.WriteHeader(h, Zmtp.FlagMore, 7);
        Assert.Equal([Zmtp.FlagMore, 7], h[..2]);
    }

    [Fact]
    public void WriteCommand_SubscribeGoldenBytes()
    {
        // libzmq tests/test_mock_pub_sub.cpp: a SUB subscribing to "A" sends this to a 3.1 peer.
        var buf = new byte[Zmtp.CommandSize(Zmtp.Subscribe.Length, 1)];
        Assert.Equal(buf.Length, Zmtp.WriteCommand(buf, Zmtp.Subscribe, "A"u8));
        Assert.Equal([0x04, 0x0B, 0x09, .. "SUBSCRIBE"u8, (byte)'A'], buf);
    }

    [Fact]
    public void WriteCommand_LongCommandGetsLongHeader()
    {
        var data = new byte[300];
        var buf = new byte[Zmtp.CommandSize(5, data.Length)];
        Assert.Equal(9 + 1 + 5 + 300, buf.Length);
        Zmtp.WriteCommand(buf, "READY"u8, data);
        Assert.Equal(Zmtp.FlagCommand | Zmtp.FlagLong, buf[0]);
        Assert.Equal(306UL, BinaryPrimitives.ReadUInt64BigEndian(buf.AsSpan(1)));
        Assert.Equal(5, buf[9]);
    }

    [Fact]
    public void TryParseCommand_SplitsNameAndData()
    {
        Assert.True(Zmtp.TryParseCommand([4, .. "PING"u8, 0, 10, (byte)'x'], out var name, out var data));
        Assert.Equal("PING"u8.ToArray(), name.ToArray());
        Assert.Equal([0, 10, (byte)'x'], data.ToArray());
    }

    [Fact]
    public void TryParseCommand_NameOnly()
    {
        Assert.True(Zmtp.TryParseCommand([4, .. "PONG"u8], out var name, out var data));
        Assert.Equal("PONG"u8.ToArray(), name.ToArray());
        Assert.True(data.IsEmpty);
    }

    [Theory]
    [InlineData(new byte[0])]                          // no body at all
    [InlineData(new byte[] { 0 })]                     // zero-length name
    [InlineData(new byte[] { 0, 1, 2 })]
    [InlineData(new byte[] { 5, (byte)'R', (byte)'E' })] // name longer than the body
    public void TryParseCommand_RejectsMalformed(byte[] body) => Assert.False(Zmtp.TryParseCommand(body, out _, out _));

    [Fact]
    public void Printable_ReplacesControlBytes() => Assert.Equal("a?b?", Zmtp.Printable([(byte)'a', 0, (byte)'b', 0xFF]));
}
