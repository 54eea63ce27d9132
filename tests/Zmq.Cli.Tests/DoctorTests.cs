namespace Zmq.Cli.Tests;

/// <summary><c>zmq doctor</c> without an endpoint: every pattern and every mechanism passes, quickly.</summary>
public sealed class DoctorTests
{
    private static readonly string[] s_securityChecks =
    [
        "NULL PUSH->PULL, peer properties",
        "PLAIN login, User-Id = user name",
        "PLAIN wrong password refused",
        "CURVE PUSH->PULL encrypted",
        "CURVE wrong server key refused",
        "CURVE ZAP-trusted client, User-Id",
        "CURVE untrusted client refused (ZAP)",
    ];

    [Fact]
    public void Doctor_self_check_passes_every_pattern_and_NULL_PLAIN_CURVE_over_tcp_and_ipc()
    {
        var r = CliProcess.Run("", TimeSpan.FromSeconds(60), "doctor");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stderr);
        var checks = r.Stdout.Take(r.Stdout.Count - 1).ToList();
        Assert.All(checks, l => Assert.StartsWith("ok ", l, StringComparison.Ordinal));
        Assert.Matches(@"^doctor: all \d+ checks passed in [\d.]+ s$", r.Stdout[^1]);

        foreach (var name in s_securityChecks)
        {
            foreach (var transport in new[] { "tcp", "ipc" })
                Assert.Single(checks, l => l.Contains(name, StringComparison.Ordinal) && l.Contains($" {transport} ", StringComparison.Ordinal));
            Assert.DoesNotContain(checks, l => l.Contains(name, StringComparison.Ordinal) && l.Contains(" inproc ", StringComparison.Ordinal));
        }
        Assert.Contains(checks, l => l.Contains("PUSH->PULL", StringComparison.Ordinal) && l.Contains(" inproc ", StringComparison.Ordinal));
    }
}
