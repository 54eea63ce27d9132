using System.Text;

namespace Zmq.Samples;

/// <summary>
/// The guide's asyncsrv: clients are DEALERs (they may send several requests without waiting);
/// the server's ROUTER frontend receives [client id, request], a DEALER backend deals the requests
/// to worker DEALERs over inproc, and replies [client id, reply] find their way back through the
/// ROUTER to the client with that id. Replies can come back in any order.
/// </summary>
internal static class DealerRouter
{
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        using var context = new Context();
        using var frontend = new RouterSocket("@tcp://127.0.0.1:*", context);
        using var backend = new DealerSocket("@inproc://backend", context);
        Console.WriteLine($"server: frontend {frontend.LastEndpoint}, backend inproc://backend");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var proxy = Task.WhenAll(
            Forwarding.ForwardAsync(frontend, backend, stop.Token),
            Forwarding.ForwardAsync(backend, frontend, stop.Token));
        var workers = Enumerable.Range(1, 2)
            .Select(id => WorkAsync(id, new DealerSocket(">inproc://backend", context), stop.Token))
            .ToArray();

        var clients = Enumerable.Range(1, 3)
            .Select(id => Threads.Start(() => Client($"client-{id}", frontend.LastEndpoint!)))
            .ToArray();
        await Task.WhenAll(clients);

        stop.Cancel();
        await Task.WhenAll([proxy, .. workers]);
    }

    private static void Client(string name, string endpoint)
    {
        // RoutingId must be set before connecting, so the endpoint is attached afterwards.
        using var client = new DealerSocket { RoutingId = Encoding.UTF8.GetBytes(name), ReceiveTimeout = TimeSpan.FromSeconds(5) };
        client.Connect(endpoint);
        for (int i = 1; i <= 3; i++) client.SendString($"request #{i}"); // no waiting in between: DEALER is asynchronous
        for (int i = 1; i <= 3; i++) Console.WriteLine($"{name}: received '{client.ReceiveString()}'");
    }

    private static async Task WorkAsync(int id, DealerSocket worker, CancellationToken cancellationToken)
    {
        using (worker)
        {
            try
            {
                while (true)
                {
                    using var request = await worker.ReceiveAsync(cancellationToken); // [client id, request]
                    string client = request.GetString(0);
                    string text = request.GetString(1);
                    await Task.Delay(Random.Shared.Next(1, 30), cancellationToken); // "work"
                    using var reply = new Message().Add(request.GetSpan(0)).Add($"reply to {text} from worker {id}");
                    worker.Send(reply);
                    Console.WriteLine($"worker {id}: answered {client}'s {text}");
                }
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        }
    }
}
