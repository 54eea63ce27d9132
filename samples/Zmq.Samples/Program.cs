using Zmq.Samples;

// dotnet run --project samples/Zmq.Samples -- NAME     (no name: list the samples)
Sample[] samples =
[
    new("hello-world", "REQ/REP", "a client asks, a server answers, in strict turns", HelloWorld.RunAsync),
    new("weather", "PUB/SUB", "weather updates filtered by a zip-code topic", WeatherUpdates.RunAsync),
    new("weather-proxy", "XPUB/XSUB", "a proxy forwards updates one way and subscriptions the other", WeatherProxy.RunAsync),
    new("pipeline", "PUSH/PULL", "ventilator, three workers and a sink, on threads over inproc", Pipeline.RunAsync),
    new("dealer-router", "DEALER/ROUTER", "asynchronous server: ROUTER frontend, DEALER backend, workers", DealerRouter.RunAsync),
    new("lazy-pirate", "REQ/REP", "reliable client: time-out, reconnect and retry, then give up", LazyPirate.RunAsync),
    new("pair-relay", "PAIR", "three threads signal each other in turn over inproc", PairRelay.RunAsync),
    new("curve", "PUB/SUB + CURVE", "encrypted updates; a ZAP authenticator trusts one publisher key", CurvePubSub.RunAsync),
    new("monitor", "monitor", "a server's and a client's connection events as they happen", MonitorSample.RunAsync),
    new("async", "async", "ReceiveAsync/SendAsync with cancellation tokens", AsyncSample.RunAsync),
    new("rr-broker", "ROUTER/DEALER proxy", "a broker on the toolkit's Proxy between REQ clients and REP workers", RequestReplyBroker.RunAsync),
    new("paranoid-pirate", "ROUTER/DEALER", "reliable queue and workers: heartbeats on the Reactor, dead workers dropped, reconnects", ParanoidPirate.RunAsync),
    new("majordomo", "MDP 0.1", "service broker, workers and client of the Majordomo protocol", Majordomo.RunAsync),
    new("ironhouse", "REQ/REP + CURVE", "CURVE with an authenticator trusting a certificate directory", Ironhouse.RunAsync),
    new("poller", "Poller", "one thread waits on two PULLs and an actor: ready, timed out, cancelled, closed", PollerSample.RunAsync),
];

if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    PrintList();
    return 0;
}
var sample = Array.Find(samples, s => s.Name.Equals(args[0], StringComparison.OrdinalIgnoreCase));
if (sample is null)
{
    Console.Error.WriteLine($"unknown sample '{args[0]}'");
    PrintList();
    return 2;
}

// Ctrl+C cancels the sample; a watchdog ends it should it ever hang (none should take more than a few seconds).
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
var run = sample.RunAsync(cts.Token);
if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))) != run)
{
    Console.Error.WriteLine($"{sample.Name}: still running after 30 s, giving up");
    return 1;
}
await run; // rethrows what the sample threw
Console.WriteLine($"{sample.Name}: done");
return 0;

void PrintList()
{
    Console.WriteLine("usage: dotnet run --project samples/Zmq.Samples -- NAME");
    Console.WriteLine();
    foreach (var s in samples) Console.WriteLine($"  {s.Name,-16} {s.Pattern,-20} {s.Description}");
}

internal sealed record Sample(string Name, string Pattern, string Description, Func<CancellationToken, Task> RunAsync);
