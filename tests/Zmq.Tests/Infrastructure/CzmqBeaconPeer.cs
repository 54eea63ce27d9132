using System.Diagnostics;

namespace Zmq.Tests.Infrastructure;

/// <summary>
/// CZMQ's zbeacon (Debian's libczmq 4.2.1) as a program: zbeacon_peer.c, next to the test
/// assembly, compiled once per test run with gcc against libczmq-dev into a temporary directory.
/// It takes the line protocol of tests/Zmq.BeaconPeer on stdin. Without gcc or the CZMQ headers
/// the test skips with the reason; under CI=true that is a failure.
/// </summary>
public static class CzmqBeaconPeer
{
    private static readonly Lazy<(string? Path, string? Error)> Built = new(Build);

    /// <summary>The compiled program (skips or fails the test when it cannot be built).</summary>
    public static string Path
    {
        get
        {
            var (path, error) = Built.Value;
            if (path is not null) return path;
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Xunit.Assert.Fail(error + ". CI=true, so a skip counts as a failure.");
            Xunit.Skip.If(true, error);
            throw new InvalidOperationException("unreachable");
        }
    }

    private static (string?, string?) Build()
    {
        string source = System.IO.Path.Combine(AppContext.BaseDirectory, "zbeacon_peer.c");
        if (!File.Exists(source)) return (null, $"{source} is missing");
        string? gcc = new[] { "/usr/bin/gcc", "/usr/local/bin/gcc" }.FirstOrDefault(File.Exists);
        if (gcc is null) return (null, "gcc not found: apt-get install gcc libczmq-dev");
        if (!File.Exists("/usr/include/czmq.h")) return (null, "CZMQ's headers not found: apt-get install libczmq-dev");
        string dir = Directory.CreateTempSubdirectory("zbeacon-peer-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        string program = System.IO.Path.Combine(dir, "zbeacon_peer");
        var psi = new ProcessStartInfo(gcc) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-O1", "-o", program, source, "-lczmq", "-lzmq" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            return (null, "gcc did not finish within 60 s");
        }
        p.WaitForExit();
        return p.ExitCode == 0 && File.Exists(program) ? (program, null) : (null, $"gcc could not build zbeacon_peer.c: {stderr.Result.Trim()}");
    }
}
