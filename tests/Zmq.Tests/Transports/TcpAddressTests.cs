using System.Net;
using Zmq.Transports;

namespace Zmq.Tests.Transports;

public class TcpAddressTests
{
    private static TcpAddress Parse(string address, bool bind) => TcpAddress.Parse(address, "tcp://" + address, SocketType.Push, bind);

    [Theory]
    [InlineData("127.0.0.1:5555", true, "127.0.0.1", 5555, false)]
    [InlineData("127.0.0.1:5555", false, "127.0.0.1", 5555, false)]
    [InlineData("localhost:1", false, "localhost", 1, false)]
    [InlineData("example.com:65535", false, "example.com", 65535, false)]
    [InlineData("*:5555", true, "*", 5555, true)]
    [InlineData("*:*", true, "*", 0, true)]
    [InlineData("127.0.0.1:*", true, "127.0.0.1", 0, false)]
    [InlineData("127.0.0.1:0", true, "127.0.0.1", 0, false)]
    [InlineData("[::1]:5555", false, "::1", 5555, false)]
    [InlineData("[::1]:*", true, "::1", 0, false)]
    [InlineData("[fe80::1%lo]:80", false, "fe80::1%lo", 80, false)]
    public void Parse_Valid(string address, bool bind, string host, int port, bool wildcard)
    {
        var parsed = Parse(address, bind); // a class now (StreamAddress), so compared by its parts
        Assert.Equal((host, port, wildcard), (parsed.Host, parsed.Port, parsed.Wildcard));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]          // no port
    [InlineData("127.0.0.1:", true)]         // empty port
    [InlineData(":5555", true)]              // no host
    [InlineData("[]:5555", true)]            // empty brackets
    [InlineData("host:abc", false)]
    [InlineData("host:-1", false)]
    [InlineData("host:+5", false)]
    [InlineData("host: 5", false)]
    [InlineData("host:65536", false)]
    [InlineData("host:99999999999", false)]
    [InlineData("::1:5555", false)]          // IPv6 without brackets
    [InlineData("host:*", false)]            // wildcard port only binds
    [InlineData("host:0", false)]
    [InlineData("*:5555", false)]            // cannot connect to *
    [InlineData("", true)]
    public void Parse_Invalid(string address, bool bind)
    {
        var ex = Assert.Throws<ZmqException>(() => Parse(address, bind));
        Assert.Equal(ZmqError.InvalidEndpoint, ex.Error);
        Assert.Equal("tcp://" + address, ex.Endpoint);
        Assert.Equal(SocketType.Push, ex.SocketType);
    }

    [Fact]
    public void Resolve_LiteralsNeedNoLookup()
    {
        Assert.Equal([IPAddress.Loopback], Parse("127.0.0.1:1", false).Resolve("e", SocketType.Pub));
        Assert.Equal([IPAddress.IPv6Loopback], Parse("[::1]:1", false).Resolve("e", SocketType.Pub));
        Assert.Equal([IPAddress.Any], Parse("*:1", true).Resolve("e", SocketType.Pub));
    }

    [Fact]
    public void Resolve_LocalhostPrefersIPv4()
    {
        var ips = Parse("localhost:1", false).Resolve("e", SocketType.Pub);
        Assert.NotEmpty(ips);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, ips[0].AddressFamily);
    }

    [Fact]
    public void Resolve_UnknownHost_IsHostNotFound()
    {
        var ex = Assert.Throws<ZmqException>(() => Parse("nonexistent.invalid:5555", false).Resolve("tcp://nonexistent.invalid:5555", SocketType.Dealer));
        Assert.Equal(ZmqError.HostNotFound, ex.Error);
        Assert.Contains("nonexistent.invalid", ex.Message);
        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public void Format_WritesLastEndpointStyle()
    {
        Assert.Equal("tcp://127.0.0.1:5555", TcpAddress.Format(new IPEndPoint(IPAddress.Loopback, 5555)));
        Assert.Equal("tcp://[::1]:80", TcpAddress.Format(new IPEndPoint(IPAddress.IPv6Loopback, 80)));
        Assert.Equal("tcp://0.0.0.0:1", TcpAddress.Format(new IPEndPoint(IPAddress.Any, 1)));
    }
}
