using System.Text;

namespace Zmq.Samples;

/// <summary>
/// The guide's wuproxy: an XSUB connects to the publisher and an XPUB binds for subscribers.
/// Updates flow XSUB -> XPUB; subscriptions flow the other way, as messages (0x01 + topic to
/// subscribe, 0x00 + topic to unsubscribe), so the publisher still filters at the source.
/// </summary>
internal static class WeatherProxy
{
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        using var publisher = new PubSocket("@tcp://127.0.0.1:*");
        using var frontend = new XSubSocket(">" + publisher.LastEndpoint);  // towards the publisher
        using var backend = new XPubSocket("@tcp://127.0.0.1:*");            // for subscribers
        Console.WriteLine($"proxy: {publisher.LastEndpoint} -> {backend.LastEndpoint}");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var proxy = Task.WhenAll(
            Forwarding.ForwardAsync(frontend, backend, stop.Token),
            Forwarding.ForwardAsync(backend, frontend, stop.Token, m =>
                Console.WriteLine($"proxy: subscription message 0x{m.GetSpan(0)[0]:X2} '{Encoding.UTF8.GetString(m.GetSpan(0)[1..])}' forwarded upstream")));
        var publishing = Threads.Start(() => Publish(publisher, stop.Token));

        using var subscriber = new SubSocket(">" + backend.LastEndpoint, subscribe: "10001 ");
        for (int i = 0; i < 3; i++) Console.WriteLine($"subscriber: {subscriber.ReceiveString()}");

        stop.Cancel();
        await Task.WhenAll(proxy, publishing);
    }

    private static void Publish(PubSocket publisher, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            publisher.SendString($"{Random.Shared.Next(10000, 10010)} {Random.Shared.Next(-20, 100)} {Random.Shared.Next(10, 60)}");
            Thread.Sleep(1);
        }
    }
}
