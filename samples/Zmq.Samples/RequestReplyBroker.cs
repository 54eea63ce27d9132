using Zmq.Toolkit;

namespace Zmq.Samples;

/// <summary>
/// The guide's rrbroker (with rrclient and rrworker): REQ clients and REP workers never see each
/// other; both connect to a broker that is nothing but the toolkit's <see cref="Proxy"/> between a
/// ROUTER frontend and a DEALER backend. The ROUTER puts each client's routing id in front of its
/// request, the DEALER deals the requests out to the workers in turn, and the replies come back
/// the same way with the routing id still in front, so the ROUTER knows which client to answer.
/// Clients and workers can come and go: only the broker's address is fixed.
/// </summary>
internal static class RequestReplyBroker
{
    private const int Clients = 3;
    private const int RequestsPerClient = 4;
    private const int Workers = 2;

    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        using var frontend = new RouterSocket("@tcp://127.0.0.1:*"); // clients connect here
        using var backend = new DealerSocket("@tcp://127.0.0.1:*");  // workers connect here
        using var proxy = new Proxy(frontend, backend);
        var brokering = proxy.Start(cancellationToken: cancellationToken); // zmq_proxy on a thread of its own
        Console.WriteLine($"broker: clients at {frontend.LastEndpoint}, workers at {backend.LastEndpoint}");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = Enumerable.Range(1, Workers)
            .Select(id => Threads.Start(() => Work(id, backend.LastEndpoint!, stop.Token)))
            .ToArray();
        var clients = Enumerable.Range(1, Clients)
            .Select(id => Threads.Start(() => Ask(id, frontend.LastEndpoint!)))
            .ToArray();

        int answered = (await Task.WhenAll(clients)).Sum();
        stop.Cancel();
        int[] served = await Task.WhenAll(workers);
        proxy.Terminate();
        Console.WriteLine($"broker: {await brokering}, {proxy.Statistics.Frontend.MessagesReceived} requests in, {proxy.Statistics.Frontend.MessagesSent} replies out");
        Console.WriteLine($"workers served {string.Join(" + ", served)} = {served.Sum()}; clients got {answered} of {Clients * RequestsPerClient} replies");
        if (answered != Clients * RequestsPerClient) throw new InvalidOperationException("a request went unanswered");
    }

    /// <summary>A client: strict request, reply, request... (REQ), each reply checked against its request.</summary>
    private static int Ask(int id, string broker)
    {
        using var client = new ReqSocket(">" + broker) { ReceiveTimeout = TimeSpan.FromSeconds(5) };
        int answered = 0;
        for (int i = 1; i <= RequestsPerClient; i++)
        {
            string request = $"client {id} request {i}";
            client.SendString(request);
            string reply = client.ReceiveString(); // throws after 5 s: the sample must never hang
            if (!reply.StartsWith(request + ":", StringComparison.Ordinal)) throw new InvalidOperationException($"'{request}' got '{reply}'");
            Console.WriteLine($"client {id}: {reply}");
            answered++;
        }
        return answered;
    }

    /// <summary>A worker: receive a request, answer it (REP), until stopped.</summary>
    private static int Work(int id, string broker, CancellationToken stop)
    {
        using var worker = new RepSocket(">" + broker);
        int served = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!worker.TryReceive(TimeSpan.FromMilliseconds(50), out var request)) continue; // look at the stop token now and then
            using (request)
            {
                Thread.Sleep(5); // "work"
                worker.SendString($"{request.GetString(0)}: served by worker {id}");
                served++;
            }
        }
        return served;
    }
}
