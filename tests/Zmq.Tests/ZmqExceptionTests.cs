namespace Zmq.Tests;

public class ZmqExceptionTests
{
    [Fact]
    public void Message_NamesSocketTypeEndpointAndCause()
    {
        var inner = new InvalidOperationException("boom");
        var ex = new ZmqException(ZmqError.AddressInUse, "address already in use", SocketType.XPub, "tcp://127.0.0.1:5555", inner);
        Assert.Equal("XPUB socket tcp://127.0.0.1:5555: address already in use (AddressInUse)", ex.Message);
        Assert.Equal(ZmqError.AddressInUse, ex.Error);
        Assert.Equal(SocketType.XPub, ex.SocketType);
        Assert.Equal("tcp://127.0.0.1:5555", ex.Endpoint);
        Assert.Same(inner, ex.InnerException);
    }

    [Fact]
    public void Message_WithoutEndpointOrType()
    {
        Assert.Equal("DEALER socket: x (InvalidState)", new ZmqException(ZmqError.InvalidState, "x", SocketType.Dealer).Message);
        Assert.Equal("socket: y (Network)", new ZmqException(ZmqError.Network, "y").Message);
    }

    [Fact]
    public void Timeout_IsAZmqException()
    {
        ZmqException ex = new ZmqTimeoutException("receive timed out", SocketType.Pull);
        Assert.Equal(ZmqError.Timeout, ex.Error);
        Assert.Equal("PULL socket: receive timed out (Timeout)", ex.Message);
    }

    [Fact]
    public void BadEndpoint_FromTheApi_NamesEverything()
    {
        using var push = new PushSocket();
        var ex = Assert.Throws<ZmqException>(() => push.Connect("tcp://127.0.0.1"));
        Assert.Equal(ZmqError.InvalidEndpoint, ex.Error);
        Assert.Contains("PUSH socket", ex.Message);
        Assert.Contains("tcp://127.0.0.1", ex.Message);
        Assert.Contains("InvalidEndpoint", ex.Message);
        Assert.Contains("expected tcp://host:port", ex.Message);
    }

    [Fact]
    public void Misuse_FromTheApi_NamesTheSocketType()
    {
        using var pull = new PullSocket();
        var ex = Assert.Throws<ZmqException>(() => pull.TrySend("x"u8));
        Assert.Equal(ZmqError.NotSupported, ex.Error);
        Assert.Equal(SocketType.Pull, ex.SocketType);
        Assert.StartsWith("PULL socket: sending is not supported", ex.Message);
    }
}
