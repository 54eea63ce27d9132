using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Zmq.Tests.Infrastructure;

/// <summary>
/// Two network namespaces made for one test, joined by a veth pair: in <see cref="A"/> the
/// interface <see cref="InterfaceA"/> with 10.200.7.1/24 and fd00:200:7::1/64, in <see cref="B"/>
/// <see cref="InterfaceB"/> with 10.200.7.2/24 and fd00:200:7::2/64 (IPv6 without duplicate address
/// detection and without link-local addresses, so the addresses are usable at once). The only
/// place where beacon tests broadcast: every beacon runs in a child process started inside one of
/// them with <c>ip netns exec</c> (<see cref="Start"/>), never on an interface of the test
/// process's own namespace. <see cref="Dispose"/> kills those processes and deletes both
/// namespaces (and so the veth pair), also when the test failed; namespaces left by a test process
/// that died are deleted by the next run. Tests that cannot create namespaces (not root, no
/// iproute2) skip with the reason, and fail when CI=true.
/// </summary>
public sealed partial class NetnsPair : IDisposable
{
    public const string AddressA = "10.200.7.1", AddressB = "10.200.7.2", Broadcast = "10.200.7.255";
    public const string IPv6A = "fd00:200:7::1", IPv6B = "fd00:200:7::2";
    public const string InterfaceA = "zb0", InterfaceB = "zb1";

    /// <summary>
    /// With <c>decoyFirst</c>: another broadcast-capable interface in A (one end of a second veth
    /// pair whose other end, <c>zbd1</c>, stays in A too), listed before <see cref="InterfaceA"/>.
    /// </summary>
    public const string DecoyInterface = "zbd0", DecoyAddress = "10.201.0.1";

    private const string NamePrefix = "zbt-";
    private static readonly TimeSpan CommandWait = TimeSpan.FromSeconds(20);
    private static int s_next;
    private static readonly Lazy<string?> Unavailable = new(Probe);
    private readonly List<NetnsProcess> _processes = [];
    private int _disposed;

    private NetnsPair(string a, string b)
    {
        A = a;
        B = b;
    }

    /// <summary>The first namespace (10.200.7.1).</summary>
    public string A { get; }

    /// <summary>The second namespace (10.200.7.2).</summary>
    public string B { get; }

    /// <summary>Skips the test when namespaces cannot be created here; under CI=true that is a failure.</summary>
    public static void Require()
    {
        if (Unavailable.Value is not { } reason) return;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Xunit.Assert.Fail(reason + ". CI=true, so a skip counts as a failure.");
        Xunit.Skip.If(true, reason);
    }

    /// <summary>Creates the two namespaces and the veth pair between them (skips the test where that is impossible).</summary>
    /// <param name="broadcastA">A's IPv4 broadcast address (<c>ip addr ... brd</c>); null: none set, the kernel has none.</param>
    /// <param name="decoyFirst">Adds <see cref="DecoyInterface"/> (10.201.0.1/24, up) to A before the veth to B, so it is A's first broadcast interface.</param>
    public static NetnsPair Create(string? broadcastA = null, bool decoyFirst = false)
    {
        Require();
        int n = Interlocked.Increment(ref s_next);
        string stem = $"{NamePrefix}{Environment.ProcessId}-{n}-{Random.Shared.Next(0x10000):x4}";
        var pair = new NetnsPair(stem + "a", stem + "b");
        try
        {
            Ip("netns", "add", pair.A);
            Ip("netns", "add", pair.B);
            foreach (var ns in new[] { pair.A, pair.B }) Ip("-n", ns, "link", "set", "lo", "up");
            if (decoyFirst)
            {
                // A veth (not a dummy interface: that needs a kernel module containers may lack).
                Ip("-n", pair.A, "link", "add", DecoyInterface, "type", "veth", "peer", "name", "zbd1");
                Ip("-n", pair.A, "link", "set", DecoyInterface, "addrgenmode", "none");
                Ip("-n", pair.A, "link", "set", "zbd1", "addrgenmode", "none");
                Ip("-n", pair.A, "addr", "add", DecoyAddress + "/24", "dev", DecoyInterface);
                Ip("-n", pair.A, "link", "set", "zbd1", "up");
                Ip("-n", pair.A, "link", "set", DecoyInterface, "up");
            }
            // Created inside A and moved to B: nothing of it ever appears in the test's namespace.
            Ip("-n", pair.A, "link", "add", InterfaceA, "type", "veth", "peer", "name", InterfaceB);
            Ip("-n", pair.A, "link", "set", InterfaceB, "netns", pair.B);
            Ip("-n", pair.A, "link", "set", InterfaceA, "addrgenmode", "none");
            Ip("-n", pair.B, "link", "set", InterfaceB, "addrgenmode", "none");
            if (broadcastA is null) Ip("-n", pair.A, "addr", "add", AddressA + "/24", "dev", InterfaceA);
            else Ip("-n", pair.A, "addr", "add", AddressA + "/24", "brd", broadcastA, "dev", InterfaceA);
            Ip("-n", pair.B, "addr", "add", AddressB + "/24", "dev", InterfaceB);
            Ip("-n", pair.A, "addr", "add", IPv6A + "/64", "dev", InterfaceA, "nodad");
            Ip("-n", pair.B, "addr", "add", IPv6B + "/64", "dev", InterfaceB, "nodad");
            Ip("-n", pair.A, "link", "set", InterfaceA, "up");
            Ip("-n", pair.B, "link", "set", InterfaceB, "up");
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    /// <summary>Starts <paramref name="program"/> inside namespace <paramref name="ns"/> (<c>ip netns exec</c>), killed at the latest by <see cref="Dispose"/>.</summary>
    public NetnsProcess Start(string ns, string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var process = NetnsProcess.Start(ns, program, args, environment);
        lock (_processes) _processes.Add(process);
        return process;
    }

    /// <summary>Starts a .NET program (its .dll) inside <paramref name="ns"/> with the dotnet host running the tests.</summary>
    public NetnsProcess StartDotnet(string ns, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(ns, DotnetHost(), [dll, .. args], environment);

    /// <summary>Runs <c>ip ARGS</c> (e.g. <c>-n NS addr show</c>) and returns its output; throws with its stderr when it fails.</summary>
    public static string Ip(params string[] args)
    {
        var psi = new ProcessStartInfo(IpPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ip");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(CommandWait))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"ip {string.Join(' ', args)} did not finish within {CommandWait.TotalSeconds} s");
        }
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Result.Trim()}");
        return stdout.Result;
    }

    /// <summary>Kills the processes started in the namespaces and deletes both namespaces.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        lock (_processes)
            foreach (var p in _processes) p.Dispose();
        foreach (var ns in new[] { A, B })
        {
            try
            {
                Ip("netns", "del", ns);
            }
            catch (InvalidOperationException) when (!File.Exists("/run/netns/" + ns))
            {
                // never created (Create failed before it)
            }
        }
    }

    /// <summary>Null when namespaces can be made here, else why not. Also deletes namespaces left by dead test processes.</summary>
    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (!Environment.IsPrivilegedProcess) return "network namespaces need root (ip netns add)";
        if (IpPathOrNull() is null) return "iproute2's ip not found: apt-get install iproute2";
        DeleteStale();
        string probe = $"{NamePrefix}{Environment.ProcessId}-probe";
        try
        {
            Ip("netns", "add", probe);
            Ip("netns", "del", probe);
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return "cannot create a network namespace: " + e.Message;
        }
    }

    private static void DeleteStale()
    {
        string list;
        try
        {
            list = Ip("netns", "list");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            return;
        }
        foreach (Match m in StaleName().Matches(list))
        {
            int pid = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            if (pid == Environment.ProcessId || IsAlive(pid)) continue;
            try
            {
                Ip("netns", "del", m.Groups[1].Value);
            }
            catch (InvalidOperationException)
            {
                // another run got there first
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^(zbt-(\d+)-\S+)", RegexOptions.Multiline)]
    private static partial Regex StaleName();

    private static string IpPath() => IpPathOrNull() ?? "ip";

    private static string? IpPathOrNull()
    {
        foreach (var dir in new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" })
            if (File.Exists(Path.Combine(dir, "ip"))) return Path.Combine(dir, "ip");
        return null;
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? p
            : "dotnet";
}
