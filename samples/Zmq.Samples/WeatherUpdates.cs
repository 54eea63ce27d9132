namespace Zmq.Samples;

/// <summary>
/// The guide's wuserver/wuclient: a PUB sends weather updates for many zip codes; a SUB subscribes
/// to one zip code (a prefix of the first frame) and averages five of its temperatures. The
/// publisher filters before sending, so the other zip codes never cross the wire. Whatever is
/// published before the subscription reaches the publisher is not delivered (the "slow joiner").
/// </summary>
internal static class WeatherUpdates
{
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        using var publisher = new PubSocket("@tcp://127.0.0.1:*");
        Console.WriteLine($"publisher: bound to {publisher.LastEndpoint}");

        // "10001 " with the space, so that zip code 100012 would not match.
        using var subscriber = new SubSocket(">" + publisher.LastEndpoint, subscribe: "10001 ");
        Console.WriteLine("subscriber: subscribed to '10001 '");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var publishing = Threads.Start(() => Publish(publisher, stop.Token));

        int total = 0;
        const int Updates = 5;
        for (int i = 0; i < Updates; i++)
        {
            string update = subscriber.ReceiveString(); // "zipcode temperature humidity"
            Console.WriteLine($"subscriber: {update}");
            total += int.Parse(update.Split(' ')[1]);
        }
        stop.Cancel();
        long sent = await publishing;
        Console.WriteLine($"subscriber: average temperature for zip code 10001 was {total / Updates} F");
        Console.WriteLine($"publisher: sent {sent} updates for zip codes 10000-10009; the subscriber saw only its own");
    }

    private static long Publish(PubSocket publisher, CancellationToken cancellationToken)
    {
        long sent = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            int zipcode = Random.Shared.Next(10000, 10010);
            int temperature = Random.Shared.Next(-20, 100);
            int humidity = Random.Shared.Next(10, 60);
            publisher.SendString($"{zipcode} {temperature} {humidity}"); // PUB never blocks: a full subscriber misses updates
            sent++;
            if (sent % 100 == 0) Thread.Sleep(1);
        }
        return sent;
    }
}
