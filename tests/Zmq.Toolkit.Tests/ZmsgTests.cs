using Zmq.Tests.Infrastructure;

namespace Zmq.Toolkit.Tests;

/// <summary>zmsg_encode/zmsg_decode: ours alone, then byte for byte against CZMQ 4.2.1.</summary>
public sealed class ZmsgTests
{
    private static readonly byte[][] Sample =
    [
        [],
        "hello"u8.ToArray(),
        Enumerable.Repeat((byte)7, 254).ToArray(),
        Enumerable.Repeat((byte)8, 255).ToArray(),
        Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray(),
    ];

    private static ReadOnlyMemory<byte>[] Frames(byte[][] frames) => frames.Select(f => (ReadOnlyMemory<byte>)f).ToArray();

    [Fact]
    public void Lengths_AreOneByte_Below255_ElseFFAndFourBytesBigEndian()
    {
        Assert.Equal(new byte[] { 0, 2, (byte)'h', (byte)'i' }, Zmsg.Encode([ReadOnlyMemory<byte>.Empty, "hi"u8.ToArray()]));
        var big = Zmsg.Encode([new byte[300]]);
        Assert.Equal(new byte[] { 0xFF, 0, 0, 1, 44 }, big[..5]);
        Assert.Equal(305, big.Length);
    }

    [Fact]
    public void RoundTrip()
    {
        var decoded = Zmsg.Decode(Zmsg.Encode(Frames(Sample)));
        Assert.Equal(Sample.Length, decoded.Length);
        for (int i = 0; i < Sample.Length; i++) Assert.Equal(Sample[i], decoded[i]);
        Assert.Empty(Zmsg.Decode([]));
    }

    [Theory]
    [InlineData(new byte[] { 5, 1, 2 })]             // frame says 5, 2 left
    [InlineData(new byte[] { 0xFF, 0, 0 })]          // inside the long length
    [InlineData(new byte[] { 0xFF, 0, 0, 1, 0, 9 })] // long frame of 256, 1 left
    public void Truncated_IsAFormatException(byte[] encoded)
    {
        var e = Assert.Throws<FormatException>(() => Zmsg.Decode(encoded));
        Assert.StartsWith("zmsg: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromAMessage()
    {
        using var m = new Message();
        m.Add("a"u8);
        m.Add("bc"u8);
        Assert.Equal(new byte[] { 1, (byte)'a', 2, (byte)'b', (byte)'c' }, Zmsg.Encode(m));
    }

    [SkippableFact]
    public void SameBytesAsCzmq_BothWays()
    {
        Czmq.Require();
        IntPtr msg = Czmq.zmsg_new();
        IntPtr encoded = IntPtr.Zero;
        IntPtr back = IntPtr.Zero;
        try
        {
            foreach (var f in Sample) Assert.Equal(0, Czmq.zmsg_addmem(msg, f, (UIntPtr)f.Length));
            encoded = Czmq.zmsg_encode(msg);
            Assert.Equal(Czmq.Bytes(encoded), Zmsg.Encode(Frames(Sample)));

            // Ours decoded by CZMQ, frame by frame.
            var ours = Zmsg.Encode(Frames(Sample));
            IntPtr frame = Czmq.zframe_new(ours, (UIntPtr)ours.Length);
            back = Czmq.zmsg_decode(frame);
            Czmq.zframe_destroy(ref frame);
            Assert.NotEqual(IntPtr.Zero, back);
            Assert.Equal((nuint)Sample.Length, (nuint)Czmq.zmsg_size(back));
            foreach (var expected in Sample)
            {
                IntPtr f = Czmq.zmsg_pop(back);
                Assert.Equal(expected, Czmq.Bytes(f));
                Czmq.zframe_destroy(ref f);
            }
        }
        finally
        {
            if (encoded != IntPtr.Zero) Czmq.zframe_destroy(ref encoded);
            if (back != IntPtr.Zero) Czmq.zmsg_destroy(ref back);
            Czmq.zmsg_destroy(ref msg);
        }
    }
}
