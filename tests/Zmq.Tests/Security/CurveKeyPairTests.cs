namespace Zmq.Tests.Security;

/// <summary>CURVE keys from libsodium: generation, public-from-secret, Z85 forms and errors.</summary>
public sealed class CurveKeyPairTests
{
    [Fact]
    public void Generate_GivesDistinct32ByteKeys_WhosePublicKeyDerivesFromTheSecret()
    {
        var a = CurveKeyPair.Generate();
        var b = CurveKeyPair.Generate();
        Assert.Equal(32, a.PublicKey.Length);
        Assert.Equal(32, a.SecretKey.Length);
        Assert.NotEqual(a.SecretKey, b.SecretKey);
        Assert.Equal(a.PublicKey, CurveKeyPair.DerivePublicKey(a.SecretKey));
        Assert.Equal(40, a.PublicKeyZ85.Length);
    }

    [Fact]
    public void KnownPair_FromZmqCurveManPage_Derives()
    {
        // zmq_curve(7): the test server key pair.
        var pair = CurveKeyPair.FromSecretKey("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6");
        Assert.Equal("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", pair.PublicKeyZ85);
        var client = CurveKeyPair.FromSecretKey("D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs");
        Assert.Equal("Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID", client.PublicKeyZ85);
    }

    [Fact]
    public void ToString_NeverShowsTheSecret()
    {
        var pair = CurveKeyPair.Generate();
        Assert.DoesNotContain(pair.SecretKeyZ85, pair.ToString());
    }

    [Theory]
    [InlineData("short", "40 characters, not 5")]
    [InlineData("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh\"", "not valid Z85")]
    public void BadZ85Keys_SayWhatIsWrong(string key, string expected)
    {
        var e = Assert.Throws<FormatException>(() => CurveKeyPair.FromSecretKey(key));
        Assert.Contains(expected, e.Message);
        Assert.Contains("secret key", e.Message);
    }

    [Fact]
    public void WrongLengthRawKey_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => CurveKeyPair.FromSecretKey(new byte[31]));
        Assert.Contains("32 bytes, not 31", e.Message);
    }
}
