using Zmq.Messages;
using Zmq.Wire;

namespace Zmq.Tests.Wire;

/// <summary>The plain codec's frames, checked byte for byte and read back by the decoder.</summary>
public class PlainCodecTests
{
    private static FrameSet Message(params byte[][] frames)
    {
        var fs = new FrameSet();
        foreach (var f in frames) fs.Add(f);
        return fs;
    }

    private static List<(byte Flags, byte[] Body)> Read(byte[] wire)
    {
        var d = new FrameDecoder(-1);
        var frames = new List<(byte, byte[])>();
        int pos = 0;
        while (pos < wire.Length)
        {
            Assert.Equal(DecodeStep.Frame, d.Next(wire.AsSpan(pos), out int consumed, out int off, out int len));
            frames.Add((d.Flags, wire.AsSpan(pos + off, len).ToArray()));
            pos += consumed;
        }
        return frames;
    }

    [Fact]
    public void Multipart_MoreOnAllButTheLast_SizeMatchesWhatIsWritten()
    {
        var codec = new PlainCodec(peerIsV31: true);
        var fs = Message([], [1], new byte[255], new byte[256], [9]);
        var wire = new byte[codec.EncodedSize(fs)];
        Assert.Equal(wire.Length, codec.Encode(fs, wire));
        Assert.Equal(2 + 3 + 257 + 265 + 3, wire.Length);
        var frames = Read(wire);
        Assert.Equal([Zmtp.FlagMore, Zmtp.FlagMore, Zmtp.FlagMore, Zmtp.FlagMore | Zmtp.FlagLong, 0], frames.Select(f => f.Flags));
        Assert.Equal([9], frames[^1].Body);
    }

    [Theory]
    [InlineData(true, 1, new byte[] { 0x04, 0x0B, 0x09, (byte)'S', (byte)'U', (byte)'B', (byte)'S', (byte)'C', (byte)'R', (byte)'I', (byte)'B', (byte)'E', (byte)'A' })]
    [InlineData(true, 2, new byte[] { 0x04, 0x08, 0x06, (byte)'C', (byte)'A', (byte)'N', (byte)'C', (byte)'E', (byte)'L', (byte)'A' })]
    [InlineData(false, 1, new byte[] { 0x00, 0x02, 0x01, (byte)'A' })]
    [InlineData(false, 2, new byte[] { 0x00, 0x02, 0x00, (byte)'A' })]
    public void Subscriptions_AreCommandsFor31_AndDataFramesFor30(bool v31, int kind, byte[] expected)
    {
        var codec = new PlainCodec(v31);
        var fs = Message("A"u8.ToArray());
        fs.Kind = (FrameSetKind)kind; // 1 SUBSCRIBE, 2 CANCEL
        var wire = new byte[codec.EncodedSize(fs)];
        Assert.Equal(wire.Length, codec.Encode(fs, wire));
        Assert.Equal(expected, wire);
    }

    [Fact]
    public void WriteFrame_AndCommands_AgreeWithTheirSizes()
    {
        var codec = new PlainCodec(true);
        var buf = new byte[1000];
        Assert.Equal(codec.FrameSize(300), codec.WriteFrame(buf, more: true, new byte[300]));
        Assert.Equal(Zmtp.FlagMore | Zmtp.FlagLong, buf[0]);
        Assert.Equal(codec.CommandSize(4, 2), codec.WriteCommand(buf, Zmtp.Ping, [0, 10]));
        Assert.Equal([0x04, 0x07, 0x04, .. "PING"u8, 0, 10], buf[..9]);
    }

    [Fact]
    public void Open_PassesPlainFramesThrough()
    {
        var codec = new PlainCodec(true);
        byte flags = Zmtp.FlagMore;
        var body = new byte[] { 1, 2, 3 };
        Assert.Null(codec.Open(ref flags, body, out int start, out int length, out _));
        Assert.Equal((0, 3, Zmtp.FlagMore), (start, length, flags));
    }
}
