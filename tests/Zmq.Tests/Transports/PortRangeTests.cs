using System.Net;
using System.Net.Sockets;
using Zmq.Tests.Infrastructure;
using Zmq.Transports;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Tests.Transports;

/// <summary>Bind returns the port, and CZMQ's port ranges (*[first-last], !, ![first-last]) pick within them.</summary>
public sealed class PortRangeTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    private static int PortOf(Socket s) => Ports.Parse(s.LastEndpoint!).Port;

    [Theory]
    [InlineData("127.0.0.1:*[60000-]", 60000, PortRange.DynamicLast, false)]
    [InlineData("127.0.0.1:!", PortRange.DynamicFirst, PortRange.DynamicLast, true)]
    [InlineData("127.0.0.1:![-60000]", PortRange.DynamicFirst, 60000, true)]
    [InlineData("*:![55000-55999]", 55000, 55999, true)]
    [InlineData("[::1]:*[-]", PortRange.DynamicFirst, PortRange.DynamicLast, false)]
    [InlineData("127.0.0.1:*[7-7]", 7, 7, false)]
    public void Parse_Ranges(string address, int first, int last, bool random)
    {
        Assert.True(PortRange.TryParse(address, "tcp://" + address, SocketType.Pull, out var r));
        Assert.Equal((first, last, random), (r.First, r.Last, r.Random));
        Assert.Equal(address[..address.LastIndexOf(':')], r.Host);
        var candidates = r.Candidates().ToList();
        Assert.Equal(last - first + 1, candidates.Count);
        Assert.Equal(candidates.Count, candidates.Distinct().Count());
        Assert.All(candidates, p => Assert.InRange(p, first, last));
        if (!random) Assert.Equal(first, candidates[0]);
    }

    [Theory]
    [InlineData("127.0.0.1:*")]       // an OS-assigned port, as libzmq
    [InlineData("127.0.0.1:5555")]
    [InlineData("127.0.0.1:0")]
    public void NotARange(string address) => Assert.False(PortRange.TryParse(address, "tcp://" + address, SocketType.Pull, out _));

    [Theory]
    [InlineData("127.0.0.1:*[60000]")]
    [InlineData("127.0.0.1:*60000-")]
    [InlineData("127.0.0.1:![x-]")]
    [InlineData("127.0.0.1:*[0-10]")]
    [InlineData("127.0.0.1:*[-70000]")]
    [InlineData("127.0.0.1:*[600-500]")]
    [InlineData("127.0.0.1:!!")]
    public void Malformed_IsAnInvalidEndpoint(string address)
    {
        var e = Assert.Throws<ZmqException>(() => PortRange.TryParse(address, "tcp://" + address, SocketType.Pull, out _));
        Assert.Equal(ZmqError.InvalidEndpoint, e.Error);
    }

    [Fact]
    public void Bind_ReturnsTheTcpPort_AndZeroForIpcAndInproc()
    {
        var pull = S.Add(new PullSocket());
        int port = pull.Bind("tcp://127.0.0.1:*");
        Assert.True(port > 0);
        Assert.Equal(port, PortOf(pull));
        int fixedPort = Ports.Free();
        Assert.Equal(fixedPort, S.Add(new PullSocket()).Bind($"tcp://127.0.0.1:{fixedPort}"));
        Assert.Equal(0, S.Add(new PullSocket()).Bind($"ipc://{Path.Combine(Path.GetTempPath(), $"zmq-range-{Guid.NewGuid():N}.sock")}"));
        Assert.Equal(0, S.Add(new PullSocket()).Bind($"inproc://range-{Guid.NewGuid():N}"));
    }

    [Fact]
    public void RandomInRange_BindsThere_AndCarriesMessages()
    {
        var pull = S.Add(new PullSocket());
        int port = pull.Bind("tcp://127.0.0.1:![55000-55999]");
        Assert.InRange(port, 55000, 55999);
        Assert.Equal($"tcp://127.0.0.1:{port}", pull.LastEndpoint);
        var push = S.Add(new PushSocket());
        push.Connect(pull.LastEndpoint!);
        push.SendString("in range");
        Assert.Equal("in range", pull.ReceiveString());
        pull.Unbind(pull.LastEndpoint!);
    }

    [Fact]
    public void FirstFree_SkipsTakenPorts_AndAFullRangeIsAddressInUse()
    {
        int p = TwoFreePorts();
        var a = S.Add(new PullSocket());
        Assert.Equal(p, a.Bind($"tcp://127.0.0.1:*[{p}-{p + 1}]"));
        var b = S.Add(new PullSocket());
        Assert.Equal(p + 1, b.Bind($"tcp://127.0.0.1:*[{p}-{p + 1}]"));
        var c = S.Add(new PullSocket());
        var e = Assert.Throws<ZmqException>(() => c.Bind($"tcp://127.0.0.1:![{p}-{p + 1}]"));
        Assert.Equal(ZmqError.AddressInUse, e.Error);
        Assert.Contains($"{p}-{p + 1}", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A port that is free, with the next one free too (checked by binding both).</summary>
    private static int TwoFreePorts()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int p = Ports.Free();
            if (p >= 65535) continue;
            using var probe = new NetSocket(AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, p + 1));
                return p;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }
        throw new InvalidOperationException("no two consecutive free ports");
    }
}
