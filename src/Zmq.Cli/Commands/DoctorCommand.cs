using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Zmq.Cli.Doctor;

namespace Zmq.Cli.Commands;

/// <summary>
/// <c>zmq doctor</c>: a self-check of every socket pattern over tcp (127.0.0.1), ipc and inproc, and
/// of the NULL, PLAIN and CURVE mechanisms over tcp and ipc, one line per check and transport with
/// its time, and a summary; exit 0 only when all pass.
/// <c>zmq doctor ENDPOINT</c>: what answers at a tcp or ipc endpoint (ZMTP version, mechanism,
/// socket type); exit 1 when nothing speaking ZMTP does.
/// </summary>
internal static class DoctorCommand
{
    /// <summary>A check that has not finished by then is reported as failed (it would be a library bug: every wait inside is bounded).</summary>
    private static readonly TimeSpan CheckLimit = TimeSpan.FromSeconds(10);

    /// <summary>The whole self-check's bound (it takes about 2 s when healthy): checks not started by then are reported as not run, and the run fails.</summary>
    private static readonly TimeSpan TotalLimit = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var endpoint = new Argument<string?>("ENDPOINT")
        {
            Description = "An endpoint to probe instead of the self-check (tcp://HOST:PORT or ipc://PATH): prints the peer's ZMTP version, security mechanism and (NULL) socket type.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the library's log lines (connections, handshakes, retries) on stderr." };
        var timeout = new Option<double>("--timeout", "-t")
        {
            Description = "Seconds to wait for ENDPOINT to answer.",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 3,
        };
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (> 0 and <= 3600)) r.AddError("--timeout must be between 0 and 3600 seconds");
        });

        var command = new Command("doctor", "Self-check every socket pattern over tcp (127.0.0.1), ipc and inproc and the NULL, PLAIN and CURVE mechanisms over tcp and ipc, or probe ENDPOINT (ZMTP version, mechanism, socket type).")
        {
            endpoint, verbose, timeout,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(verbose))
                Context.Default.LoggerFactory = new StderrLoggerFactory(LogLevel.Debug);
            var target = parse.GetValue(endpoint);
            return target is null ? SelfCheck() : ProbeEndpoint(target, TimeSpan.FromSeconds(parse.GetValue(timeout)));
        });
        return command;
    }

    private static int SelfCheck()
    {
        IReadOnlyList<Check> checks = [.. SelfChecks.All(), .. SecurityChecks.All()];
        var total = Stopwatch.StartNew();
        var failures = new List<string>();
        foreach (var check in checks)
        {
            var name = check.Transport is null ? check.Name : Inv($"{check.Name,-37} {check.Transport}");
            if (total.Elapsed > TotalLimit)
            {
                Print(false, name, 0, $"not run: the doctor's {TotalLimit.TotalSeconds:0} s limit ran out");
                failures.Add(Label(check));
                continue;
            }
            var sw = Stopwatch.StartNew();
            string? reason = Run(check);
            Print(reason is null, name, sw.Elapsed.TotalMilliseconds, reason);
            if (reason is not null) failures.Add(Label(check));
        }
        int failed = failures.Count;
        Console.WriteLine(failed == 0
            ? Inv($"doctor: all {checks.Count} checks passed in {total.Elapsed.TotalSeconds:F2} s")
            : Inv($"doctor: {failed} of {checks.Count} checks FAILED ({total.Elapsed.TotalSeconds:F2} s)"));
        if (failed == 0) return ExitCodes.Ok;
        Console.Error.WriteLine($"zmq doctor: {failed} check(s) failed: {string.Join(", ", failures)}");
        return ExitCodes.Failure;
    }

    private static string Label(Check check) => check.Transport is null ? check.Name : $"{check.Name} ({check.Transport})";

    /// <summary>Runs one check on its own thread, bounded by <see cref="CheckLimit"/>; the failure reason, or null when it passed.</summary>
    private static string? Run(Check check)
    {
        var task = Task.Factory.StartNew(check.Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (!task.Wait(CheckLimit))
                return $"did not finish within {CheckLimit.TotalSeconds:0} s (left running; this is a bug)";
            return null;
        }
        catch (AggregateException ae) when (ae.InnerException is { } e)
        {
            return e switch
            {
                CheckFailed => e.Message,
                ZmqTimeoutException => "timed out: " + e.Message,
                ZmqException => e.Message,
                _ => $"{e.GetType().Name}: {e.Message}",
            };
        }
    }

    private static int ProbeEndpoint(string endpoint, TimeSpan timeout)
    {
        var probe = EndpointProbe.Parse(endpoint, timeout, out var error);
        if (probe is null)
        {
            Console.Error.WriteLine("zmq doctor: " + error);
            return ExitCodes.Usage;
        }
        var result = probe.Run(Print);
        if (result is null)
        {
            Console.Error.WriteLine($"zmq doctor: nothing speaking ZMTP 3 answered at {endpoint}: {probe.Failure}");
            return ExitCodes.Failure;
        }
        var type = result.SocketType is { } t ? $"a ZeroMQ {t} socket" : result.Mechanism == "NULL" ? "a ZeroMQ socket (type not sent)" : "a ZeroMQ socket";
        var more = result.Mechanism == "NULL" ? "" : $" (its socket type is only sent after a {result.Mechanism} handshake, which needs credentials)";
        Console.WriteLine($"doctor: {endpoint} is {type}: {result.Version}, mechanism {result.Mechanism}{more}");
        return ExitCodes.Ok;
    }

    /// <summary>One result line: status, name, elapsed time, then the failure reason or a note.</summary>
    private static void Print(bool ok, string name, double ms, string? note)
    {
        var line = Inv($"{(ok ? "ok" : "FAIL"),-6}{name,-44} {ms,9:F1} ms");
        Console.WriteLine(note is null ? line : line + "  " + note);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
