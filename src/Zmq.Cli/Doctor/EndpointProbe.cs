using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Cli.Doctor;

/// <summary>What <see cref="EndpointProbe"/> learned: the peer's ZMTP version, mechanism and (NULL only) socket type.</summary>
internal sealed record ProbeResult(int Major, int Minor, string Mechanism, string? SocketType, IReadOnlyDictionary<string, string> Properties)
{
    public string Version => $"ZMTP {Major}.{Minor}";
}

/// <summary>
/// <c>zmq doctor ENDPOINT</c>: what answers at a tcp or ipc endpoint, learned with a plain stream
/// socket speaking just enough ZMTP: connect, the greeting (version and security mechanism), and
/// with the NULL mechanism the peer's READY (its socket type). The greeting goes in libzmq's own
/// steps, signature and major version first: libzmq hangs up at once on a mechanism mismatch, so
/// ours (NULL) is sent only after the peer's has shown NULL. No message is ever sent.
/// </summary>
internal sealed class EndpointProbe
{
    private static readonly Dictionary<string, string> s_peers = new(StringComparer.Ordinal)
    {
        ["PAIR"] = "PAIR",
        ["PUB"] = "SUB, XSUB",
        ["SUB"] = "PUB, XPUB",
        ["REQ"] = "REP, ROUTER",
        ["REP"] = "REQ, DEALER",
        ["DEALER"] = "REP, DEALER, ROUTER",
        ["ROUTER"] = "REQ, DEALER, ROUTER",
        ["PULL"] = "PUSH",
        ["PUSH"] = "PULL",
        ["XPUB"] = "SUB, XSUB",
        ["XSUB"] = "PUB, XPUB",
    };

    private readonly EndPoint _target;
    private readonly string _where;
    private readonly TimeSpan _timeout;

    private EndpointProbe(EndPoint target, string where, TimeSpan timeout)
    {
        _target = target;
        _where = where;
        _timeout = timeout;
    }

    /// <summary>The reason the probe failed, set when <see cref="Run"/> returns null: one line naming the endpoint's problem.</summary>
    public string? Failure { get; private set; }

    /// <summary>Parses <c>tcp://host:port</c> or <c>ipc://path</c> (an optional CZMQ <c>&gt;</c> prefix is accepted); null with a reason otherwise.</summary>
    public static EndpointProbe? Parse(string endpoint, TimeSpan timeout, out string? error)
    {
        error = null;
        var text = endpoint.StartsWith('>') ? endpoint[1..] : endpoint;
        if (text.StartsWith("ipc://", StringComparison.Ordinal))
        {
            var path = text["ipc://".Length..];
            if (path.Length == 0 || path == "*")
            {
                error = $"'{endpoint}' names no ipc path to connect to (expected ipc:///path/to.sock or ipc://@name)";
                return null;
            }
            if (path.StartsWith('@') && !OperatingSystem.IsLinux())
            {
                error = $"'{endpoint}': abstract ipc names (ipc://@name) exist only on Linux";
                return null;
            }
            var ep = new UnixDomainSocketEndPoint(path.StartsWith('@') ? "\0" + path[1..] : path);
            return new EndpointProbe(ep, path, timeout);
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "tcp" || uri.Port <= 0 || uri.Host.Length == 0
            || uri.AbsolutePath is not ("" or "/") || uri.Host == "*")
        {
            error = $"'{endpoint}' is not an endpoint to connect to (expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:5555, or ipc:///path/to.sock)";
            return null;
        }
        var target = IPAddress.TryParse(uri.DnsSafeHost, out var ip) ? (EndPoint)new IPEndPoint(ip, uri.Port) : new DnsEndPoint(uri.DnsSafeHost, uri.Port);
        return new EndpointProbe(target, $"{uri.Host}:{uri.Port}", timeout);
    }

    /// <summary>
    /// Runs the probe, reporting each step (ok, name, elapsed ms, note); the result, or null when
    /// nothing speaking ZMTP 3 answered (then <see cref="Failure"/> says why).
    /// </summary>
    public ProbeResult? Run(Action<bool, string, double, string?> report)
    {
        using var cts = new CancellationTokenSource(_timeout);
        var token = cts.Token;
        var sw = Stopwatch.StartNew();
        bool ipc = _target is UnixDomainSocketEndPoint;
        using var sock = ipc
            ? new NetSocket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified)
            : new NetSocket(System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var stream = new ProbeStream(sock, token);

        string step = $"{(ipc ? "ipc" : "tcp")} connect {_where}";
        try
        {
            sock.ConnectAsync(_target, token).AsTask().GetAwaiter().GetResult();
            report(true, step, Ms(sw), null);

            step = "ZMTP greeting";
            var greeting = ReadGreeting(sock, stream);
            int major = greeting[10], minor = greeting[11];
            string mechanism = Encoding.ASCII.GetString(greeting, 12, 20).TrimEnd('\0');
            if (mechanism.Length == 0 || !mechanism.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_'))
                throw new ProbeFailed($"the peer's greeting names no valid security mechanism ({ZmtpGreeting.Show(greeting.AsSpan(12, 20))})");
            report(true, step, Ms(sw), $"ZMTP {major}.{minor}, mechanism {mechanism}");
            var empty = new Dictionary<string, string>();
            if (mechanism != "NULL")
            {
                report(true, $"{mechanism} handshake", Ms(sw), "not attempted: the peer needs credentials");
                return new ProbeResult(major, minor, mechanism, null, empty);
            }
            sock.Send(ZmtpGreeting.Ours.AsSpan(11));

            step = "ZMTP handshake (READY)";
            // libzmq sends its READY at once and drops us as soon as it reads a READY whose socket
            // type does not match its own: read theirs first, and send ours only to a peer that waits.
            if (!sock.Poll(TimeSpan.FromMilliseconds(500), SelectMode.SelectRead))
                sock.Send(ZmtpGreeting.Ready("DEALER"));
            var (name, body) = stream.ReadCommand();
            if (name == "ERROR")
            {
                string reason = body.Length > 0 ? Encoding.UTF8.GetString(body, 1, Math.Min(body[0], body.Length - 1)) : "";
                throw new ProbeFailed($"the peer refused the handshake with ERROR '{reason}'");
            }
            if (name != "READY")
                throw new ProbeFailed($"expected READY, the peer sent the command '{name}'");
            var props = ZmtpGreeting.Properties(body);
            props.TryGetValue("Socket-Type", out var type);
            var detail = type is null ? "the peer sent no Socket-Type" : $"peer is {type}" + (s_peers.TryGetValue(type, out var p) ? $" (talks to {p})" : "");
            report(true, step, Ms(sw), detail);
            return new ProbeResult(major, minor, mechanism, type, props);
        }
        catch (Exception ex) when (ex is OperationCanceledException || (ex is SocketException { SocketErrorCode: SocketError.OperationAborted } && token.IsCancellationRequested))
        {
            var got = stream.Received > 0 ? $" after {stream.Received} byte(s) ({stream.Show()})" : "";
            Fail(report, step, sw, step == "ZMTP greeting"
                ? $"no ZMTP greeting within {_timeout.TotalSeconds:0.###} s{got}: is this a ZeroMQ endpoint?"
                : $"no answer within {_timeout.TotalSeconds:0.###} s{got}");
        }
        catch (SocketException ex)
        {
            Fail(report, step, sw, ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused (nothing listens there)",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"unknown host '{(_target as DnsEndPoint)?.Host ?? _where}'",
                SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported when ipc && !_where.StartsWith('@') && !File.Exists(_where)
                    => "no socket file there (nothing listens there)",
                // A peer that closes at once resets the connection instead when our greeting reaches it
                // after the close: the same answer for the user either way.
                SocketError.ConnectionReset => stream.Received == 0
                    ? "the peer closed the connection without a word (reset): is this a ZeroMQ endpoint?"
                    : $"the peer closed the connection (reset) after {stream.Received} byte(s) ({stream.Show()})",
                _ => ex.Message,
            });
        }
        catch (ProbeFailed ex)
        {
            Fail(report, step, sw, ex.Message);
        }
        catch (EndOfStreamException)
        {
            Fail(report, step, sw, stream.Received == 0
                ? "the peer closed the connection without a word: is this a ZeroMQ endpoint?"
                : $"the peer closed the connection after {stream.Received} byte(s) ({stream.Show()})");
        }
        return null;
    }

    /// <summary>
    /// Sends our signature and major version, reads the peer's 64-byte greeting. Fails at the first
    /// byte that is not ZMTP, and on ZMTP 1.0/2.0 peers (their greeting is shorter).
    /// </summary>
    private static byte[] ReadGreeting(NetSocket sock, ProbeStream stream)
    {
        sock.Send(ZmtpGreeting.Ours.AsSpan(0, 11));
        var greeting = new byte[64];
        stream.ReadExactly(greeting.AsSpan(0, 1));
        if (greeting[0] != 0xFF)
            throw new ProbeFailed($"the peer does not speak ZMTP: it sent {stream.ShowWithMore()}; is this a ZeroMQ endpoint?");
        stream.ReadExactly(greeting.AsSpan(1, 10));
        if ((greeting[9] & 1) != 1)
            throw new ProbeFailed("the peer speaks ZMTP 1.0 (no version in its greeting, libzmq 2.x); this library needs ZMTP 3.0 or later");
        int major = greeting[10];
        if (major < 3)
            throw new ProbeFailed($"the peer speaks ZMTP {(major == 1 ? "2.0" : "1.0")} (libzmq 3.x or older); this library needs ZMTP 3.0 or later");
        stream.ReadExactly(greeting.AsSpan(11));
        return greeting;
    }

    private void Fail(Action<bool, string, double, string?> report, string step, Stopwatch sw, string reason)
    {
        report(false, step, Ms(sw), reason);
        Failure = reason;
    }

    private static double Ms(Stopwatch sw) => sw.Elapsed.TotalMilliseconds;
}

/// <summary>A probe step failed; the message says why, for the user.</summary>
internal sealed class ProbeFailed(string message) : Exception(message);
