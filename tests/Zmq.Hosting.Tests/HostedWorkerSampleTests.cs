using System.Diagnostics;
using Zmq.Tests.Infrastructure;

namespace Zmq.Hosting.Tests;

/// <summary>samples/Zmq.HostedWorker run as a process, configured through its environment as a deployment would.</summary>
public sealed class HostedWorkerSampleTests
{
    private static Process Start(int port, int maxRequests)
    {
        var dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var psi = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(), // the sample finds appsettings.json next to itself
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Zmq.HostedWorker.dll"));
        psi.Environment["Zmq__Sockets__requests__Endpoints"] = $"@tcp://127.0.0.1:{port}";
        psi.Environment["Worker__MaxRequests"] = maxRequests.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return Process.Start(psi)!;
    }

    private static async Task<(int ExitCode, string Output)> ExitAsync(Process p, Task<string> stdout, Task<string> stderr)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await p.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"the hosted worker did not exit within 30 s: {await stdout} {await stderr}");
        }
        return (p.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task The_sample_serves_its_requests_then_stops_by_itself()
    {
        int port = Ports.Free();
        using var p = Start(port, maxRequests: 3);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using (var client = new ReqSocket($">tcp://127.0.0.1:{port}") { Linger = TimeSpan.Zero })
        {
            foreach (var word in new[] { "one", "two", "three" })
            {
                await client.SendStringAsync(word).AsTask().WaitAsync(TestHosts.Limit);
                Assert.Equal(word.ToUpperInvariant(), await client.ReceiveStringAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
            }
        }
        var (code, output) = await ExitAsync(p, stdout, stderr);
        Assert.True(code == 0, $"exit code {code}: {output}");
        Assert.Contains("Zmq socket 'requests' (REP) attached: @tcp://127.0.0.1:" + port, output);
        Assert.Contains("served 3 request(s), stopping", output);
    }

    [Fact]
    public async Task The_sample_stops_promptly_on_sigterm()
    {
        if (OperatingSystem.IsWindows()) return; // SIGTERM is a Unix signal
        int port = Ports.Free();
        using var p = Start(port, maxRequests: 0);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using (var client = new ReqSocket($">tcp://127.0.0.1:{port}") { Linger = TimeSpan.Zero })
        {
            await client.SendStringAsync("up?").AsTask().WaitAsync(TestHosts.Limit);
            Assert.Equal("UP?", await client.ReceiveStringAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
        }
        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync().WaitAsync(TestHosts.Limit);
        var (code, output) = await ExitAsync(p, stdout, stderr);
        Assert.True(code == 0, $"exit code {code}: {output}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed} to stop after SIGTERM");
        Assert.Contains("Zmq: closed 1 socket(s)", output);
    }
}
