using Zmq.Wire;
using System.Text.RegularExpressions;

namespace Zmq.Tests.Security;

/// <summary>CZMQ-compatible CURVE certificates: round trips, CZMQ's file layout, permissions and errors.</summary>
public sealed class CertificateTests : IDisposable
{
    private const string PublicZ85 = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"; // zmq_curve(7) test keys
    private const string SecretZ85 = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";
    private readonly string _dir = Directory.CreateTempSubdirectory("zmq-cert-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Generate_HasBothKeys_AndEqualsItselfOnly()
    {
        var a = Certificate.Generate();
        Assert.True(a.HasSecretKey);
        Assert.Equal(32, a.PublicKey.Length);
        Assert.Equal(32, a.SecretKey!.Length);
        Assert.Equal(a.PublicKey, CurveKeyPair.DerivePublicKey(a.SecretKey));
        Assert.Equal(40, a.PublicKeyZ85.Length);
        Assert.Equal(40, a.SecretKeyZ85!.Length);
        Assert.NotEqual(a, Certificate.Generate());
        Assert.Equal(a, new Certificate(a.KeyPair!));
        Assert.NotEqual(a, new Certificate(a.PublicKey)); // zcert_eq compares the secret keys too
        Assert.DoesNotContain(a.SecretKeyZ85!, a.ToString());
    }

    [Fact]
    public void Save_that_cannot_write_the_secret_file_leaves_no_public_file_behind()
    {
        var path = Path.Combine(_dir, "half");
        Directory.CreateDirectory(path + "_secret"); // a directory where the secret file must go: writing it fails
        var e = Assert.ThrowsAny<Exception>(() => Certificate.Generate().Save(path));
        Assert.True(e is IOException or UnauthorizedAccessException, e.ToString());
        Assert.False(File.Exists(path), "the public half of a failed save was left behind");
    }

    [Fact]
    public void PublicOnly_HasNoSecret_AndCannotSaveOne()
    {
        var cert = Certificate.FromPublicKey(PublicZ85);
        Assert.False(cert.HasSecretKey);
        Assert.Null(cert.SecretKey);
        Assert.Null(cert.SecretKeyZ85);
        Assert.Null(cert.KeyPair);
        Assert.Equal(PublicZ85, cert.PublicKeyZ85);
        Assert.Throws<InvalidOperationException>(() => cert.SaveSecret(PathOf("x_secret")));
        Assert.Throws<ArgumentException>(() => new Certificate(new byte[31]));
    }

    [Fact]
    public void PublicOnly_RoundTrips_AndSaveWritesNoSecretFile()
    {
        var cert = Certificate.FromPublicKey(PublicZ85);
        cert.SetMeta("name", "peer");
        cert.Save(PathOf("peer"));
        Assert.False(File.Exists(PathOf("peer_secret")));
        var loaded = Certificate.Load(PathOf("peer"));
        Assert.Equal(cert, loaded);
        Assert.False(loaded.HasSecretKey);
        Assert.Equal("peer", loaded.GetMeta("name"));
    }

    [Fact]
    public void WithSecret_RoundTrips_ThroughTheSecretFile()
    {
        var cert = new Certificate(CurveKeyPair.FromSecretKey(SecretZ85));
        cert.Save(PathOf("me"));
        var loaded = Certificate.Load(PathOf("me"));
        Assert.Equal(cert, loaded);
        Assert.Equal(SecretZ85, loaded.SecretKeyZ85);
        Assert.Equal(PublicZ85, loaded.PublicKeyZ85);
        // The public file alone (as a peer would get it) loads public-only with the same public key.
        File.Delete(PathOf("me_secret"));
        var publicOnly = Certificate.Load(PathOf("me"));
        Assert.False(publicOnly.HasSecretKey);
        Assert.Equal(PublicZ85, publicOnly.PublicKeyZ85);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with \"double\" quotes")]
    [InlineData("it's single")]
    [InlineData("")]
    [InlineData("  spaces and # hash = sign  ")]
    [InlineData("héllo wörld ✓ 日本語 🎉")]
    public void Metadata_RoundTrips(string value)
    {
        var cert = Certificate.Generate();
        cert.SetMeta("key", value);
        cert.SetMeta("other.name-2", "x");
        cert.Save(PathOf("m"));
        foreach (var loaded in new[] { Certificate.Load(PathOf("m")), Certificate.Parse(File.ReadAllText(PathOf("m")), "m") })
        {
            Assert.Equal(value, loaded.GetMeta("key"));
            Assert.Equal(["key", "other.name-2"], loaded.Metadata.Keys);
            Assert.Null(loaded.GetMeta("missing"));
        }
    }

    [Fact]
    public void SetMeta_Replaces_AndRejectsWhatTheFormatCannotHold()
    {
        var cert = Certificate.Generate();
        cert.SetMeta("a", "1");
        cert.SetMeta("a", "2");
        Assert.Equal("2", cert.GetMeta("a"));
        Assert.Single(cert.Metadata);
        Assert.Throws<ArgumentException>(() => cert.SetMeta("", "v"));
        Assert.Throws<ArgumentException>(() => cert.SetMeta("has space", "v"));
        Assert.Throws<ArgumentException>(() => cert.SetMeta("k", "line\nbreak"));
        var e = Assert.Throws<ArgumentException>(() => cert.SetMeta("k", "both \" and '"));
        Assert.Contains("both", e.Message);
    }

    [Fact]
    public void SecretFile_IsOwnerOnly_EvenWhenItExistedBefore()
    {
        if (OperatingSystem.IsWindows()) return;
        File.WriteAllText(PathOf("p_secret"), "old");
        File.SetUnixFileMode(PathOf("p_secret"), (UnixFileMode)0b110_100_100); // 0644
        Certificate.Generate().Save(PathOf("p"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PathOf("p_secret")));
        Assert.True(File.GetUnixFileMode(PathOf("p")).HasFlag(UnixFileMode.UserRead));
        Assert.StartsWith("#   ****", File.ReadAllText(PathOf("p_secret")));
    }

    [Fact]
    public void Files_HaveCzmqsExactLayout()
    {
        var cert = new Certificate(CurveKeyPair.FromSecretKey(SecretZ85));
        cert.SetMeta("name", "Bob");
        cert.SetMeta("quote", "a\"b");
        cert.Save(PathOf("c"));
        const string Stamp = @"#   \*\*\*\*  Generated on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d by Zmq  \*\*\*\*\n";
        string expectedPublic =
            "#   ZeroMQ CURVE Public Certificate\n" +
            "#   Exchange securely, or use a secure mechanism to verify the contents\n" +
            "#   of this file after exchange. Store public certificates in your home\n" +
            "#   directory, in the .curve subdirectory.\n" +
            "\n" +
            "metadata\n" +
            "    name = \"Bob\"\n" +
            "    quote = 'a\"b'\n" +
            "curve\n" +
            $"    public-key = \"{PublicZ85}\"\n";
        string expectedSecret =
            "#   ZeroMQ CURVE **Secret** Certificate\n" +
            "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n" +
            "\n" +
            "metadata\n" +
            "    name = \"Bob\"\n" +
            "    quote = 'a\"b'\n" +
            "curve\n" +
            $"    public-key = \"{PublicZ85}\"\n" +
            $"    secret-key = \"{SecretZ85}\"\n";
        string pub = File.ReadAllText(PathOf("c"));
        string sec = File.ReadAllText(PathOf("c_secret"));
        Assert.Matches("^" + Stamp, pub);
        Assert.Matches("^" + Stamp, sec);
        Assert.Equal(expectedPublic, Regex.Replace(pub, "^" + Stamp, ""));
        Assert.Equal(expectedSecret, Regex.Replace(sec, "^" + Stamp, ""));
        Assert.Equal(File.ReadAllBytes(PathOf("c")).Length, System.Text.Encoding.UTF8.GetByteCount(pub)); // no BOM
    }

    [Fact]
    public void Load_PrefersTheSecretFile()
    {
        var a = Certificate.Generate();
        a.SetMeta("which", "secret");
        a.SaveSecret(PathOf("k_secret"));
        var b = Certificate.FromPublicKey(PublicZ85);
        b.SetMeta("which", "public");
        b.SavePublic(PathOf("k"));
        var loaded = Certificate.Load(PathOf("k"));
        Assert.Equal(a, loaded);
        Assert.Equal("secret", loaded.GetMeta("which"));
        Assert.Throws<FileNotFoundException>(() => Certificate.Load(PathOf("nothing")));
    }

    [Fact]
    public void Load_ReadsBareValuesCommentsAndCrLf()
    {
        string text = "# comment\r\n\r\nmetadata\r\n    bare = value   # trailing\r\n    empty\r\ncurve\r\n" +
                      $"    public-key = \"{PublicZ85}\"\r\n";
        File.WriteAllText(PathOf("crlf"), text);
        var cert = Certificate.Load(PathOf("crlf"));
        Assert.Equal(PublicZ85, cert.PublicKeyZ85);
        Assert.Equal("value", cert.GetMeta("bare"));
        Assert.Equal("", cert.GetMeta("empty"));
    }

    [Theory]
    [InlineData("metadata\n    name = \"x\"\n", "no 'curve' section")]
    [InlineData("curve\n    secret-key = \"JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6\"\n", "line 1: the 'curve' section has no public-key")]
    [InlineData("curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf\"\n", "line 2: bad public-key: a CURVE public key in Z85 is 40 characters, not 39")]
    [InlineData("curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf~\"\n", "line 2: bad public-key: the CURVE public key is not valid Z85")]
    [InlineData("curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n    secret-key = \"short\"\n", "line 3: bad secret-key")]
    [InlineData("curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n    secret-key = \"0000000000000000000000000000000000000000\"\n", "line 2: public-key does not belong to the secret-key")]
    [InlineData("curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\n", "line 2: value of 'public-key' has no closing \"")]
    [InlineData("curve\n  public-key = \"x\"\n", "line 2: indentation of 2 spaces is not a multiple of 4")]
    [InlineData("curve\n        public-key = \"x\"\n", "line 2: indented more than one level")]
    [InlineData("curve\n\tpublic-key = \"x\"\n", "line 2: tab in indentation")]
    [InlineData("curve\n    public-key = \"x\" junk\n", "line 2: unexpected 'junk'")]
    [InlineData("curve\n    = \"x\"\n", "line 2: expected a name")]
    public void Malformed_FailsWithFileLineAndProblem(string text, string expected)
    {
        string path = PathOf("bad");
        File.WriteAllText(path, text);
        var e = Assert.Throws<FormatException>(() => Certificate.Load(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
    }
}
