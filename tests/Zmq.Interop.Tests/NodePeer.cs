using System.Collections.Concurrent;
using System.Diagnostics;

namespace Zmq.Interop.Tests;

/// <summary>
/// A Node.js script on zeromq.js 6.8.0 (libzmq 4.3.5 with the draft API): the peer for the draft
/// socket types. The package is installed by .ci/run into tests/node (npm install); without it (or
/// without node) the tests skip, and under CI=true that is a failure.
/// </summary>
internal sealed class NodePeer : IDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);
    private static readonly Lazy<string?> s_modules = new(FindModules);
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly System.Text.StringBuilder _stderr = new();

    /// <summary>Imports and <c>out</c>; scripts follow (top-level await works inside the async main).</summary>
    private const string Prelude = """
        const zmq = require("zeromq"); const draft = require("zeromq/draft");
        const out = (s) => process.stdout.write(s + "\n");
        (async () => {
        """;

    private const string Epilogue = """

        })().catch((e) => { process.stderr.write(String(e && e.stack || e) + "\n"); process.exit(1); });
        """;

    private NodePeer(string script)
    {
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-e");
        psi.ArgumentList.Add(Prelude + script + Epilogue);
        psi.Environment["NODE_PATH"] = s_modules.Value!;
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) _lines.CompleteAdding();
            else _lines.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Skips without node or the installed zeromq package; under CI=true that is a failure.</summary>
    public static void Require()
    {
        if (s_modules.Value is not null) return;
        const string reason = "node or zeromq.js missing: install Node 20 and run 'npm install' in tests/node (.ci/run does)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(reason + ". CI=true, so a skip counts as a failure.");
        Skip.If(true, reason);
    }

    public static NodePeer Start(string script)
    {
        Require();
        return new NodePeer(script);
    }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>The next stdout line, failing the test when none comes in time.</summary>
    public string ReadLine(TimeSpan? wait = null)
    {
        if (_lines.TryTake(out var line, wait ?? DefaultWait)) return line;
        Assert.Fail($"the node peer printed nothing in time; stderr: {Stderr}");
        return "";
    }

    public void Expect(string line) => Assert.Equal(line, ReadLine());

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    /// <summary>tests/node/node_modules when it holds zeromq and node runs; null otherwise.</summary>
    private static string? FindModules()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var modules = Path.Combine(dir.FullName, "tests", "node", "node_modules");
            if (!File.Exists(Path.Combine(dir.FullName, "Zmq.slnx"))) continue;
            if (!Directory.Exists(Path.Combine(modules, "zeromq"))) return null;
            try
            {
                using var p = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
                if (p is null || !p.WaitForExit(10_000) || p.ExitCode != 0) return null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
            return modules;
        }
        return null;
    }
}
