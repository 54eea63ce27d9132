using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Cli.Doctor;

/// <summary>
/// <c>zmq doctor ENDPOINT</c>: checks that a remote ZeroMQ endpoint answers, step by step, with a
/// plain tcp socket speaking just enough ZMTP to learn what is there: tcp connect, the 64-byte
/// greeting (version and security mechanism), and with the NULL mechanism the peer's READY
/// command (its socket type). A library socket cannot tell whether its handshake completed, so
/// the probe does the handshake itself; it reads the peer's READY before
/// sending its own (as a DEALER, and only to a peer that waits for it) and sends no message.
/// </summary>
internal sealed class EndpointProbe(string host, int port, TimeSpan timeout)
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

    /// <summary>Parses <c>tcp://host:port</c> (an optional CZMQ <c>&gt;</c> prefix is accepted); null with a reason otherwise.</summary>
    public static EndpointProbe? Parse(string endpoint, TimeSpan timeout, out string? error)
    {
        error = null;
        var text = endpoint.StartsWith('>') ? endpoint[1..] : endpoint;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "tcp" || uri.Port <= 0 || uri.Host.Length == 0
            || uri.AbsolutePath is not ("" or "/"))
        {
            error = $"'{endpoint}' is not a tcp endpoint to connect to (expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:5555)";
            return null;
        }
        return new EndpointProbe(uri.DnsSafeHost, uri.Port, timeout);
    }

    /// <summary>Runs the probe, reporting each step (ok, name, elapsed ms, note); true when the handshake got as far as it can without credentials.</summary>
    public bool Run(Action<bool, string, double, string?> report)
    {
        using var cts = new CancellationTokenSource(timeout);
        var token = cts.Token;
        var sw = Stopwatch.StartNew();
        using var sock = new NetSocket(System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

        string step = $"tcp connect {host}:{port}";
        try
        {
            sock.ConnectAsync(host, port, token).AsTask().GetAwaiter().GetResult();
            report(true, step, Ms(sw), null);

            // The greeting in the steps libzmq itself uses (signature, then major version, then
            // the rest), so that the peer's mechanism is known before ours is sent: a CURVE or
            // PLAIN server closes the connection as soon as it sees a NULL greeting.
            step = "ZMTP greeting";
            var ours = Greeting();
            var greeting = new byte[64];
            sock.Send(ours.AsSpan(0, 10));
            ReadExactly(sock, greeting.AsMemory(0, 10), token);
            if (greeting[0] != 0xFF || (greeting[9] & 1) != 1)
                throw new ProbeFailed("the peer does not speak ZMTP 2.0 or later (no ZMTP signature); is this a ZeroMQ endpoint?");
            sock.Send(ours.AsSpan(10, 1));
            ReadExactly(sock, greeting.AsMemory(10, 1), token);
            int major = greeting[10];
            if (major < 3)
                throw new ProbeFailed($"the peer speaks ZMTP {(major == 1 ? "2.0" : "1.0")} (libzmq 3.x or older); this library needs ZMTP 3.0 or later");
            ReadExactly(sock, greeting.AsMemory(11), token);
            string mechanism = Encoding.ASCII.GetString(greeting, 12, 20).TrimEnd('\0');
            report(true, step, Ms(sw), $"ZMTP {major}.{greeting[11]}, mechanism {mechanism}");

            if (mechanism != "NULL")
            {
                report(true, $"{mechanism} handshake", Ms(sw), "not attempted: needs credentials");
                return true;
            }
            sock.Send(ours.AsSpan(11));

            step = "ZMTP handshake (READY)";
            // libzmq sends its READY at once, and drops us as soon as it reads a READY whose
            // socket type does not match its own: read theirs first, and send ours only to a peer
            // that waits for it.
            if (!sock.Poll(TimeSpan.FromMilliseconds(500), SelectMode.SelectRead))
                sock.Send(Ready("DEALER"));
            var (name, body) = ReadCommand(sock, token);
            if (name == "ERROR")
            {
                string reason = body.Length > 0 ? Encoding.UTF8.GetString(body, 1, Math.Min(body[0], body.Length - 1)) : "";
                throw new ProbeFailed($"the peer sent ERROR: {reason}");
            }
            if (name != "READY")
                throw new ProbeFailed($"expected READY, the peer sent the command '{name}'");
            var props = Properties(body);
            props.TryGetValue("Socket-Type", out var type);
            var detail = type is null ? "the peer sent no Socket-Type" : $"peer is {type}" + (s_peers.TryGetValue(type, out var p) ? $" (talks to {p})" : "");
            report(true, step, Ms(sw), detail);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException || (ex is SocketException { SocketErrorCode: SocketError.OperationAborted } && token.IsCancellationRequested))
        {
            report(false, step, Ms(sw), $"no answer within {timeout.TotalSeconds:0.#} s" + (step == "ZMTP greeting" ? " (is this a ZeroMQ endpoint?)" : ""));
        }
        catch (SocketException ex)
        {
            report(false, step, Ms(sw), ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused (nothing listens there)",
                SocketError.HostNotFound or SocketError.NoData => $"unknown host '{host}'",
                _ => ex.Message,
            });
        }
        catch (ProbeFailed ex)
        {
            report(false, step, Ms(sw), ex.Message);
        }
        catch (EndOfStreamException)
        {
            report(false, step, Ms(sw), "the peer closed the connection");
        }
        return false;
    }

    private static double Ms(Stopwatch sw) => sw.Elapsed.TotalMilliseconds;

    private static byte[] Greeting()
    {
        var g = new byte[64];
        g[0] = 0xFF;
        g[9] = 0x7F;
        g[10] = 3;
        g[11] = 1;
        "NULL"u8.CopyTo(g.AsSpan(12));
        return g; // as-server 0, filler zeros
    }

    private static byte[] Ready(string socketType)
    {
        var body = new List<byte> { 5 };
        body.AddRange("READY"u8.ToArray());
        body.Add((byte)"Socket-Type".Length);
        body.AddRange(Encoding.ASCII.GetBytes("Socket-Type"));
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, socketType.Length);
        body.AddRange(len);
        body.AddRange(Encoding.ASCII.GetBytes(socketType));
        return [0x04, (byte)body.Count, .. body];
    }

    private static (string Name, byte[] Body) ReadCommand(NetSocket sock, CancellationToken token)
    {
        var head = new byte[9];
        ReadExactly(sock, head.AsMemory(0, 1), token);
        byte flags = head[0];
        if ((flags & 0x04) == 0) throw new ProbeFailed($"expected a command frame, got flags 0x{flags:X2}");
        long size;
        if ((flags & 0x02) != 0)
        {
            ReadExactly(sock, head.AsMemory(1, 8), token);
            size = BinaryPrimitives.ReadInt64BigEndian(head.AsSpan(1));
        }
        else
        {
            ReadExactly(sock, head.AsMemory(1, 1), token);
            size = head[1];
        }
        if (size is < 1 or > 65536) throw new ProbeFailed($"implausible command size {size}");
        var frame = new byte[size];
        ReadExactly(sock, frame, token);
        int nameLength = frame[0];
        if (nameLength + 1 > frame.Length) throw new ProbeFailed("malformed command frame");
        return (Encoding.ASCII.GetString(frame, 1, nameLength), frame[(1 + nameLength)..]);
    }

    private static Dictionary<string, string> Properties(byte[] body)
    {
        var props = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < body.Length)
        {
            int n = body[i++];
            if (i + n + 4 > body.Length) break;
            var name = Encoding.ASCII.GetString(body, i, n);
            i += n;
            int v = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(i));
            i += 4;
            if (v < 0 || i + v > body.Length) break;
            props[name] = Encoding.UTF8.GetString(body, i, v);
            i += v;
        }
        return props;
    }

    private static void ReadExactly(NetSocket sock, Memory<byte> into, CancellationToken token)
    {
        while (into.Length > 0)
        {
            int n = sock.ReceiveAsync(into, SocketFlags.None, token).AsTask().GetAwaiter().GetResult();
            if (n == 0) throw new EndOfStreamException();
            into = into[n..];
        }
    }

    private sealed class ProbeFailed(string message) : Exception(message);
}
