using System.Text.RegularExpressions;
using Zmq.Diagnostics;
using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Diagnostics.MonitorExpect;

namespace Zmq.Tests.Diagnostics;

/// <summary>
/// The socket monitor's events over tcp and ipc as libzmq defines them: type, endpoint, peer
/// address, value and order, provoked for real (every event but ACCEPT_FAILED, which needs the
/// process to run out of file descriptors; its mapping is checked in <see cref="MonitorMappingTests"/>).
/// </summary>
public sealed partial class MonitorEventTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    [GeneratedRegex(@"^tcp://127\.0\.0\.1:\d+$")]
    private static partial Regex LoopbackTcp();

    [Fact]
    public void Bind_ReportsListening_WithTheBoundEndpointAndHandle()
    {
        var pull = S.Pull();
        using var mon = pull.Monitor();
        pull.Bind("tcp://127.0.0.1:*");
        var e = Expect(mon, MonitorEventType.Listening);
        Assert.Equal(pull.LastEndpoint, e.Endpoint);
        Assert.Matches(LoopbackTcp(), e.Endpoint);
        Assert.Null(e.PeerAddress);
        Assert.True(e.Value > 2, $"listening handle {e.Value}");
        Assert.Null(e.Reason);
        Assert.Equal("LISTENING", e.Name);
        Quiet(mon, TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void BindToAPortInUse_ReportsBindFailed_WithEADDRINUSE()
    {
        var first = S.Pull();
        first.Bind("tcp://127.0.0.1:*");
        var taken = first.LastEndpoint!;
        var second = S.Pull();
        using var mon = second.Monitor();
        var ex = Assert.Throws<ZmqException>(() => second.Bind(taken));
        Assert.Equal(ZmqError.AddressInUse, ex.Error);
        var e = Expect(mon, MonitorEventType.BindFailed);
        Assert.Equal(taken, e.Endpoint);
        Assert.Null(e.PeerAddress);
        Assert.Equal(Errno.EAddrInUse, e.Value);
        Assert.NotNull(e.Reason);
        if (OperatingSystem.IsLinux()) Assert.Equal(98, e.Value);
    }

    [Fact]
    public void BindToALiveIpcPath_ReportsBindFailed_WithEADDRINUSE()
    {
        var endpoint = Endpoints.NewIpc();
        var first = S.Pull();
        first.Bind(endpoint);
        var second = S.Pull();
        using var mon = second.Monitor();
        Assert.Throws<ZmqException>(() => second.Bind(endpoint));
        var e = Expect(mon, MonitorEventType.BindFailed);
        Assert.Equal(endpoint, e.Endpoint);
        Assert.Equal(Errno.EAddrInUse, e.Value);
    }

    [Fact]
    public void ConnectAcceptAndHandshake_InOrder_OnBothSides()
    {
        var pull = S.Pull();
        using var server = pull.Monitor();
        pull.Bind("tcp://127.0.0.1:*");
        var endpoint = pull.LastEndpoint!;
        var push = S.Push();
        using var client = push.Monitor();
        push.Connect(endpoint);
        push.SendString("hello");
        Assert.Equal("hello", pull.ReceiveString());

        // Client: CONNECT_DELAYED (tcp connect started) -> CONNECTED -> HANDSHAKE_SUCCEEDED.
        var delayed = Expect(client, MonitorEventType.ConnectDelayed);
        Assert.Equal(endpoint, delayed.Endpoint);
        Assert.Null(delayed.PeerAddress);
        Assert.Equal(Errno.EInProgress, delayed.Value);
        var connected = Expect(client, MonitorEventType.Connected);
        Assert.Equal(endpoint, connected.Endpoint);
        Assert.Equal(endpoint, connected.PeerAddress); // the peer of a connect is the server's address
        Assert.True(connected.Value > 2, $"connected handle {connected.Value}");
        var clientHandshake = Expect(client, MonitorEventType.HandshakeSucceeded);
        Assert.Equal(endpoint, clientHandshake.Endpoint);
        Assert.Equal(endpoint, clientHandshake.PeerAddress);
        Assert.Equal(0, clientHandshake.Value);

        // Server: LISTENING -> ACCEPTED -> HANDSHAKE_SUCCEEDED, naming the client's address.
        var listening = Expect(server, MonitorEventType.Listening);
        Assert.Equal(endpoint, listening.Endpoint);
        var accepted = Expect(server, MonitorEventType.Accepted);
        Assert.Equal(endpoint, accepted.Endpoint);
        Assert.Matches(LoopbackTcp(), accepted.PeerAddress!);
        Assert.NotEqual(endpoint, accepted.PeerAddress);
        Assert.True(accepted.Value > 2, $"accepted handle {accepted.Value}");
        Assert.NotEqual(listening.Value, accepted.Value);
        var serverHandshake = Expect(server, MonitorEventType.HandshakeSucceeded);
        Assert.Equal(accepted.PeerAddress, serverHandshake.PeerAddress);
        Assert.True(serverHandshake.Time >= accepted.Time);

        // The client goes away: the server sees DISCONNECTED on the same connection (same handle).
        push.Linger = TimeSpan.Zero;
        push.Dispose();
        var gone = Expect(server, MonitorEventType.Disconnected);
        Assert.Equal(endpoint, gone.Endpoint);
        Assert.Equal(accepted.PeerAddress, gone.PeerAddress);
        Assert.Equal(accepted.Value, gone.Value);
        Assert.Equal("peer closed the connection", gone.Reason);

        // The client's own view of its dispose: DISCONNECTED (closed by us), then MONITOR_STOPPED last.
        var mine = Expect(client, MonitorEventType.Disconnected);
        Assert.Equal(connected.Value, mine.Value);
        Assert.Equal("socket disposed", mine.Reason);
        Expect(client, MonitorEventType.MonitorStopped);
        Assert.False(client.TryRead(out _));
        Wait.Done(client.Completion, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void ServerDisposed_ClientSeesDisconnectedThenRetries_ServerSeesClosedDisconnectedStopped()
    {
        var pull = S.Pull();
        using var server = pull.Monitor();
        pull.Bind("tcp://127.0.0.1:*");
        var endpoint = pull.LastEndpoint!;
        var push = S.Push();
        push.ReconnectInterval = TimeSpan.FromMilliseconds(50);
        using var client = push.Monitor();
        push.Connect(endpoint);
        Until(client, MonitorEventType.HandshakeSucceeded);
        var listening = Expect(server, MonitorEventType.Listening);
        var accepted = Expect(server, MonitorEventType.Accepted);
        Expect(server, MonitorEventType.HandshakeSucceeded);

        pull.Linger = TimeSpan.Zero;
        pull.Dispose();

        // Server: the listener closes first (CLOSED, the listening handle), then its connection, then the monitor.
        var closed = Expect(server, MonitorEventType.Closed);
        Assert.Equal(endpoint, closed.Endpoint);
        Assert.Equal(listening.Value, closed.Value);
        var disconnected = Expect(server, MonitorEventType.Disconnected);
        Assert.Equal(accepted.Value, disconnected.Value);
        Assert.Equal("socket disposed", disconnected.Reason);
        var stopped = Expect(server, MonitorEventType.MonitorStopped);
        Assert.Equal("", stopped.Endpoint);
        Assert.Equal(0, stopped.Value);

        // Client: DISCONNECTED (peer closed) -> CONNECT_RETRIED with the interval -> attempts that fail.
        var lost = Expect(client, MonitorEventType.Disconnected);
        Assert.Equal(endpoint, lost.Endpoint);
        Assert.Equal(endpoint, lost.PeerAddress);
        var retried = Expect(client, MonitorEventType.ConnectRetried);
        Assert.Equal(endpoint, retried.Endpoint);
        Assert.InRange(retried.Value, 50, 99); // RECONNECT_IVL plus jitter below it, as libzmq
        Expect(client, MonitorEventType.ConnectDelayed);
        var refused = Expect(client, MonitorEventType.Closed); // the failed attempt's socket, as libzmq
        Assert.Equal(endpoint, refused.Endpoint);
        Assert.Equal("ConnectionRefused", refused.Reason);
        Assert.True(refused.Value > 2);
        Expect(client, MonitorEventType.ConnectRetried);
    }

    [Fact]
    public void ConnectRetried_CarriesTheBackedOffInterval()
    {
        var push = S.Push();
        push.ReconnectInterval = TimeSpan.FromMilliseconds(20);
        push.ReconnectIntervalMax = TimeSpan.FromMilliseconds(80);
        using var mon = push.Monitor(MonitorEventType.ConnectRetried);
        push.Connect($"tcp://127.0.0.1:{Ports.Free()}");
        // 20, 40, 80, 80 ms (doubling up to the maximum), each plus jitter below RECONNECT_IVL.
        foreach (var backoff in new[] { 20, 40, 80, 80 })
        {
            var e = Expect(mon, MonitorEventType.ConnectRetried);
            Assert.InRange(e.Value, backoff, backoff + 19);
            Assert.Equal("ConnectionRefused", e.Reason);
        }
    }

    [Fact]
    public void Unbind_ReportsClosed_WithTheListeningHandle()
    {
        var pull = S.Pull();
        using var mon = pull.Monitor();
        pull.Bind("tcp://127.0.0.1:*");
        var listening = Expect(mon, MonitorEventType.Listening);
        pull.Unbind(pull.LastEndpoint!);
        var closed = Expect(mon, MonitorEventType.Closed);
        Assert.Equal(listening.Endpoint, closed.Endpoint);
        Assert.Equal(listening.Value, closed.Value);
        Assert.Null(closed.PeerAddress);
    }

    [Fact]
    public void IpcUnbindThatCannotRemoveTheSocketFile_ReportsCloseFailed()
    {
        var endpoint = Endpoints.NewIpc();
        var path = Endpoints.IpcPath(endpoint);
        var pull = S.Pull();
        using var mon = pull.Monitor();
        pull.Bind(endpoint);
        Expect(mon, MonitorEventType.Listening);
        // Replace the socket file with a non-empty directory: removing it at unbind fails, even as root.
        File.Delete(path);
        Directory.CreateDirectory(path);
        try
        {
            File.WriteAllText(Path.Combine(path, "keep"), "x");
            pull.Unbind(endpoint);
            var e = Expect(mon, MonitorEventType.CloseFailed);
            Assert.Equal(endpoint, e.Endpoint);
            Assert.Equal(Errno.EAccess, e.Value); // .NET reports unlink(directory) as access denied
            Assert.NotNull(e.Reason);
            Quiet(mon, TimeSpan.FromMilliseconds(50)); // CLOSE_FAILED replaces CLOSED, as in libzmq
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public void Ipc_NoConnectDelayed_PeerAddresses()
    {
        var endpoint = Endpoints.NewIpc();
        var pull = S.Pull();
        using var server = pull.Monitor();
        pull.Bind(endpoint);
        var push = S.Push();
        using var client = push.Monitor();
        push.Connect(endpoint);

        var listening = Expect(server, MonitorEventType.Listening);
        Assert.Equal(endpoint, listening.Endpoint);
        var accepted = Expect(server, MonitorEventType.Accepted);
        Assert.Equal(endpoint, accepted.Endpoint);
        Assert.Null(accepted.PeerAddress); // an unnamed Unix socket
        Expect(server, MonitorEventType.HandshakeSucceeded);

        var connected = Expect(client, MonitorEventType.Connected); // no CONNECT_DELAYED: an ipc connect completes at once
        Assert.Equal(endpoint, connected.Endpoint);
        Assert.Equal(endpoint, connected.PeerAddress);
        Assert.True(connected.Value > 2);
        Expect(client, MonitorEventType.HandshakeSucceeded);
    }

    [Fact]
    public void Disconnect_ReportsDisconnected_AndNoRetry()
    {
        var pull = S.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        var endpoint = pull.LastEndpoint!;
        var push = S.Push();
        using var mon = push.Monitor();
        push.Connect(endpoint);
        Until(mon, MonitorEventType.HandshakeSucceeded);
        push.Disconnect(endpoint);
        var e = Expect(mon, MonitorEventType.Disconnected);
        Assert.Equal(endpoint, e.Endpoint);
        Assert.Equal("disconnected by the application", e.Reason);
        Quiet(mon, TimeSpan.FromMilliseconds(150)); // RECONNECT_IVL is 20 ms in tests: no CONNECT_RETRIED follows
    }

    [Fact]
    public void SecondPairPeer_HandshakeSucceedsThenIsRefused()
    {
        var pair = S.Pair();
        using var mon = pair.Monitor(MonitorEventType.HandshakeSucceeded | MonitorEventType.Disconnected);
        pair.Bind("tcp://127.0.0.1:*");
        var first = S.Pair();
        first.Connect(pair.LastEndpoint!);
        Expect(mon, MonitorEventType.HandshakeSucceeded);
        var second = S.Pair();
        second.Connect(pair.LastEndpoint!);
        Expect(mon, MonitorEventType.HandshakeSucceeded);
        var e = Expect(mon, MonitorEventType.Disconnected);
        Assert.StartsWith("refused by the socket", e.Reason);
    }

    [Fact]
    public void Lingering_close_is_reported_as_ours_not_as_the_peers()
    {
        var pull = S.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        var push = S.Push();
        push.Linger = TimeSpan.FromSeconds(2);
        using var mon = push.Monitor(MonitorEventType.Disconnected | MonitorEventType.HandshakeSucceeded);
        push.Connect(pull.LastEndpoint!);
        Expect(mon, MonitorEventType.HandshakeSucceeded);
        push.SendString("last words");
        Assert.Equal("last words", pull.ReceiveString());
        push.Dispose(); // half-closes, waits for the peer to close its side: that close is ours
        Assert.Equal("socket disposed", Expect(mon, MonitorEventType.Disconnected).Reason);
    }

    [Fact]
    public void LingerExpired_ReportsTheDroppedCount_BeforeMonitorStopped()
    {
        var push = S.Push();
        push.Linger = TimeSpan.FromMilliseconds(50);
        using var mon = push.Monitor(MonitorEventType.LingerExpired | MonitorEventType.MonitorStopped);
        push.Connect($"tcp://127.0.0.1:{Ports.Free()}"); // nobody there: messages stay queued
        for (int i = 0; i < 3; i++) push.SendString("never delivered");
        push.Dispose();
        var e = Expect(mon, MonitorEventType.LingerExpired);
        Assert.Equal(3, e.Value);
        Assert.Equal("", e.Endpoint);
        Assert.Contains("dropped", e.Reason);
        Expect(mon, MonitorEventType.MonitorStopped);
    }

    [Fact]
    public void LingerExpired_CountsMessagesWrittenThatThePeerNeverRead()
    {
        using var listener = new RawListener();
        var push = S.Push();
        push.Linger = TimeSpan.FromMilliseconds(300);
        push.SendHighWatermark = 10;
        using var mon = push.Monitor(MonitorEventType.LingerExpired | MonitorEventType.MonitorStopped);
        push.Connect(listener.Endpoint);
        using var peer = listener.Accept();
        peer.Socket.ReceiveBufferSize = 4096;
        peer.Handshake("PULL");
        // The peer reads nothing more: everything goes into the kernel's buffers, then the queue.
        var payload = new byte[16 * 1024];
        int sent = 0;
        while (sent < 400 && push.TrySend(payload, TimeSpan.FromMilliseconds(200))) sent++;
        Assert.True(sent >= 30, $"only {sent} messages could be queued");
        push.Dispose();
        var e = Expect(mon, MonitorEventType.LingerExpired);
        // Not just what was still queued: the estimate covers what sits unread in the kernel too.
        Assert.True(e.Value > 12 && e.Value >= sent - 10 && e.Value <= sent, $"LingerExpired {e.Value} for {sent} sent (queue 10)");
        Expect(mon, MonitorEventType.MonitorStopped);
    }

    [Fact]
    public void Inproc_RaisesNoEvents_AsInLibzmq()
    {
        var pull = S.Pull();
        using var mon = pull.Monitor();
        var endpoint = Endpoints.NewInproc();
        pull.Bind(endpoint);
        var push = S.Push();
        push.Connect(endpoint);
        push.SendString("x");
        Assert.Equal("x", pull.ReceiveString());
        Quiet(mon, TimeSpan.FromMilliseconds(50));
    }
}
