using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Zmq.Tests.Infrastructure;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Tests.Options;

/// <summary>IMMEDIATE, CONNECT_TIMEOUT and TCP_KEEPALIVE with libzmq's meaning.</summary>
public sealed class ConnectionOptionsTests : IDisposable
{
    private readonly SocketScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void Immediate_False_QueuesToAConnectingPeer()
    {
        var push = _scope.Push();
        push.Connect($"tcp://127.0.0.1:{Ports.Free()}");
        Assert.True(push.TrySend("queued"u8)); // libzmq's default: the pipe exists from Connect on
    }

    [Fact]
    public void Immediate_True_QueuesOnlyToCompletedConnections()
    {
        var push = _scope.Push();
        push.Immediate = true;
        push.Connect($"tcp://127.0.0.1:{Ports.Free()}");      // nobody there
        Assert.False(push.TrySend("nowhere to go"u8));

        var pull = _scope.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        push.Connect(pull.LastEndpoint!);
        for (int i = 0; i < 20; i++) push.SendString("m" + i); // all go to the live peer, none to the absent one
        for (int i = 0; i < 20; i++) Assert.Equal("m" + i, pull.ReceiveString());
    }

    [Fact]
    public void ConnectTimeout_GivesUpOnAConnectThatHangs_AndRetries()
    {
        // A listener whose accept queue is full drops new SYNs, so a connect to it hangs.
        using var listener = new NetSocket(AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<NetSocket>();
        try
        {
            for (int i = 0; i < 8; i++)
            {
                var f = new NetSocket(AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                try { f.Connect(IPAddress.Loopback, port); } catch (SocketException) { }
                fillers.Add(f);
            }
            Thread.Sleep(100);

            var push = _scope.Push();
            push.ConnectTimeout = TimeSpan.FromMilliseconds(150);
            push.ReconnectInterval = TimeSpan.FromMilliseconds(10);
            using var monitor = push.Monitor(MonitorEventType.ConnectRetried | MonitorEventType.Connected);
            var sw = Stopwatch.StartNew();
            push.Connect($"tcp://127.0.0.1:{port}");
            int retries = 0;
            while (sw.Elapsed < TimeSpan.FromSeconds(3) && retries < 3)
            {
                if (monitor.TryRead(TimeSpan.FromMilliseconds(100), out var e) && e.Type == MonitorEventType.ConnectRetried) retries++;
            }
            // Without CONNECT_TIMEOUT one attempt waits for the kernel's SYN retries (1 s, then 3 s ...).
            Assert.True(retries >= 3, $"only {retries} retries in {sw.ElapsedMilliseconds} ms: the connect did not time out");
        }
        finally
        {
            foreach (var f in fillers) f.Dispose();
        }
    }

    [SkippableFact]
    public void TcpKeepalive_IsSetOnTheConnection()
    {
        // ss (iproute2) shows the kernel's keep-alive timer; without it there is nothing to look at.
        Skip.IfNot(OperatingSystem.IsLinux() && (File.Exists("/usr/bin/ss") || File.Exists("/bin/ss")), "needs Linux and ss (iproute2) to read the keep-alive timer");
        var pull = _scope.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        var push = _scope.Push();
        push.TcpKeepalive = 1;
        push.TcpKeepaliveIdle = 42;
        push.TcpKeepaliveInterval = 7;
        push.TcpKeepaliveCount = 3;
        push.Connect(pull.LastEndpoint!);
        push.SendString("up");
        Assert.Equal("up", pull.ReceiveString());
        int port = Ports.Parse(pull.LastEndpoint!).Port;
        // While data is unacknowledged ss shows the retransmission timer instead: look a few times.
        string output = "";
        for (int i = 0; i < 20 && !output.Contains("timer:(keepalive,"); i++)
        {
            var psi = new ProcessStartInfo("ss", ["-tno", "state", "established", $"( dport = :{port} )"]) { RedirectStandardOutput = true };
            using var ss = Process.Start(psi)!;
            output = ss.StandardOutput.ReadToEnd();
            ss.WaitForExit(5000);
            if (!output.Contains("timer:(keepalive,")) Thread.Sleep(100);
        }
        Assert.True(output.Contains("timer:(keepalive,"), "ss shows no keep-alive timer:\n" + output); // idle 42 s: about 41 s left
    }

    [Fact]
    public void TcpKeepalive_RejectsValuesLibzmqRejects()
    {
        var s = _scope.Push();
        Assert.Equal(ZmqError.InvalidOption, Assert.Throws<ZmqException>(() => s.TcpKeepalive = 2).Error);
        Assert.Equal(ZmqError.InvalidOption, Assert.Throws<ZmqException>(() => s.TcpKeepaliveIdle = 0).Error);
    }
}

/// <summary>SNDBUF, RCVBUF, BACKLOG and IPV6.</summary>
public sealed class BufferAndStackOptionsTests : IDisposable
{
    private readonly SocketScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void BufferSizesAndBacklog_RoundTripThroughSetOption_AndTrafficFlows()
    {
        var pull = _scope.Pull();
        pull.SetOption(SocketOption.RcvBuf, 65536);
        pull.SetOption(SocketOption.Backlog, 5);
        Assert.Equal(65536, pull.GetOption(SocketOption.RcvBuf));
        Assert.Equal(5, pull.GetOption(SocketOption.Backlog));
        pull.Bind("tcp://127.0.0.1:*");
        var push = _scope.Push();
        push.SendBufferSize = 32768;
        Assert.Equal(32768, push.GetOption(SocketOption.SndBuf));
        push.Connect(pull.LastEndpoint!);
        var big = new byte[200_000];
        for (int i = 0; i < 20; i++) push.Send(big);
        for (int i = 0; i < 20; i++) Assert.Equal(big.Length, pull.ReceiveBytes().Length);
    }

    [SkippableFact]
    public void Ipv6_WildcardBind_AcceptsIPv4AndIPv6Clients()
    {
        Skip.IfNot(Ports.IPv6LoopbackAvailable(), "::1 is not available on this machine");
        var pull = _scope.Pull();
        pull.Ipv6 = true;
        pull.Bind("tcp://*:*");
        Assert.StartsWith("tcp://[::]:", pull.LastEndpoint);
        int port = Ports.Parse(pull.LastEndpoint!.Replace("[::]", "[::1]")).Port;
        var v4 = _scope.Push();
        v4.Connect($"tcp://127.0.0.1:{port}");
        var v6 = _scope.Push();
        v6.Connect($"tcp://[::1]:{port}");
        v4.SendString("over IPv4");
        v6.SendString("over IPv6");
        var got = new[] { pull.ReceiveString(), pull.ReceiveString() };
        Assert.Contains("over IPv4", got);
        Assert.Contains("over IPv6", got);
    }

    [Fact]
    public void WithoutIpv6_AWildcardBindIsIPv4Only_AsLibzmq()
    {
        var pull = _scope.Pull();
        pull.Bind("tcp://*:*");
        Assert.StartsWith("tcp://0.0.0.0:", pull.LastEndpoint);
    }
}
