namespace Zmq.Samples;

/// <summary>
/// The guide's lpclient/lpserver: a REQ client cannot send again until it gets a reply, so when a
/// reply does not come in time it closes the socket (LINGER 0: the unanswered request is dropped),
/// opens a new one and sends the request again; after three tries it gives up. The server here
/// answers normally, then slowly once (the client retries), then "crashes" (the client gives up).
/// </summary>
internal static class LazyPirate
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMilliseconds(300);
    private const int Retries = 3;

    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        var server = new RepSocket("@tcp://127.0.0.1:*");
        string endpoint = server.LastEndpoint!;
        Console.WriteLine($"server: bound to {endpoint}");
        var serving = Threads.Start(() => Serve(server));

        var client = Connect(endpoint);
        try
        {
            for (int sequence = 1; sequence <= 10 && !cancellationToken.IsCancellationRequested; sequence++)
            {
                string request = sequence.ToString();
                client.SendString(request);
                int retriesLeft = Retries;
                while (true)
                {
                    if (client.TryReceive(RequestTimeout, out var reply))
                    {
                        using (reply)
                        {
                            if (reply.GetString(0) == request)
                            {
                                Console.WriteLine($"client: server replied OK ({request})");
                                break;
                            }
                            Console.WriteLine($"client: malformed reply from server: {reply.GetString(0)}");
                        }
                    }
                    if (--retriesLeft == 0)
                    {
                        Console.WriteLine("client: server seems to be offline, abandoning");
                        await serving;
                        return;
                    }
                    Console.WriteLine("client: no response from server, retrying...");
                    client.Dispose(); // a REQ awaiting a reply can only be closed and reopened
                    client = Connect(endpoint);
                    Console.WriteLine($"client: reconnected, resending ({request})");
                    client.SendString(request);
                }
            }
        }
        finally
        {
            client.Dispose();
        }
    }

    private static ReqSocket Connect(string endpoint) =>
        new(">" + endpoint) { Linger = TimeSpan.Zero }; // do not keep an unanswered request when closing

    private static void Serve(RepSocket server)
    {
        using (server)
        {
            for (int cycle = 1; ; cycle++)
            {
                string request = server.ReceiveString();
                if (cycle == 3)
                {
                    Console.WriteLine($"server: simulating overload ({request})");
                    Thread.Sleep(RequestTimeout * 2);
                    Console.WriteLine($"server: late reply ({request}), to a client that has given up on it");
                    server.SendString(request);
                    continue;
                }
                if (cycle == 5)
                {
                    Console.WriteLine("server: simulating a crash");
                    return;
                }
                Console.WriteLine($"server: normal request ({request})");
                server.SendString(request);
            }
        }
    }
}
