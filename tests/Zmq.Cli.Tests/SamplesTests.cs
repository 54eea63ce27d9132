using System.Diagnostics;

namespace Zmq.Cli.Tests;

/// <summary>Every sample in samples/Zmq.Samples runs to completion and exits 0 (each takes well under 2 s).</summary>
public sealed class SamplesTests
{
    public static TheoryData<string> Names => new()
    {
        "hello-world", "weather", "weather-proxy", "pipeline", "dealer-router", "lazy-pirate", "pair-relay", "curve", "monitor", "async",
        "rr-broker", "poller", "ironhouse", "paranoid-pirate", "majordomo",
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Sample_runs_to_completion(string name)
    {
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var psi = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Zmq.Samples.dll"));
        psi.ArgumentList.Add(name);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try
        {
            await p.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{name} did not finish within 40 s");
        }
        string output = await stdout, errors = await stderr;
        Assert.True(p.ExitCode == 0, $"{name} exited {p.ExitCode}: {output} {errors}");
        Assert.Contains($"{name}: done", output);
    }
}
