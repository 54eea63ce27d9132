namespace Zmq.Samples;

/// <summary>
/// The guide's hwserver/hwclient: REQ sends a request, REP answers it; each side must alternate
/// send and receive (REQ: send, receive, send...; REP: receive, send, receive...).
/// </summary>
internal static class HelloWorld
{
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        // '@' binds, '>' connects; port '*' picks a free port, read back from LastEndpoint.
        using var server = new RepSocket("@tcp://127.0.0.1:*");
        Console.WriteLine($"server: bound to {server.LastEndpoint}");
        var serving = Threads.Start(() => Serve(server, requests: 3)); // the server on a thread of its own

        using var client = new ReqSocket(">" + server.LastEndpoint);
        for (int i = 1; i <= 3; i++)
        {
            client.SendString($"Hello {i}");
            string reply = client.ReceiveString();
            Console.WriteLine($"client: sent 'Hello {i}', received '{reply}'");
        }
        await serving;
    }

    private static void Serve(RepSocket server, int requests)
    {
        for (int i = 0; i < requests; i++)
        {
            string request = server.ReceiveString();
            Console.WriteLine($"server: received '{request}'");
            Thread.Sleep(10); // "work"
            server.SendString("World");
        }
    }
}
