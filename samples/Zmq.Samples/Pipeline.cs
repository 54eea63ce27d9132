using System.Diagnostics;

namespace Zmq.Samples;

/// <summary>
/// The guide's taskvent/taskwork/tasksink in one process: the ventilator PUSHes tasks, workers PULL
/// them (PUSH deals them out round-robin) and PUSH results to the sink, which PULLs them all
/// (fair-queued). Every socket lives in one <see cref="Context"/> and talks over inproc.
/// </summary>
internal static class Pipeline
{
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        using var context = new Context(); // inproc names are per context
        using var ventilator = new PushSocket("@inproc://tasks", context);
        using var sink = new PullSocket("@inproc://results", context);

        // Connect every worker before the first task is sent: a PUSH deals only among the peers it has.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = new List<Task>();
        for (int id = 1; id <= 3; id++)
        {
            var tasks = new PullSocket(">inproc://tasks", context);
            var results = new PushSocket(">inproc://results", context);
            int workerId = id;
            workers.Add(WorkAsync(workerId, tasks, results, stop.Token));
        }

        const int TaskCount = 24;
        int totalMs = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < TaskCount; i++)
        {
            int ms = Random.Shared.Next(5, 50);
            totalMs += ms;
            ventilator.SendString(ms.ToString());
        }
        Console.WriteLine($"ventilator: sent {TaskCount} tasks, {totalMs} ms of work in all");

        var perWorker = new SortedDictionary<string, int>();
        for (int i = 0; i < TaskCount; i++)
        {
            string[] result = sink.ReceiveStrings(); // [worker, milliseconds]
            perWorker[result[0]] = perWorker.GetValueOrDefault(result[0]) + 1;
        }
        Console.WriteLine($"sink: {TaskCount} results in {clock.ElapsedMilliseconds} ms");
        foreach (var (worker, count) in perWorker) Console.WriteLine($"sink: {worker} did {count} tasks");

        stop.Cancel(); // the workers' ReceiveAsync ends with OperationCanceledException
        await Task.WhenAll(workers);
    }

    private static async Task WorkAsync(int id, PullSocket tasks, PushSocket results, CancellationToken cancellationToken)
    {
        using (tasks)
        using (results)
        {
            try
            {
                while (true)
                {
                    using var task = await tasks.ReceiveAsync(cancellationToken);
                    string ms = task.GetString(0);
                    await Task.Delay(int.Parse(ms), cancellationToken); // the "work"
                    results.SendFrames($"worker {id}", ms);
                }
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine($"worker {id}: stopped");
            }
        }
    }
}
