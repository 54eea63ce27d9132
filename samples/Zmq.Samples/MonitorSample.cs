namespace Zmq.Samples;

/// <summary>
/// Socket monitoring (libzmq's zmq_socket_monitor): every connection event of a server and a
/// client, read asynchronously from <see cref="SocketMonitor.ReadAllAsync"/> while they talk.
/// Create the monitor before Bind/Connect to see LISTENING and CONNECTED too.
/// </summary>
internal static class MonitorSample
{
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        using var server = new RepSocket();
        using var serverEvents = server.Monitor();
        var serverDisconnected = new TaskCompletionSource();
        var serverLog = PrintAsync("server", serverEvents, serverDisconnected, cancellationToken);
        server.Bind("tcp://127.0.0.1:*");

        using var client = new ReqSocket();
        using var clientEvents = client.Monitor();
        var clientLog = PrintAsync("client", clientEvents, null, cancellationToken);
        client.Connect(server.LastEndpoint!);

        client.SendString("ping");
        Console.WriteLine($"server: received {server.ReceiveString()}");
        server.SendString("pong");
        Console.WriteLine($"client: received {client.ReceiveString()}");

        client.Dispose();             // close it now (Dispose is idempotent); its monitor ends with MONITOR_STOPPED
        await clientLog;
        await serverDisconnected.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        serverEvents.Dispose();       // stop monitoring; the server goes on
        await serverLog;
    }

    private static async Task PrintAsync(string name, SocketMonitor monitor, TaskCompletionSource? disconnected, CancellationToken cancellationToken)
    {
        await foreach (var e in monitor.ReadAllAsync(cancellationToken))
        {
            Console.WriteLine($"{name} event: {e}");
            if (e.Type == MonitorEventType.Disconnected) disconnected?.TrySetResult();
        }
    }
}
