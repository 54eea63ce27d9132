using System.Text;

namespace Zmq.Samples;

/// <summary>
/// The asynchronous API: an echo server on a ROUTER serves concurrent DEALER clients with
/// <see cref="Socket.ReceiveAsync"/> and <see cref="Socket.SendAsync(Message, CancellationToken)"/>
/// and stops when its token is cancelled; a receive bounded by a token's timer gives up cleanly.
/// Both complete synchronously when a message (or room) is already there, and await otherwise.
/// </summary>
internal static class AsyncSample
{
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        using var server = new RouterSocket("@tcp://127.0.0.1:*");
        using var stopServer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var serving = ServeAsync(server, stopServer.Token);

        await Task.WhenAll(Enumerable.Range(1, 3).Select(id => ClientAsync(id, server.LastEndpoint!, cancellationToken)));

        stopServer.Cancel();
        Console.WriteLine($"server: served {await serving} requests, stopped by its token");

        // A receive that gives up after 200 ms: cancel the token with a timer.
        using var lonely = new DealerSocket(">" + server.LastEndpoint);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(200));
        try
        {
            using var never = await lonely.ReceiveAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("client 4: nothing arrived within 200 ms, receive cancelled");
        }
    }

    private static async Task<int> ServeAsync(RouterSocket server, CancellationToken cancellationToken)
    {
        int served = 0;
        try
        {
            while (true)
            {
                using var request = await server.ReceiveAsync(cancellationToken); // [client id, text]
                using var reply = new Message().Add(request.GetSpan(0)).Add("echo: " + request.GetString(1));
                await server.SendAsync(reply, cancellationToken);
                served++;
            }
        }
        catch (OperationCanceledException)
        {
            return served;
        }
    }

    private static async Task ClientAsync(int id, string endpoint, CancellationToken cancellationToken)
    {
        using var client = new DealerSocket(">" + endpoint);
        for (int i = 1; i <= 2; i++)
        {
            await client.SendAsync(Encoding.UTF8.GetBytes($"hello #{i} from client {id}"), cancellationToken);
            using var reply = await client.ReceiveAsync(cancellationToken);
            Console.WriteLine($"client {id}: {reply.GetString(0)}");
        }
    }
}
