namespace Zmq.Tests.Security;

/// <summary>Z85 (RFC 32): the RFC's vector, CURVE key round trips, and errors that say what is wrong.</summary>
public sealed class Z85Tests
{
    private static readonly byte[] HelloWorldBytes = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];

    [Fact]
    public void RfcVector_EncodesAndDecodes()
    {
        Assert.Equal("HelloWorld", Z85.Encode(HelloWorldBytes));
        Assert.Equal(HelloWorldBytes, Z85.Decode("HelloWorld"));
    }

    [Theory]
    [InlineData("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7")] // the CURVE test keys of libzmq's zmq_curve(7)
    [InlineData("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6")]
    [InlineData("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID")]
    [InlineData("D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs")]
    public void CurveKeys_RoundTrip(string key)
    {
        var raw = Z85.Decode(key);
        Assert.Equal(32, raw.Length);
        Assert.Equal(key, Z85.Encode(raw));
    }

    [Fact]
    public void EveryByteValue_RoundTrips()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        Assert.Equal(all, Z85.Decode(Z85.Encode(all)));
        Assert.Equal("", Z85.Encode([]));
        Assert.Empty(Z85.Decode(""));
    }

    [Fact]
    public void Encode_RejectsPartialGroups()
    {
        var e = Assert.Throws<ArgumentException>(() => Z85.Encode(new byte[5]));
        Assert.Contains("multiple of 4", e.Message);
    }

    [Theory]
    [InlineData("Hello", null)]                       // valid
    [InlineData("HelloWorl", "multiple of 5")]
    [InlineData("Hel\"oWorld", "'\"' (U+0022) at position 3")]
    [InlineData("HelloWor d", "position 8")]
    [InlineData("%%%%%", "larger than 32 bits")]      // 84*85^4+... > 2^32-1
    [InlineData("Helloé0000", "U+00E9")]
    public void Decode_SaysWhatIsWrong(string text, string? expected)
    {
        if (expected is null)
        {
            Assert.Equal(4, Z85.Decode(text).Length);
            return;
        }
        var e = Assert.Throws<FormatException>(() => Z85.Decode(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void TryDecode_ChecksTheDestinationSize()
    {
        Span<byte> small = stackalloc byte[4];
        Assert.False(Z85.TryDecode("HelloWorld", small, out _, out var error));
        Assert.Contains("needs 8 bytes", error);
        Span<byte> enough = stackalloc byte[8];
        Assert.True(Z85.TryDecode("HelloWorld", enough, out int written, out _));
        Assert.Equal(8, written);
    }
}
