using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Zmq.Cli.Tests;

/// <summary>
/// A libzmq peer for the <c>zmq cat</c> tests: <c>/usr/bin/python3 -u -c SCRIPT</c> with pyzmq (Debian's
/// python3-zmq on libzmq5), its stdout read line by line as it arrives. Scripts start with
/// <see cref="Prelude"/>: <c>out(text)</c> prints a line at once, <c>finish()</c> closes every socket once
/// what they sent is delivered (at most 5 s), <c>show(frames)</c> prints a
/// message as its frames in hex joined by TAB (<see cref="Hex(string[])"/> builds the same line).
/// When pyzmq is missing a test skips with the reason, and fails under CI=true (as
/// tests/Zmq.Interop.Tests/PyZmqPeer.cs does). Every wait is bounded; Dispose kills the process.
/// </summary>
public sealed class PyPeer : IDisposable
{
    public const string Python = "/usr/bin/python3";
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);
    private static readonly Lazy<bool> s_available = new(() => File.Exists(Python) && RunQuiet(Python, "-c", "import zmq") == 0);

    /// <summary>Imports, a context, <c>out</c> and <c>show</c>; scripts follow it.</summary>
    public const string Prelude = """
        import zmq, sys, time, os
        ctx = zmq.Context()
        def out(text):
            print(text, flush=True)
        def show(frames):
            out("\t".join(f.hex() for f in frames))
        def finish():
            ctx.destroy(linger=5000)  # waits (at most 5 s) until what was sent is delivered

        """;

    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly List<string> _seen = [];
    private readonly System.Text.StringBuilder _stderr = new();

    private PyPeer(string script)
    {
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-u");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Prelude + script);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start python3");
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

    /// <summary>Skips the test when pyzmq is missing; under CI=true that is a failure instead.</summary>
    public static void Require()
    {
        if (s_available.Value) return;
        const string reason = "pyzmq not found: apt-get install python3-zmq";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(reason + ". CI=true, so a skip counts as a failure.");
        Skip.If(true, reason);
    }

    /// <summary>Starts <c>python3 -u -c PRELUDE+SCRIPT</c>.</summary>
    public static PyPeer Start(string script) => new(script);

    /// <summary>Everything the script wrote to stderr so far (a traceback, say).</summary>
    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>The next stdout line, or null when none comes within the wait.</summary>
    public string? ReadLine(TimeSpan? wait = null)
    {
        if (!_lines.TryTake(out var line, wait ?? DefaultWait)) return null;
        _seen.Add(line);
        return line;
    }

    /// <summary>Reads lines until <paramref name="line"/> comes; false when it does not within the wait.</summary>
    public bool WaitFor(string line, TimeSpan? wait = null)
    {
        var sw = Stopwatch.StartNew();
        var limit = wait ?? DefaultWait;
        while (sw.Elapsed < limit)
        {
            var next = ReadLine(limit - sw.Elapsed);
            if (next is null) return false;
            if (next == line) return true;
        }
        return false;
    }

    /// <summary>Waits until <paramref name="line"/> comes, failing with what the script printed if it does not.</summary>
    public void Expect(string line, TimeSpan? wait = null)
    {
        if (!WaitFor(line, wait))
            Assert.Fail($"python never printed '{line}'; stdout so far: [{string.Join(" | ", _seen)}]; stderr: {Stderr}");
    }

    /// <summary>The next <paramref name="count"/> lines, failing when they do not come in time.</summary>
    public string[] ReadLines(int count, TimeSpan? wait = null)
    {
        var result = new string[count];
        for (int i = 0; i < count; i++)
            result[i] = ReadLine(wait) ?? throw new TimeoutException($"python printed {i} of {count} lines: [{string.Join(" | ", result.Take(i))}]; stderr: {Stderr}");
        return result;
    }

    /// <summary>Writes a line to the script's stdin.</summary>
    public void WriteLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Waits for the script to end; its exit code (the process is killed and -1 returned when it does not end in time).</summary>
    public int WaitForExit(TimeSpan? wait = null)
    {
        if (_process.WaitForExit(wait ?? DefaultWait)) return _process.ExitCode;
        Kill();
        return -1;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>
    /// A libzmq socket of <paramref name="type"/> (pyzmq constant name) bound to <paramref name="bind"/>,
    /// after <paramref name="setup"/> (python statements on <c>s</c>); prints <c>ready LAST_ENDPOINT</c>, then idles.
    /// </summary>
    public static PyPeer Bound(string type, string bind, string setup = "") => Start($"""
        s = ctx.socket(zmq.{type}); s.setsockopt(zmq.LINGER, 0)
        {setup}
        s.bind("{bind}"); out("ready " + s.getsockopt(zmq.LAST_ENDPOINT).decode())
        time.sleep(60)
        """);

    /// <summary>Waits for the <c>ready ENDPOINT</c> line of <see cref="Bound"/> and returns the endpoint.</summary>
    public string WaitReady(TimeSpan? wait = null)
    {
        var sw = Stopwatch.StartNew();
        var limit = wait ?? DefaultWait;
        while (sw.Elapsed < limit)
        {
            var line = ReadLine(limit - sw.Elapsed);
            if (line is null) break;
            if (line.StartsWith("ready ", StringComparison.Ordinal)) return line["ready ".Length..].Trim();
        }
        Assert.Fail($"the pyzmq peer never printed 'ready'; stdout so far: [{string.Join(" | ", _seen)}]; stderr: {Stderr}");
        return "";
    }

    /// <summary>Runs a short python snippet with arguments and returns its trimmed stdout (asserting exit 0).</summary>
    public static string Eval(string code, params string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-c", code, .. args]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        bool exited = p.WaitForExit(15_000);
        if (!exited) p.Kill(entireProcessTree: true);
        Assert.True(exited && p.ExitCode == 0, $"python failed: {output} {(stderr.Wait(5000) ? stderr.Result : "")}");
        return output.Trim();
    }

    /// <summary>Each text as UTF-8 in lowercase hex, joined by TAB: a message line as <c>show</c> prints it.</summary>
    public static string Hex(params string[] frames) =>
        string.Join('\t', frames.Select(f => Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(f))));

    /// <summary>A tcp endpoint on 127.0.0.1 with a port that is free now (from below the ephemeral range).</summary>
    public static string FreeTcpEndpoint() => $"tcp://127.0.0.1:{Zmq.Tests.Infrastructure.Ports.Free()}";

    /// <summary>A fresh, short ipc endpoint in /tmp (Unix socket paths are limited to about 100 bytes).</summary>
    public static string FreeIpcEndpoint() => $"ipc:///tmp/zc-{Guid.NewGuid():N}"[..32] + ".sock";

    /// <summary>A fresh endpoint of <paramref name="transport"/> ("tcp" or "ipc").</summary>
    public static string FreeEndpoint(string transport) => transport switch
    {
        "tcp" => FreeTcpEndpoint(),
        "ipc" => FreeIpcEndpoint(),
        _ => throw new ArgumentOutOfRangeException(nameof(transport)),
    };

    private static int RunQuiet(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            if (!p.WaitForExit(10_000))
            {
                p.Kill();
                return -1;
            }
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
