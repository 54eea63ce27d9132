using System.Net.Sockets;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Contract;

/// <summary>The tcp transport's answers to the contracts.</summary>
internal static class TcpTransport
{
    public const string BindEndpoint = "tcp://127.0.0.1:*";

    public static string NewFixedEndpoint() => $"tcp://127.0.0.1:{Ports.Free()}";

    public static void AssertNotListening(string endpoint)
    {
        var refused = Assert.Throws<SocketException>(() => RawPeer.Connect(endpoint).Dispose());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}

public sealed class TcpPatternTests : PatternContract
{
    protected override string BindEndpoint => TcpTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => TcpTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => TcpTransport.AssertNotListening(endpoint);
}

public sealed class TcpPubSubTests : PubSubContract
{
    protected override string BindEndpoint => TcpTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => TcpTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => TcpTransport.AssertNotListening(endpoint);
}

public sealed class TcpLifecycleTests : LifecycleContract
{
    protected override string BindEndpoint => TcpTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => TcpTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => TcpTransport.AssertNotListening(endpoint);
}

public sealed class TcpMessageTests : MessageContract
{
    protected override string BindEndpoint => TcpTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => TcpTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => TcpTransport.AssertNotListening(endpoint);
}

/// <summary>
/// The tcp contracts again on the portable poller (Socket.Select), which serves the I/O threads
/// where epoll does not exist (macOS, Windows): the same scenarios must pass on it.
/// </summary>
public sealed class TcpPortablePatternTests() : PatternContract(portablePoller: true)
{
    protected override string BindEndpoint => TcpTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => TcpTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => TcpTransport.AssertNotListening(endpoint);
}

public sealed class TcpPortablePubSubTests() : PubSubContract(portablePoller: true)
{
    protected override string BindEndpoint => TcpTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => TcpTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => TcpTransport.AssertNotListening(endpoint);
}

public sealed class TcpPortableLifecycleTests() : LifecycleContract(portablePoller: true)
{
    protected override string BindEndpoint => TcpTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => TcpTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => TcpTransport.AssertNotListening(endpoint);
}

public sealed class TcpPortableMessageTests() : MessageContract(portablePoller: true)
{
    protected override string BindEndpoint => TcpTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => TcpTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => TcpTransport.AssertNotListening(endpoint);
}
