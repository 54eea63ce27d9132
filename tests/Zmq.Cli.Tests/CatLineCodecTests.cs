using System.Text;
using Zmq.Cli.Cat;

namespace Zmq.Cli.Tests;

/// <summary>The line format of <c>zmq cat</c> (<see cref="LineCodec"/>), as pure functions.</summary>
public sealed class CatLineCodecTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[][] Parse(string line)
    {
        Assert.True(LineCodec.TryParseLine(line, out var frames, out var error), error);
        return frames;
    }

    [Fact]
    public void Text_frames_print_as_themselves_joined_by_tab()
    {
        Assert.Equal("hello\twörld ✓", LineCodec.FormatLineText([B("hello"), B("wörld ✓")]));
        Assert.Equal("", LineCodec.FormatLineText([[]]));
        Assert.Equal("a\t\tb", LineCodec.FormatLineText([B("a"), [], B("b")]));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0xff }, "0x00ff")]
    [InlineData(new byte[] { 0x7f }, "0x7f")]              // DEL
    [InlineData(new byte[] { 0x09 }, "0x09")]              // TAB
    [InlineData(new byte[] { 0x0a }, "0x0a")]              // LF
    [InlineData(new byte[] { 0x1b, 0x5b }, "0x1b5b")]      // ESC [
    [InlineData(new byte[] { 0xc3, 0x28 }, "0xc328")]      // invalid UTF-8
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 }, "0xeda080")] // a UTF-16 surrogate encoded in UTF-8: invalid
    [InlineData(new byte[] { 0x30, 0x78 }, "0x3078")]      // the text "0x" itself
    [InlineData(new byte[] { 0x30, 0x78, 0x41 }, "0x307841")] // the text "0xA"
    public void Other_frames_print_as_lowercase_hex(byte[] frame, string printed) =>
        Assert.Equal(printed, LineCodec.FormatLineText([frame]));

    [Fact]
    public void Hex_option_prints_every_frame_in_hex()
    {
        Assert.Equal("0x4142\t0x", LineCodec.FormatLineText([B("AB"), []], hex: true));
    }

    [Fact]
    public void Text_that_merely_looks_like_hex_elsewhere_stays_text()
    {
        Assert.Equal("0Xab", LineCodec.FormatLineText([B("0Xab")]));
        Assert.Equal("x0x", LineCodec.FormatLineText([B("x0x")]));
        Assert.Equal("0", LineCodec.FormatLineText([B("0")]));
    }

    [Fact]
    public void Parsing_splits_at_tab_and_reads_hex_fields()
    {
        Assert.Equal([B("a"), [0xde, 0xad], B("c")], Parse("a\t0xDEad\tc"));
        Assert.Equal([[]], Parse(""));                        // an empty line: one empty frame
        Assert.Equal([[]], Parse("0x"));                      // 0x alone: an empty frame
        Assert.Equal([B("a"), [], B("b")], Parse("a\t\tb"));  // an empty field: an empty frame
        Assert.Equal([[], []], Parse("\t"));
        Assert.Equal([B("x")], Parse("x\r"));                 // a CRLF line ending
        Assert.Equal([B("0Xab")], Parse("0Xab"));             // only 0x starts hex
    }

    [Theory]
    [InlineData("0xabc", "odd")]
    [InlineData("0xzz", "not hex")]
    [InlineData("ok\t0x0g", "field 2")]
    public void Malformed_hex_is_refused_with_a_reason(string line, string reason)
    {
        Assert.False(LineCodec.TryParseLine(line, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Every_printed_line_reads_back_as_the_same_frames()
    {
        var random = new Random(1234);
        for (int i = 0; i < 2000; i++)
        {
            var frames = new byte[random.Next(1, 5)][];
            for (int f = 0; f < frames.Length; f++)
            {
                frames[f] = random.Next(4) switch
                {
                    0 => [],
                    1 => B(new string((char)random.Next('!', '~'), random.Next(1, 6))),
                    2 => B("0x" + random.Next(1000)),
                    _ => RandomBytes(random),
                };
            }
            foreach (bool hex in new[] { false, true })
            {
                var line = LineCodec.FormatLine(frames, hex);
                Assert.DoesNotContain((byte)'\n', line);
                Assert.True(LineCodec.TryParseLine(line, out var back, out var error), error);
                Assert.Equal(frames, back);
            }
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 8)];
        random.NextBytes(bytes);
        return bytes;
    }
}
