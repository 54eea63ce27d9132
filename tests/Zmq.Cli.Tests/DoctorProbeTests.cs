using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Zmq.Cli.Tests;

/// <summary>
/// <c>zmq doctor ENDPOINT</c>: the version, mechanism and (NULL) socket type of libzmq and of our own
/// sockets over tcp and ipc; exit 1 with one clear stderr line when nothing speaking ZMTP answers.
/// </summary>
public sealed class DoctorProbeTests
{
    private static CliResult Probe(string endpoint, params string[] more) =>
        CliProcess.Run("", TimeSpan.FromSeconds(20), ["doctor", endpoint, .. more]);

    private static void AssertFound(CliResult r, string endpoint, string mechanism, string? type)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stderr);
        var summary = r.Stdout[^1];
        Assert.StartsWith($"doctor: {endpoint} is a ZeroMQ {(type is null ? "" : type + " ")}socket", summary, StringComparison.Ordinal);
        Assert.Contains("ZMTP 3.1", summary, StringComparison.Ordinal);
        Assert.Contains($"mechanism {mechanism}", summary, StringComparison.Ordinal);
        if (type is not null)
            Assert.Contains(r.Stdout, l => l.Contains($"peer is {type}", StringComparison.Ordinal));
    }

    private static void AssertNoZmtp(CliResult r, string endpoint, string reason)
    {
        Assert.True(r.ExitCode == 1, r.ToString());
        var line = Assert.Single(r.StderrLines);
        Assert.Contains(endpoint, line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Contains(r.Stdout, l => l.StartsWith("FAIL", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [InlineData("REP", "tcp://127.0.0.1:*", "", "NULL", "REP")]
    [InlineData("PUB", "tcp://127.0.0.1:*", "", "NULL", "PUB")]
    [InlineData("DEALER", "ipc://*", "", "NULL", "DEALER")]
    [InlineData("ROUTER", "tcp://127.0.0.1:*", "s.curve_server = True; s.curve_secretkey = zmq.curve_keypair()[1]", "CURVE", null)]
    [InlineData("PULL", "tcp://127.0.0.1:*", "s.plain_server = True", "PLAIN", null)]
    [InlineData("ROUTER", "ipc://*", "s.curve_server = True; s.curve_secretkey = zmq.curve_keypair()[1]", "CURVE", null)]
    public void Probe_names_a_libzmq_sockets_version_mechanism_and_type(string type, string bind, string setup, string mechanism, string? expectedType)
    {
        PyPeer.Require();
        using var peer = PyPeer.Bound(type, bind, setup);
        var endpoint = peer.WaitReady();
        AssertFound(Probe(endpoint), endpoint, mechanism, expectedType);
    }

    [Fact]
    public void Probe_names_our_own_ROUTER_over_tcp_and_PULL_over_ipc()
    {
        using var router = new RouterSocket("@tcp://127.0.0.1:*");
        AssertFound(Probe(router.LastEndpoint!), router.LastEndpoint!, "NULL", "ROUTER");
        using var pull = new PullSocket("@ipc://*");
        AssertFound(Probe(pull.LastEndpoint!), pull.LastEndpoint!, "NULL", "PULL");
    }

    [Fact]
    public void Probe_names_our_own_CURVE_server()
    {
        using var server = new PullSocket();
        server.MakeCurveServer(CurveKeyPair.Generate());
        server.Bind("tcp://127.0.0.1:*");
        AssertFound(Probe(server.LastEndpoint!), server.LastEndpoint!, "CURVE", null);
    }

    [Fact]
    public void Probe_of_a_tcp_server_that_answers_garbage_exits_1()
    {
        using var listener = Listen(out var endpoint, c => c.Send("HTTP/1.1 400 Bad Request\r\n\r\n"u8));
        AssertNoZmtp(Probe(endpoint), endpoint, "does not speak ZMTP: it sent 'HTTP/1.1 400 Bad Request");
    }

    [Fact]
    public void Probe_of_a_tcp_server_that_says_nothing_exits_1_after_the_timeout()
    {
        using var listener = Listen(out var endpoint, _ => { });
        AssertNoZmtp(Probe(endpoint, "--timeout", "0.5"), endpoint, "no ZMTP greeting within 0.5 s");
    }

    [Fact]
    public void Probe_of_a_tcp_server_that_hangs_up_exits_1()
    {
        using var listener = Listen(out var endpoint, c => c.Close());
        var r = Probe(endpoint);
        // A close that finds our greeting unread is a reset (RST) instead of an end of stream: both are named.
        AssertNoZmtp(r, endpoint, "the connection");
        Assert.True(r.Stderr.Contains("closed the connection", StringComparison.Ordinal) || r.Stderr.Contains("reset the connection", StringComparison.Ordinal), r.ToString());
    }

    [Fact]
    public void Probe_of_a_tcp_server_that_resets_the_connection_exits_1_as_one_that_hangs_up()
    {
        // A close that reaches the probe as a reset (here at once: linger 0; it also happens when the
        // probe's greeting arrives after a plain close) is reported as the peer closing the connection.
        using var listener = Listen(out var endpoint, c =>
        {
            c.LingerState = new LingerOption(true, 0);
            c.Close();
        });
        AssertNoZmtp(Probe(endpoint), endpoint, "closed the connection");
    }

    [Fact]
    public void Probe_of_a_closed_port_exits_1()
    {
        var endpoint = $"tcp://127.0.0.1:{Zmq.Tests.Infrastructure.Ports.Free()}";
        AssertNoZmtp(Probe(endpoint), endpoint, "connection refused");
    }

    [Fact]
    public void Probe_of_a_missing_ipc_path_exits_1()
    {
        var endpoint = "ipc://" + Path.Combine(Path.GetTempPath(), $"zmq-doctor-missing-{Guid.NewGuid():N}.sock");
        AssertNoZmtp(Probe(endpoint), endpoint, "nothing listens there");
    }

    [Theory]
    [InlineData("http://127.0.0.1:80")]
    [InlineData("tcp://127.0.0.1")]
    [InlineData("ipc://")]
    public void Probe_of_a_malformed_endpoint_is_a_usage_error(string endpoint)
    {
        var r = Probe(endpoint);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(endpoint, Assert.Single(r.StderrLines), StringComparison.Ordinal);
    }

    /// <summary>A raw tcp listener on 127.0.0.1 that runs <paramref name="onAccept"/> on each connection and keeps it open.</summary>
    private static IDisposable Listen(out string endpoint, Action<System.Net.Sockets.Socket> onAccept)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        endpoint = $"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var kept = new List<System.Net.Sockets.Socket>();
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var c = await listener.AcceptSocketAsync();
                    lock (kept) kept.Add(c);
                    onAccept(c);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        });
        return new Closer(() =>
        {
            listener.Stop();
            lock (kept) kept.ForEach(c => c.Dispose());
        });
    }

    private sealed class Closer(Action close) : IDisposable
    {
        public void Dispose() => close();
    }
}
