namespace Zmq.Cli.Tests;

/// <summary><c>zmq keygen</c>: the key pair it prints is a real CURVE pair (libzmq agrees), and <c>--cert</c> writes CZMQ certificates.</summary>
public sealed class KeygenTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zmq-keygen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (string Public, string Secret) Keys(CliResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(2, r.Stdout.Count);
        Assert.StartsWith("public: ", r.Stdout[0], StringComparison.Ordinal);
        Assert.StartsWith("secret: ", r.Stdout[1], StringComparison.Ordinal);
        var keys = (r.Stdout[0]["public: ".Length..], r.Stdout[1]["secret: ".Length..]);
        Assert.Equal(40, keys.Item1.Length);
        Assert.Equal(40, keys.Item2.Length);
        Assert.Equal("", r.Stderr);
        return keys;
    }

    [Fact]
    public void Keygen_prints_a_public_key_that_belongs_to_the_secret_key()
    {
        var (pub, secret) = Keys(CliProcess.Run("", "keygen"));
        Assert.Equal(pub, CurveKeyPair.FromSecretKey(secret).PublicKeyZ85);
        var (pub2, _) = Keys(CliProcess.Run("", "keygen"));
        Assert.NotEqual(pub, pub2); // a fresh pair every time
    }

    [SkippableFact]
    public void Keygen_public_key_equals_libzmq_curve_public_of_the_secret()
    {
        PyPeer.Require();
        var (pub, secret) = Keys(CliProcess.Run("", "keygen"));
        var libzmq = PyPeer.Eval("import zmq,sys; print(zmq.curve_public(sys.argv[1].encode()).decode())", secret);
        Assert.Equal(pub, libzmq);
    }

    [Fact]
    public void Keygen_cert_writes_a_public_file_and_an_owner_only_secret_file()
    {
        var name = Path.Combine(_dir, "server");
        var (pub, secret) = Keys(CliProcess.Run("", "keygen", "--cert", name));

        var both = Certificate.Load(name); // reads server_secret
        Assert.True(both.HasSecretKey);
        Assert.Equal(pub, both.PublicKeyZ85);
        Assert.Equal(secret, both.SecretKeyZ85);

        var publicOnly = Path.Combine(_dir, "copy");
        File.Copy(name, publicOnly);
        var cert = Certificate.Load(publicOnly);
        Assert.False(cert.HasSecretKey);
        Assert.Equal(pub, cert.PublicKeyZ85);
        Assert.DoesNotContain(secret, File.ReadAllText(name), StringComparison.Ordinal);

        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(name + "_secret"));
    }

    [SkippableFact]
    public void Keygen_cert_files_load_in_pyzmq()
    {
        PyPeer.Require();
        var name = Path.Combine(_dir, "client");
        var (pub, secret) = Keys(CliProcess.Run("", "keygen", "--cert", name));
        const string load = "import zmq.auth,sys; p,s = zmq.auth.load_certificate(sys.argv[1]); print(p.decode(), (s or b'-').decode())";
        Assert.Equal($"{pub} -", PyPeer.Eval(load, name));
        Assert.Equal($"{pub} {secret}", PyPeer.Eval(load, name + "_secret"));
    }

    [Fact]
    public void Keygen_cert_that_cannot_be_written_exits_1_with_one_stderr_line()
    {
        var name = Path.Combine(_dir, "no-such-dir", "server");
        var r = CliProcess.Run("", "keygen", "--cert", name);
        Assert.Equal(1, r.ExitCode);
        Assert.Empty(r.Stdout);
        var line = Assert.Single(r.StderrLines);
        Assert.Contains(name, line, StringComparison.Ordinal);
        Assert.False(File.Exists(name));
    }

    [Fact]
    public void Keygen_cert_refuses_to_overwrite_a_certificate_unless_forced()
    {
        var name = Path.Combine(_dir, "server");
        var (first, _) = Keys(CliProcess.Run("", "keygen", "--cert", name));

        var r = CliProcess.Run("", "keygen", "--cert", name);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--force", Assert.Single(r.StderrLines), StringComparison.Ordinal);
        Assert.Equal(first, Certificate.Load(name).PublicKeyZ85);

        var (second, _) = Keys(CliProcess.Run("", "keygen", "--cert", name, "--force"));
        Assert.NotEqual(first, second);
        Assert.Equal(second, Certificate.Load(name).PublicKeyZ85);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(name + "_secret"));
    }
}
