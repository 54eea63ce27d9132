using System.Net.Sockets;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Contract;

/// <summary>The ipc transport's answers to the contracts: Unix domain sockets, every scenario applies.</summary>
internal static class IpcTransport
{
    /// <summary>A fresh unique socket path in the temp directory, chosen by the library.</summary>
    public const string BindEndpoint = "ipc://*";

    public static string NewFixedEndpoint() => Endpoints.NewIpc();

    public static void AssertNotListening(string endpoint)
    {
        var path = Endpoints.IpcPath(endpoint);
        Assert.False(File.Exists(path), $"the socket file {path} is still there");
        Assert.Throws<SocketException>(() => Endpoints.ConnectUnix(path).Dispose());
    }
}

public sealed class IpcPatternTests : PatternContract
{
    protected override string BindEndpoint => IpcTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => IpcTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => IpcTransport.AssertNotListening(endpoint);
}

public sealed class IpcPubSubTests : PubSubContract
{
    protected override string BindEndpoint => IpcTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => IpcTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => IpcTransport.AssertNotListening(endpoint);
}

public sealed class IpcLifecycleTests : LifecycleContract
{
    protected override string BindEndpoint => IpcTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => IpcTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => IpcTransport.AssertNotListening(endpoint);
}

public sealed class IpcMessageTests : MessageContract
{
    protected override string BindEndpoint => IpcTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => IpcTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => IpcTransport.AssertNotListening(endpoint);
}

/// <summary>The ipc patterns and messages again on the portable poller (Unix domain sockets through Socket.Select).</summary>
public sealed class IpcPortablePatternTests() : PatternContract(portablePoller: true)
{
    protected override string BindEndpoint => IpcTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => IpcTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => IpcTransport.AssertNotListening(endpoint);
}

public sealed class IpcPortableMessageTests() : MessageContract(portablePoller: true)
{
    protected override string BindEndpoint => IpcTransport.BindEndpoint;
    protected override string NewFixedEndpoint() => IpcTransport.NewFixedEndpoint();
    protected override void AssertNotListening(string endpoint) => IpcTransport.AssertNotListening(endpoint);
}
