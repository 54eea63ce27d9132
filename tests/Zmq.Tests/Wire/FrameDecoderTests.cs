using System.Buffers.Binary;
using Zmq.Wire;

namespace Zmq.Tests.Wire;

/// <summary>The framing state machine alone, fed byte arrays: every split of the input gives the same frames.</summary>
public class FrameDecoderTests
{
    /// <summary>What a caller reassembles from the decoder's steps: each frame's flags and body.</summary>
    private static List<(byte Flags, byte[] Body)> Decode(byte[] wire, IEnumerable<int> cuts, long max = -1)
    {
        var frames = new List<(byte, byte[])>();
        var decoder = new FrameDecoder(max);
        byte[]? body = null;
        int filled = 0;
        int start = 0;
        foreach (int end in cuts.Append(wire.Length))
        {
            var chunk = wire.AsSpan(start, end - start);
            start = end;
            int pos = 0;
            while (true)
            {
                var step = decoder.Next(chunk.Slice(pos), out int consumed, out int off, out int len);
                var at = chunk.Slice(pos);
                pos += consumed;
                if (step == DecodeStep.NeedMore)
                {
                    Assert.Equal(chunk.Length, pos); // all input is always consumed
                    break;
                }
                Assert.InRange(consumed, 1, at.Length);
                switch (step)
                {
                    case DecodeStep.Frame:
                        Assert.False(decoder.InBody);
                        frames.Add((decoder.Flags, at.Slice(off, len).ToArray()));
                        break;
                    case DecodeStep.FrameStart:
                        Assert.True(decoder.InBody);
                        Assert.Equal(decoder.Size, decoder.Remaining);
                        body = new byte[decoder.Size];
                        filled = 0;
                        break;
                    case DecodeStep.BodyChunk:
                        at.Slice(off, len).CopyTo(body.AsSpan(filled));
                        filled += len;
                        if (!decoder.InBody)
                        {
                            Assert.Equal(body!.Length, filled);
                            frames.Add((decoder.Flags, body));
                            body = null;
                        }
                        break;
                }
                if (pos == chunk.Length) break;
            }
        }
        Assert.True(decoder.AtFrameBoundary, "input ended inside a frame");
        return frames;
    }

    private static byte[] Frame(byte flags, byte[] body)
    {
        var f = new byte[Zmtp.HeaderSize(body.Length) + body.Length];
        int h = Zmtp.WriteHeader(f, flags, body.Length);
        body.CopyTo(f, h);
        return f;
    }

    private static byte[] Body(int size, int seed) => Enumerable.Range(0, size).Select(i => (byte)(i * 7 + seed)).ToArray();

    /// <summary>Frames of every shape: empty, short, the 255/256 boundary, MORE, COMMAND, long; reserved flag bits set on one.</summary>
    private static readonly (byte Flags, byte[] Body)[] Sample =
    [
        (0, []),
        (Zmtp.FlagMore, Body(1, 1)),
        (Zmtp.FlagMore, Body(255, 2)),
        (Zmtp.FlagMore, Body(256, 3)),
        (0, Body(3, 4)),
        (Zmtp.FlagCommand, [4, .. "PING"u8, 0, 10]),
        (0, Body(1000, 5)),
        (0xF0 | Zmtp.FlagMore, Body(2, 6)),
        (0, Body(70_000, 7)),
    ];

    private static byte[] SampleWire() => Sample.SelectMany(f => Frame(f.Flags, f.Body)).ToArray();

    private static void AssertSample(List<(byte Flags, byte[] Body)> frames)
    {
        Assert.Equal(Sample.Length, frames.Count);
        for (int i = 0; i < Sample.Length; i++)
        {
            // The LONG bit is the decoder's business; the other flags come out as sent.
            Assert.Equal(Sample[i].Flags, (byte)(frames[i].Flags & ~Zmtp.FlagLong));
            Assert.Equal(Sample[i].Body, frames[i].Body);
        }
    }

    [Fact]
    public void Whole_InOneRead() => AssertSample(Decode(SampleWire(), []));

    [Fact]
    public void SplitInTwo_AtEveryOffset()
    {
        var wire = SampleWire();
        for (int cut = 1; cut < wire.Length; cut += cut < 2000 ? 1 : 97) AssertSample(Decode(wire, [cut]));
    }

    [Fact]
    public void OneByteAtATime()
    {
        var wire = SampleWire();
        AssertSample(Decode(wire, Enumerable.Range(1, wire.Length - 1)));
    }

    [Fact]
    public void SplitInThree_AroundEveryHeader()
    {
        var wire = SampleWire();
        // Cut on both sides of every header byte of the first 2,000 bytes, pairwise.
        for (int a = 1; a < 600; a += 3)
            for (int b = a + 1; b < Math.Min(a + 20, wire.Length); b++)
                AssertSample(Decode(wire, [a, b]));
    }

    [Fact]
    public void CompleteFrames_ComeOutWhole_WithoutCopy()
    {
        var wire = Frame(Zmtp.FlagMore, Body(10, 1)).Concat(Frame(0, Body(300, 2))).ToArray();
        var d = new FrameDecoder(-1);
        Assert.Equal(DecodeStep.Frame, d.Next(wire, out int consumed, out int off, out int len));
        Assert.Equal((12, 2, 10), (consumed, off, len));
        Assert.True(d.IsMore);
        Assert.Equal(DecodeStep.Frame, d.Next(wire.AsSpan(12), out consumed, out off, out len));
        Assert.Equal((309, 9, 300), (consumed, off, len));
        Assert.False(d.IsMore);
    }

    [Fact]
    public void SkipBody_CountsBytesTheCallerReadItself()
    {
        var wire = Frame(0, Body(100_000, 1));
        var d = new FrameDecoder(-1);
        Assert.Equal(DecodeStep.FrameStart, d.Next(wire.AsSpan(0, 9), out int consumed, out _, out _));
        Assert.Equal(9, consumed);
        d.SkipBody(60_000);
        Assert.Equal(40_000, d.Remaining);
        Assert.Equal(DecodeStep.BodyChunk, d.Next(wire.AsSpan(9 + 60_000), out consumed, out _, out int len));
        Assert.Equal(40_000, len);
        Assert.True(d.AtFrameBoundary);
        Assert.Throws<InvalidOperationException>(() => d.SkipBody(1));
    }

    [Theory]
    [InlineData(100, 101, true)]
    [InlineData(100, 100, false)]
    [InlineData(255, 256, true)]
    [InlineData(-1, 300, false)]
    public void MaxFrameSize_RefusesLargerFrames_EvenBeforeTheBodyArrives(long max, int size, bool refused)
    {
        var header = Frame(0, new byte[size])[..Zmtp.HeaderSize(size)];
        var d = new FrameDecoder(max);
        if (refused)
        {
            var e = Assert.Throws<ZmtpException>(() => d.Next(header, out _, out _, out _));
            Assert.Contains("MAXMSGSIZE", e.Message);
        }
        else
        {
            Assert.Equal(size == 0 ? DecodeStep.Frame : DecodeStep.FrameStart, d.Next(header, out _, out _, out _));
        }
    }

    [Theory]
    [InlineData(0x8000_0000_0000_0000UL)] // negative as a signed size
    [InlineData(0x0000_0001_0000_0000UL)] // 4 GiB: more than an array holds
    [InlineData((ulong)int.MaxValue)]
    public void LongSizes_OutOfRange_AreRefused_WhateverTheSplit(ulong size)
    {
        var header = new byte[9];
        header[0] = Zmtp.FlagLong;
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(1), size);
        for (int cut = 0; cut <= 9; cut++)
        {
            var d = new FrameDecoder(-1);
            var e = Assert.Throws<ZmtpException>(() =>
            {
                d.Next(header.AsSpan(0, cut), out int c1, out _, out _);
                d.Next(header.AsSpan(c1), out _, out _, out _);
            });
            Assert.Contains("out of range", e.Message);
        }
    }

    [Fact]
    public void LongHeaderForASmallBody_IsAccepted()
    {
        // RFC 37 does not forbid the long form for small bodies; libzmq accepts it.
        byte[] wire = [Zmtp.FlagLong, 0, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3];
        var frames = Decode(wire, [4]);
        Assert.Equal([1, 2, 3], Assert.Single(frames).Body);
    }

    [Fact]
    public void RandomSplits_OfRandomFrames_MatchTheFramesSent()
    {
        var rng = new Random(20261207);
        for (int round = 0; round < 200; round++)
        {
            var sent = new List<(byte, byte[])>();
            for (int i = rng.Next(1, 12); i > 0; i--)
            {
                int size = rng.Next(4) switch { 0 => 0, 1 => rng.Next(1, 256), 2 => rng.Next(256, 5000), _ => rng.Next(5000, 70_000) };
                var body = new byte[size];
                rng.NextBytes(body);
                sent.Add(((byte)(rng.Next(2) == 0 ? 0 : Zmtp.FlagMore), body));
            }
            var wire = sent.SelectMany(f => Frame(f.Item1, f.Item2)).ToArray();
            var cuts = Enumerable.Range(0, rng.Next(0, 30)).Select(_ => rng.Next(1, wire.Length)).Distinct().Order().ToArray();
            var got = Decode(wire, cuts);
            Assert.Equal(sent.Count, got.Count);
            for (int i = 0; i < sent.Count; i++)
            {
                Assert.Equal(sent[i].Item1, (byte)(got[i].Flags & ~Zmtp.FlagLong));
                Assert.Equal(sent[i].Item2, got[i].Body);
            }
        }
    }
}
