using Zmq.Transports;

namespace Zmq.Tests.Transports;

public class EndpointListTests
{
    [Fact]
    public void Prefixes_ChooseBindOrConnect()
    {
        var list = EndpointList.Parse("@tcp://*:1, >tcp://a:2,tcp://b:3", SocketType.Push).ToArray();
        Assert.Equal([(true, "tcp://*:1"), (false, "tcp://a:2"), (false, "tcp://b:3")], list);
    }

    [Theory]
    [InlineData(SocketType.Pub, true)]
    [InlineData(SocketType.XPub, true)]
    [InlineData(SocketType.Rep, true)]
    [InlineData(SocketType.Router, true)]
    [InlineData(SocketType.Pull, true)]
    [InlineData(SocketType.Sub, false)]
    [InlineData(SocketType.XSub, false)]
    [InlineData(SocketType.Req, false)]
    [InlineData(SocketType.Dealer, false)]
    [InlineData(SocketType.Push, false)]
    [InlineData(SocketType.Pair, false)]
    public void NoPrefix_TakesTheCzmqDefaultOfTheType(SocketType type, bool bind)
    {
        var (b, ep) = EndpointList.Parse("tcp://127.0.0.1:5555", type).Single();
        Assert.Equal(bind, b);
        Assert.Equal("tcp://127.0.0.1:5555", ep);
        // explicit prefixes override the default either way
        Assert.True(EndpointList.Parse("@tcp://x:1", type).Single().Bind);
        Assert.False(EndpointList.Parse(">tcp://x:1", type).Single().Bind);
    }

    [Fact]
    public void EmptyEntriesAndSpaces_AreIgnored()
    {
        Assert.Empty(EndpointList.Parse("", SocketType.Sub));
        Assert.Empty(EndpointList.Parse(" , ,", SocketType.Sub));
        Assert.Single(EndpointList.Parse(" tcp://a:1 ,", SocketType.Sub));
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:5555", "127.0.0.1:5555")]
    [InlineData("tcp://[::1]:*", "[::1]:*")]
    [InlineData("tcp://", "")]
    public void Split_Tcp(string endpoint, string address) =>
        Assert.Equal(("tcp", address), EndpointList.Split(endpoint, SocketType.Req));

    [Theory]
    [InlineData("ipc:///tmp/x", "ipc", "/tmp/x")]
    [InlineData("ipc://@abstract", "ipc", "@abstract")]
    [InlineData("ipc://*", "ipc", "*")]
    [InlineData("inproc://workers", "inproc", "workers")]
    public void Split_IpcAndInproc(string endpoint, string transport, string address) =>
        Assert.Equal((transport, address), EndpointList.Split(endpoint, SocketType.Req));

    [Theory]
    [InlineData("127.0.0.1:5555", "expected transport://address")]
    [InlineData("://x:1", "expected transport://address")]
    [InlineData("tcp:/x:1", "expected transport://address")]
    [InlineData("udp://x:1", "unknown transport 'udp'")]
    [InlineData("TCP://x:1", "unknown transport 'TCP'")]
    [InlineData("IPC:///tmp/x", "unknown transport 'IPC'")]
    [InlineData("pgm://eth0;239.192.1.1:5555", "supported: tcp, ipc, inproc")]
    public void Split_Invalid(string endpoint, string says)
    {
        var ex = Assert.Throws<ZmqException>(() => EndpointList.Split(endpoint, SocketType.Req));
        Assert.Equal(ZmqError.InvalidEndpoint, ex.Error);
        Assert.Contains(says, ex.Message);
        Assert.Equal(endpoint, ex.Endpoint);
    }
}
