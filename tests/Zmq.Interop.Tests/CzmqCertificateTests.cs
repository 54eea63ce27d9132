using Zmq.Tests.Infrastructure;
using System.Runtime.InteropServices;

namespace Zmq.Interop.Tests;

/// <summary>
/// Our certificates against CZMQ's zcert (Debian's libczmq.so.4, P/Invoked): each loads the other's
/// files with the same keys and metadata. Skips without libczmq (fails when CI=true).
/// </summary>
public sealed class CzmqCertificateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zmq-czmq-cert-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void CertificateSavedByCzmq_LoadsHere()
    {
        Czmq.Require();
        string path = Path.Combine(_dir, "czmq");
        IntPtr zcert = Czmq.zcert_new();
        string pub, sec;
        try
        {
            Czmq.zcert_set_meta(zcert, "name", "%s", "Alice");
            Czmq.zcert_set_meta(zcert, "email", "%s", "alice@example.org");
            Czmq.zcert_set_meta(zcert, "unicode", "%s", "héllo ✓");
            Assert.Equal(0, Czmq.zcert_save(zcert, path));
            pub = Marshal.PtrToStringUTF8(Czmq.zcert_public_txt(zcert))!;
            sec = Marshal.PtrToStringUTF8(Czmq.zcert_secret_txt(zcert))!;
        }
        finally
        {
            Czmq.zcert_destroy(ref zcert);
        }

        var cert = Certificate.Load(path);
        Assert.Equal(pub, cert.PublicKeyZ85);
        Assert.Equal(sec, cert.SecretKeyZ85);
        Assert.Equal("Alice", cert.GetMeta("name"));
        Assert.Equal("alice@example.org", cert.GetMeta("email"));
        Assert.Equal("héllo ✓", cert.GetMeta("unicode"));
        Assert.Equal(3, cert.Metadata.Count);

        File.Delete(path + "_secret");
        var publicOnly = Certificate.Load(path);
        Assert.Equal(pub, publicOnly.PublicKeyZ85);
        Assert.Null(publicOnly.SecretKeyZ85);
        Assert.Equal("Alice", publicOnly.GetMeta("name"));
    }

    [SkippableFact]
    public void CertificateSavedHere_LoadsInCzmq()
    {
        Czmq.Require();
        string path = Path.Combine(_dir, "ours");
        var cert = Certificate.Generate();
        cert.SetMeta("name", "Bob");
        cert.SetMeta("unicode", "wörld 日本");
        cert.SetMeta("quoted", "say \"hi\""); // we write it in single quotes, which zconfig reads too
        cert.Save(path);

        AssertCzmqLoads(path, cert.PublicKeyZ85, cert.SecretKeyZ85);
        File.Delete(path + "_secret");
        AssertCzmqLoads(path, cert.PublicKeyZ85, null);

        void AssertCzmqLoads(string file, string pub, string? sec)
        {
            IntPtr zcert = Czmq.zcert_load(file);
            Assert.NotEqual(IntPtr.Zero, zcert);
            try
            {
                Assert.Equal(pub, Marshal.PtrToStringUTF8(Czmq.zcert_public_txt(zcert)));
                // zcert keeps a public-only certificate's secret key as 40 zeros ("0000...")
                Assert.Equal(sec ?? new string('0', 40), Marshal.PtrToStringUTF8(Czmq.zcert_secret_txt(zcert)));
                Assert.Equal("Bob", Marshal.PtrToStringUTF8(Czmq.zcert_meta(zcert, "name")));
                Assert.Equal("wörld 日本", Marshal.PtrToStringUTF8(Czmq.zcert_meta(zcert, "unicode")));
                Assert.Equal("say \"hi\"", Marshal.PtrToStringUTF8(Czmq.zcert_meta(zcert, "quoted")));
            }
            finally
            {
                Czmq.zcert_destroy(ref zcert);
            }
        }
    }
}
