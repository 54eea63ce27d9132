using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Zmq.Tests.Infrastructure;

/// <summary>
/// A child process inside a network namespace (<c>ip netns exec NS PROGRAM ARGS</c>; ip execs the
/// program, so the process is the program itself): lines to its stdin, its stdout line by line
/// as it arrives, its stderr collected. Every wait is bounded; Dispose kills it if it still runs.
/// </summary>
public sealed class NetnsProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _description;
    private readonly BlockingCollection<string> _lines = new();
    private readonly List<string> _seen = [];
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NetnsProcess(Process process, string description)
    {
        _process = process;
        _description = description;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.CompleteAdding();
                _stdoutClosed.TrySetResult();
            }
            else _lines.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    internal static NetnsProcess Start(string ns, string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo(File.Exists("/usr/sbin/ip") ? "/usr/sbin/ip" : "ip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add("netns");
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(ns);
        psi.ArgumentList.Add(program);
        var all = args.ToList();
        foreach (var a in all) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        string description = $"[{ns}] {Path.GetFileName(program)} {string.Join(' ', all.Select(a => a.Length > 60 ? a[..60] + "..." : a))}";
        return new NetnsProcess(Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + description), description);
    }

    /// <summary>The process id (the program's: ip netns exec execs it).</summary>
    public int Id => _process.Id;

    /// <summary>Every stdout line read so far through this object.</summary>
    public IReadOnlyList<string> Seen
    {
        get { lock (_seen) return [.. _seen]; }
    }

    /// <summary>Everything written to stderr so far.</summary>
    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>Writes one line to stdin.</summary>
    public void WriteLine(string line)
    {
        _process.StandardInput.Write(line + "\n");
        _process.StandardInput.Flush();
    }

    /// <summary>Closes stdin (EOF).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>The next stdout line within <paramref name="wait"/>, or null (none came, or stdout closed).</summary>
    public string? ReadLine(TimeSpan wait)
    {
        if (!_lines.TryTake(out var line, wait)) return null;
        lock (_seen) _seen.Add(line);
        return line;
    }

    /// <summary>Reads lines until one satisfies <paramref name="match"/>; fails the test, showing what came, when none does within <paramref name="wait"/>.</summary>
    public string WaitFor(Func<string, bool> match, TimeSpan wait, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < wait)
        {
            var line = ReadLine(wait - deadline.Elapsed);
            if (line is null) break;
            if (match(line)) return line;
        }
        throw new Xunit.Sdk.XunitException($"{_description}: no {what} within {wait.TotalSeconds} s.\n{Transcript()}");
    }

    /// <summary>Every stdout line that arrives within <paramref name="wait"/>.</summary>
    public List<string> ReadFor(TimeSpan wait)
    {
        var result = new List<string>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < wait && ReadLine(wait - clock.Elapsed) is { } line) result.Add(line);
        return result;
    }

    /// <summary>Sends SIGTERM.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill?.WaitForExit(5000);
    }

    /// <summary>Waits for the exit (killing the process and failing when it does not come) and returns the exit code; the remaining stdout lines go to <see cref="Seen"/>.</summary>
    public int WaitForExit(TimeSpan wait)
    {
        if (!_process.WaitForExit(wait))
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new Xunit.Sdk.XunitException($"{_description}: did not exit within {wait.TotalSeconds} s.\n{Transcript()}");
        }
        _process.WaitForExit(); // drains the asynchronous readers
        _stdoutClosed.Task.Wait(TimeSpan.FromSeconds(5));
        while (_lines.TryTake(out var line)) lock (_seen) _seen.Add(line);
        return _process.ExitCode;
    }

    /// <summary>What the process wrote so far, for a failure message.</summary>
    public string Transcript() => $"stdout: [{string.Join(" | ", Seen)}]\nstderr: {Stderr}";

    public override string ToString() => _description;

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
