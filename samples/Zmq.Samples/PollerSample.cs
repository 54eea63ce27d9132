using Zmq.Toolkit;

namespace Zmq.Samples;

/// <summary>
/// The guide's mspoller, with the toolkit's <see cref="Poller"/> (CZMQ's zpoller): one thread waits
/// on several sockets at once (two PULLs and an actor's pipe here) and reads whichever is ready. The
/// result says why each wait ended: Ready (and which socket), TimedOut, Cancelled, or Closed (a
/// socket of the poller was disposed). Fair: each wait starts looking after the socket it returned
/// last, so a busy socket cannot starve a quiet one.
/// </summary>
internal static class PollerSample
{
    public static Task RunAsync(CancellationToken cancellationToken)
    {
        using var context = new Context(); // an inproc namespace of its own
        using var jobs = new PullSocket("@inproc://jobs", context);
        using var alerts = new PullSocket("@inproc://alerts", context);
        using var jobSender = new PushSocket(">inproc://jobs", context);
        using var alertSender = new PushSocket(">inproc://alerts", context);
        using var pinger = new Actor(Pinger, context);   // answers PING with PONG, a little later
        using var poller = new Poller(jobs, alerts);     // both waited on for input
        poller.Add(pinger);                              // and the actor's pipe
        string Name(PollResult r) => r.Is(jobs) ? "jobs" : r.Is(alerts) ? "alerts" : r.Is(pinger) ? "pinger" : "?";
        var bound = TimeSpan.FromSeconds(5); // a limit for waits that should end at once, never reached

        // Nothing has been sent: the wait ends when its time-out does.
        var r = poller.Wait(TimeSpan.FromMilliseconds(50), cancellationToken);
        Console.WriteLine($"nothing sent yet: {r.Status}");
        Expect(r.Status == PollStatus.TimedOut, r);

        // One socket has a message: Ready, and which socket, for what.
        alertSender.SendString("disk almost full");
        r = poller.Wait(bound, cancellationToken);
        Expect(r.Is(alerts), r);
        Console.WriteLine($"{r.Status}: {Name(r)} ({r.Events}): '{r.Socket!.ReceiveString()}'");

        // Both have messages waiting, six jobs and two alerts: the poller takes them in turn, so the
        // alerts are not stuck behind the jobs; once they are read, the jobs follow.
        for (int i = 1; i <= 6; i++) jobSender.SendString($"job {i}");
        for (int i = 1; i <= 2; i++) alertSender.SendString($"alert {i}");
        var order = new List<string>();
        for (int i = 0; i < 8; i++)
        {
            r = poller.Wait(bound, cancellationToken);
            Expect(r.IsReady, r);
            order.Add($"{Name(r)}: '{r.Socket!.ReceiveString()}'");
        }
        Console.WriteLine($"fair turns: {string.Join(", ", order)}");

        // An actor is polled through its pipe: Ready when it has something to say.
        pinger.Send("PING");
        r = poller.Wait(bound, cancellationToken);
        Expect(r.Is(pinger), r);
        Console.WriteLine($"{r.Status}: {Name(r)}: '{pinger.Receive(bound)}'");

        // A wait with no time limit ends when its token is cancelled (here by a timer, as another thread would).
        using (var soon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            soon.CancelAfter(TimeSpan.FromMilliseconds(50));
            r = poller.Wait(Timeout.InfiniteTimeSpan, soon.Token);
            Console.WriteLine($"token cancelled while waiting: {r.Status}");
            Expect(r.Status == PollStatus.Cancelled || cancellationToken.IsCancellationRequested, r);
        }

        // A socket disposed while in the poller: the next wait says Closed, names it, and removes it.
        alerts.Dispose();
        r = poller.Wait(bound, cancellationToken);
        Console.WriteLine($"alerts disposed: {r.Status} ({(ReferenceEquals(r.Socket, alerts) ? "alerts" : "?")}), {poller.Count} sockets left in the poller");
        Expect(r.Status == PollStatus.Closed && ReferenceEquals(r.Socket, alerts), r);
        return Task.CompletedTask;
    }

    /// <summary>The actor's handler (on its own thread): signal ready, then answer commands until $TERM.</summary>
    private static void Pinger(PairSocket pipe)
    {
        pipe.Signal();
        while (pipe.ReceiveString() is var command && command != Actor.Term)
        {
            Thread.Sleep(20);
            pipe.SendString(command == "PING" ? "PONG" : $"unknown command {command}");
        }
    }

    private static void Expect(bool condition, PollResult r)
    {
        if (!condition) throw new InvalidOperationException($"unexpected poll result {r}");
    }
}
