using Zmq.Tests.Infrastructure;
using System.Runtime.InteropServices;
using System.Text;

namespace Zmq.Toolkit.Tests;

/// <summary>Picture messages: ours alone (CZMQ's quirks spelled out), then against zsock_send/zsock_recv over tcp.</summary>
public sealed class PictureTests
{
    private const string All = "i124u8sbz";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static string[] Texts(Message m) => Enumerable.Range(0, m.Count).Select(i => Encoding.UTF8.GetString(m.GetSpan(i))).ToArray();

    [Fact]
    public void Build_NumbersAsDecimalText_UWithItsD_StringsWithoutNul()
    {
        using var m = Picture.Build(All, -42, 200, 65535, 4000000000u, 7u, ulong.MaxValue, "héllo\0cut", new byte[] { 1, 2 });
        Assert.Equal(["-42", "200", "65535", "4000000000", "7d", "18446744073709551615", "héllo", "\u0001\u0002", ""], Texts(m));
    }

    [Fact]
    public void Parse_AsCReadsIt()
    {
        using var m = new Message().Add("  -17xyz").Add("300").Add("70000").Add("-1").Add("12d").Add("18446744073709551615").Add("a\0b").Add([9]).AddEmpty();
        Assert.True(Picture.TryParse(m, All, out var v));
        Assert.Equal(-17, v[0]);                      // atoi: blanks, sign, digits
        Assert.Equal((byte)44, v[1]);                 // 300 cut to 8 bits
        Assert.Equal((ushort)4464, v[2]);             // 70000 cut to 16 bits
        Assert.Equal(uint.MaxValue, v[3]);            // -1 as uint32
        Assert.Equal(12u, v[4]);                      // "12d": the d stops the number
        Assert.Equal((ulong)long.MaxValue, v[5]);     // atoll saturates
        Assert.Equal("a", v[6]);                      // a C string ends at NUL
        Assert.Equal(new byte[] { 9 }, v[7]);
        Assert.Null(v[8]);
    }

    [Fact]
    public void Parse_MissingFramesAreZeroOrNull_NonEmptyZFails_SignalsAreNotPictures()
    {
        using (var shortMsg = new Message().Add("5"))
        {
            Assert.True(Picture.TryParse(shortMsg, "isb", out var v));
            Assert.Equal([5, null, null], v);
        }
        using (var badZ = new Message().Add("x"))
            Assert.False(Picture.TryParse(badZ, "z", out _));
        using var signal = new Message().Add(new byte[] { 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 });
        Assert.False(Picture.TryParse(signal, "b", out _));
        Assert.Throws<ArgumentException>(() => Picture.Build("q", 1));
        Assert.Throws<ArgumentException>(() => Picture.Build("ii", 1));
    }

    [SkippableFact]
    public void WithCzmq_OverTcp_BothWays()
    {
        Czmq.Require();
        using var ours = new PairSocket { Linger = TimeSpan.Zero, ReceiveTimeout = Wait };
        int port = ours.Bind("tcp://127.0.0.1:*");
        IntPtr theirs = Czmq.Pair($"tcp://127.0.0.1:{port}");
        try
        {

            // CZMQ sends; the frames are the ones we build, and we read its values back.
            byte[] blob = [0, 255, 7];
            Assert.Equal(0, Czmq.zsock_send_all(theirs, All, -42, 200, 65535, 4000000000u, 7u, 1234567890123UL, "héllo", blob, blob.Length));
            using (var got = ours.Receive())
            {
                using var expected = Picture.Build(All, -42, 200, 65535, 4000000000u, 7u, 1234567890123UL, "héllo", blob);
                Assert.Equal(expected.ToArrays(), got.ToArrays());
                Assert.True(Picture.TryParse(got, All, out var v));
                Assert.Equal([-42, (byte)200, (ushort)65535, 4000000000u, 7u, 1234567890123UL, "héllo", blob, null], v);
            }

            // We send; CZMQ reads the values.
            ours.SendPicture(All, -7, 9, 512, 123456u, 99u, 9876543210UL, "wörld", new byte[] { 5, 6 });
            Assert.Equal(0, Czmq.zsock_recv_all(theirs, All, out int i, out byte one, out ushort two, out uint four, out uint u, out ulong eight, out IntPtr s, out IntPtr b, out UIntPtr blen));
            try
            {
                Assert.Equal((-7, (byte)9, (ushort)512, 123456u, 99u, 9876543210UL), (i, one, two, four, u, eight));
                Assert.Equal("wörld", Marshal.PtrToStringUTF8(s));
                var bytes = new byte[(int)blen];
                Marshal.Copy(b, bytes, 0, bytes.Length);
                Assert.Equal(new byte[] { 5, 6 }, bytes);
            }
            finally
            {
                unsafe
                {
                    NativeMemory.Free((void*)s);
                    NativeMemory.Free((void*)b);
                }
            }
        }
        finally
        {
            Czmq.zsock_destroy(ref theirs);
        }
    }
}
