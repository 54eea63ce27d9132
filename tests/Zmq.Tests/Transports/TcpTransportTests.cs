using System.Net;
using System.Text.RegularExpressions;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Transports;

/// <summary>tcp-specific behaviour of Bind/Connect: endpoint forms, LAST_ENDPOINT, errors, IPv6.</summary>
public sealed partial class TcpTransportTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    [GeneratedRegex(@"^tcp://127\.0\.0\.1:(\d+)$")]
    private static partial Regex LoopbackEndpoint();

    [Fact]
    public void LastEndpoint_AfterEphemeralBind_HasTheRealPort()
    {
        var pull = S.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        var match = LoopbackEndpoint().Match(pull.LastEndpoint!);
        Assert.True(match.Success, pull.LastEndpoint);
        Assert.InRange(int.Parse(match.Groups[1].Value), 1, 65535);
        pull.Bind("tcp://127.0.0.1:0"); // 0 is ephemeral too
        Assert.NotEqual(match.Value, pull.LastEndpoint);
        Assert.Matches(LoopbackEndpoint(), pull.LastEndpoint!);
    }

    [Fact]
    public void LastEndpoint_OfAFixedPortBind_IsThatEndpoint()
    {
        var port = Ports.Free();
        var pull = S.Pull();
        pull.Bind($"tcp://127.0.0.1:{port}");
        Assert.Equal($"tcp://127.0.0.1:{port}", pull.LastEndpoint);
    }

    [Fact]
    public void BindAllInterfaces_ReachableThroughLoopback()
    {
        var pull = S.Pull();
        pull.Bind("tcp://*:*");
        var port = Ports.Parse(pull.LastEndpoint!.Replace("0.0.0.0", "127.0.0.1")).Port;
        Assert.Equal($"tcp://0.0.0.0:{port}", pull.LastEndpoint);
        var push = S.Push();
        push.Connect($"tcp://127.0.0.1:{port}");
        push.SendString("any");
        Assert.Equal("any", pull.ReceiveString());
    }

    [Fact]
    public void ConnectByHostName()
    {
        var pull = S.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        var port = Ports.Parse(pull.LastEndpoint!).Port;
        var push = S.Push();
        push.Connect($"tcp://localhost:{port}");
        push.SendString("by name");
        Assert.Equal("by name", pull.ReceiveString());
    }

    [Fact]
    public void BindByHostName()
    {
        var pull = S.Pull();
        pull.Bind("tcp://localhost:*");
        Assert.Matches(LoopbackEndpoint(), pull.LastEndpoint!);
    }

    [SkippableFact]
    public void IPv6_Loopback()
    {
        Skip.IfNot(Ports.IPv6LoopbackAvailable(), "IPv6 loopback (::1) is not available on this machine");
        var pull = S.Pull();
        pull.Bind("tcp://[::1]:*");
        Assert.Matches(@"^tcp://\[::1\]:\d+$", pull.LastEndpoint!);
        var push = S.Push();
        push.Connect(pull.LastEndpoint!);
        push.SendFrames("over", "ipv6");
        Assert.Equal(["over", "ipv6"], pull.ReceiveStrings());

        var router = S.Router();
        router.Bind("tcp://[::1]:*");
        var dealer = S.Dealer();
        dealer.RoutingId = "v6"u8.ToArray();
        dealer.Connect(router.LastEndpoint!);
        dealer.SendString("hello");
        Assert.Equal(["v6", "hello"], router.ReceiveStrings());
    }

    /// <summary>
    /// BUG (Transports/Listener.cs, the ReuseAddress line in the constructor): on Linux (and macOS)
    /// .NET's SocketOptionName.ReuseAddress sets SO_REUSEPORT as well as SO_REUSEADDR, so a second
    /// socket (in this or any process of the same user) binds and listens on a port already bound,
    /// and the kernel then splits incoming connections between the two. libzmq sets only
    /// SO_REUSEADDR and fails with EADDRINUSE. Fix: set the raw SO_REUSEADDR option only
    /// (SetRawSocketOption(SOL_SOCKET, SO_REUSEADDR, 1): 1/2 on Linux, 0xFFFF/4 on macOS) and
    /// ExclusiveAddressUse on Windows.
    /// </summary>
    [Fact]
    [Trait("Category", "Regression")]
    [Trait("Bug", "second bind on a bound port succeeds (SO_REUSEPORT)")]
    public void BindTwiceOnTheSamePort_IsAddressInUse()
    {
        var first = S.Pull();
        first.Bind("tcp://127.0.0.1:*");
        var ep = first.LastEndpoint!;
        var second = S.Pull();
        var ex = Assert.Throws<ZmqException>(() => second.Bind(ep));
        Assert.Equal(ZmqError.AddressInUse, ex.Error);
        Assert.Equal(ep, ex.Endpoint);
        Assert.Contains("PULL socket " + ep, ex.Message);
        Assert.IsType<System.Net.Sockets.SocketException>(ex.InnerException);

        var same = Assert.Throws<ZmqException>(() => first.Bind(ep)); // the same socket too
        Assert.Equal(ZmqError.AddressInUse, same.Error);

        // the failed binds left nothing behind: the first one still works
        var push = S.Push();
        push.Connect(ep);
        push.SendString("ok");
        Assert.Equal("ok", first.ReceiveString());
    }

    [Fact]
    public void BindAfterUnbind_ReusesThePort()
    {
        var a = S.Pull();
        a.Bind("tcp://127.0.0.1:*");
        var ep = a.LastEndpoint!;
        a.Unbind(ep);
        var b = S.Pull();
        b.Bind(ep);
        Assert.Equal(ep, b.LastEndpoint);
    }

    [Fact]
    public void BindToAForeignAddress_IsAddressNotAvailable()
    {
        var pull = S.Pull();
        var ex = Assert.Throws<ZmqException>(() => pull.Bind("tcp://192.0.2.1:*")); // TEST-NET-1, not on this machine
        Assert.Equal(ZmqError.AddressNotAvailable, ex.Error);
    }

    [Theory]
    [InlineData("127.0.0.1:5555")]            // no transport
    [InlineData("tcp://127.0.0.1")]           // no port
    [InlineData("tcp://127.0.0.1:")]
    [InlineData("tcp://127.0.0.1:abc")]
    [InlineData("tcp://127.0.0.1:70000")]
    [InlineData("tcp://:5555")]
    [InlineData("tcp://::1:5555")]            // IPv6 without brackets
    [InlineData("udp://127.0.0.1:5555")]
    [InlineData("ipc://")]                    // no path
    [InlineData("inproc://")]                 // no name
    [InlineData("")]
    public void InvalidEndpoints_Bind(string endpoint)
    {
        var pull = S.Pull();
        var ex = Assert.Throws<ZmqException>(() => pull.Bind(endpoint));
        Assert.Equal(ZmqError.InvalidEndpoint, ex.Error);
        Assert.Equal(endpoint, ex.Endpoint);
        Assert.Null(pull.LastEndpoint);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:*")]         // wildcard port: bind only
    [InlineData("tcp://127.0.0.1:0")]
    [InlineData("tcp://*:5555")]              // wildcard host: bind only
    [InlineData("tcp://host")]
    [InlineData("tcp//host:1")]
    [InlineData("tcp://host:0x10")]
    public void InvalidEndpoints_Connect(string endpoint)
    {
        var push = S.Push();
        var ex = Assert.Throws<ZmqException>(() => push.Connect(endpoint));
        Assert.Equal(ZmqError.InvalidEndpoint, ex.Error);
        Assert.Equal(endpoint, ex.Endpoint);
        Assert.Null(push.LastEndpoint);
    }

    [Fact]
    public void InvalidEndpointInConstructor_ThrowsAndLeavesNothingOpen()
    {
        var ex = Assert.Throws<ZmqException>(() => new PullSocket("@tcp://127.0.0.1:*, @tcp://bad", S.Context));
        Assert.Equal(ZmqError.InvalidEndpoint, ex.Error);
    }

    [Fact]
    public void UnresolvableHost_IsHostNotFound()
    {
        var dealer = S.Dealer();
        var ex = Assert.Throws<ZmqException>(() => dealer.Connect("tcp://nonexistent.invalid:5555"));
        Assert.Equal(ZmqError.HostNotFound, ex.Error);
        Assert.Equal("tcp://nonexistent.invalid:5555", ex.Endpoint);
        Assert.Contains("nonexistent.invalid", ex.Message);
        Assert.Contains("DEALER", ex.Message);
        var bind = Assert.Throws<ZmqException>(() => dealer.Bind("tcp://nonexistent.invalid:*"));
        Assert.Equal(ZmqError.HostNotFound, bind.Error);
    }

    [Fact]
    public void ConnectToAClosedPort_DoesNotThrow_AndRetries()
    {
        var port = Ports.Free();
        var push = S.Push();
        push.Connect($"tcp://127.0.0.1:{port}"); // refused: retried in the background
        push.SendString("waits");
        var pull = S.Pull();
        pull.Bind($"tcp://127.0.0.1:{port}");
        Assert.Equal("waits", pull.ReceiveString());
    }

    [Fact]
    public void ManyConnections_ToOneBoundSocket()
    {
        var pull = S.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        var pushes = Enumerable.Range(0, 30).Select(_ => S.Push()).ToArray();
        foreach (var p in pushes) p.Connect(pull.LastEndpoint!);
        for (int i = 0; i < pushes.Length; i++) pushes[i].SendString("p" + i);
        var got = Enumerable.Range(0, pushes.Length).Select(_ => pull.ReceiveString()).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, pushes.Length).Select(i => "p" + i).Order(), got);
    }
}
