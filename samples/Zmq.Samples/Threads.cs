namespace Zmq.Samples;

/// <summary>Runs blocking socket code (Receive, Send, ReceiveString...) on a thread of its own.</summary>
/// <remarks>
/// A blocking Receive holds its thread while it waits, so run it on a dedicated thread rather than
/// with Task.Run: a few blocked thread-pool threads starve the pool (the pool adds threads slowly),
/// and everything else queued there waits, async continuations included. Async code
/// (ReceiveAsync/SendAsync) holds no thread while it waits and belongs on the pool.
/// </remarks>
internal static class Threads
{
    /// <summary>Starts <paramref name="body"/> on a new thread; the task completes (or faults) when it returns (or throws).</summary>
    public static Task Start(Action body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Starts <paramref name="body"/> on a new thread; the task completes with its result.</summary>
    public static Task<T> Start<T>(Func<T> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
