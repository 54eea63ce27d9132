namespace Zmq.Tests.Security;

/// <summary>zcertstore's rules: a directory of public certificates, re-read when it changes, plus in-memory ones.</summary>
public sealed class CertificateStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "zmq-certstore-" + Guid.NewGuid().ToString("N")[..8]);

    public CertificateStoreTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LoadsPublicCertificates_IgnoresSecretFiles_AndFindsByKey()
    {
        var alice = Certificate.Generate();
        alice.SetMeta("name", "alice");
        alice.Save(Path.Combine(_dir, "alice")); // alice and alice_secret
        var store = new CertificateStore(_dir);
        Assert.Single(store.Certificates);
        var found = store.Lookup(alice.PublicKeyZ85);
        Assert.NotNull(found);
        Assert.Equal("alice", found!.GetMeta("name"));
        Assert.False(found.HasSecretKey); // only the public file counts
        Assert.NotNull(store.Lookup(alice.PublicKey));
        Assert.Null(store.Lookup(Certificate.Generate().PublicKeyZ85));
    }

    [Fact]
    public void ChangesToTheDirectory_AreSeenOnTheNextLookup()
    {
        var store = new CertificateStore(_dir);
        var bob = Certificate.Generate();
        Assert.Null(store.Lookup(bob.PublicKeyZ85));
        bob.SavePublic(Path.Combine(_dir, "bob"));
        Assert.NotNull(store.Lookup(bob.PublicKeyZ85));
        File.Delete(Path.Combine(_dir, "bob"));
        Assert.Null(store.Lookup(bob.PublicKeyZ85));
    }

    [Fact]
    public void InsertedCertificates_SurviveRereads_AndAMissingDirectoryIsEmpty()
    {
        var store = new CertificateStore(Path.Combine(_dir, "not-yet"));
        var carol = Certificate.Generate();
        store.Insert(carol);
        Assert.NotNull(store.Lookup(carol.PublicKeyZ85));
        store.Reload();
        Assert.NotNull(store.Lookup(carol.PublicKeyZ85));
        Assert.Single(store.Certificates);
    }

    [Fact]
    public void ABadFile_IsSkipped_AndReported()
    {
        File.WriteAllText(Path.Combine(_dir, "broken"), "curve\n    public-key = \"tooshort\"\n");
        var good = Certificate.Generate();
        good.SavePublic(Path.Combine(_dir, "good"));
        var store = new CertificateStore(_dir);
        Assert.NotNull(store.Lookup(good.PublicKeyZ85));
        var error = Assert.Single(store.LoadErrors);
        Assert.Contains("broken", error);
    }
}
