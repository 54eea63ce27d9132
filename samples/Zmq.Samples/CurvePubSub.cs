namespace Zmq.Samples;

/// <summary>
/// CURVE-encrypted PUB/SUB with a ZAP authenticator (the guide's "Ironhouse" pattern). A collector
/// SUB binds as the CURVE server: clients must know its public key, and the
/// <see cref="Authenticator"/> admits only the publisher whose public key it trusts. Every message
/// from an admitted peer carries the User-Id the authenticator gave it (a CURVE peer's public key
/// in Z85), so the collector knows who sent it. An intruder that knows the server key but is not
/// trusted is refused during the handshake. (CURVE roles do not depend on socket type or on who
/// binds: a PUB can just as well be the server, with SUBs as its clients.)
/// </summary>
internal static class CurvePubSub
{
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        var collectorKeys = CurveKeyPair.Generate();
        var sensorKeys = CurveKeyPair.Generate();
        var intruderKeys = CurveKeyPair.Generate();

        using var context = new Context();         // ZAP is per context: the authenticator serves this one's sockets
        using var auth = new Authenticator(context);
        var trusted = new CertificateStore();      // in memory; auth.ConfigureCurve("dir") reads CZMQ certificate files
        trusted.Insert(new Certificate(sensorKeys.PublicKey));
        auth.ConfigureCurve(trusted);

        using var collector = new SubSocket(subscribe: "", context: context);
        collector.MakeCurveServer(collectorKeys);
        collector.Bind("tcp://127.0.0.1:*");
        Console.WriteLine($"collector: CURVE server at {collector.LastEndpoint}, public key {collectorKeys.PublicKeyZ85}");

        using var sensor = new PubSocket(context: context);
        sensor.MakeCurveClient(collectorKeys.PublicKey, sensorKeys);
        sensor.Connect(collector.LastEndpoint!);
        Console.WriteLine($"sensor: connecting with public key {sensorKeys.PublicKeyZ85} (trusted)");

        using var intruder = new PubSocket(context: context);
        using var intruderEvents = intruder.Monitor(MonitorEventType.HandshakeFailedAuth);
        intruder.MakeCurveClient(collectorKeys.PublicKey, intruderKeys);
        intruder.Connect(collector.LastEndpoint!);
        Console.WriteLine($"intruder: connecting with public key {intruderKeys.PublicKeyZ85} (not trusted)");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var publishing = Task.WhenAll(
            PublishAsync(sensor, "sensor", stop.Token),
            PublishAsync(intruder, "intruder", stop.Token));

        for (int i = 0; i < 3; i++)
        {
            using var update = collector.Receive();
            string who = update.GetProperty("User-Id") == sensorKeys.PublicKeyZ85 ? " (the sensor's key)" : "";
            Console.WriteLine($"collector: '{update.GetString(0)}' from User-Id {update.GetProperty("User-Id")}{who}, {update.GetProperty("Peer-Address")}");
        }
        if (intruderEvents.TryRead(TimeSpan.FromSeconds(2), out var refused))
            Console.WriteLine($"intruder: {refused}");

        stop.Cancel();
        await publishing;
        Console.WriteLine($"authenticator: {auth.Allowed} allowed, {auth.Denied} denied");
    }

    private static async Task PublishAsync(PubSocket publisher, string name, CancellationToken cancellationToken)
    {
        try
        {
            for (int i = 1; ; i++)
            {
                publisher.SendString($"{name} reading #{i}: {Random.Shared.Next(15, 25)} C"); // dropped until a subscriber is there
                await Task.Delay(20, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }
}
