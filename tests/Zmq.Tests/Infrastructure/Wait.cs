using System.Diagnostics;

namespace Zmq.Tests.Infrastructure;

/// <summary>Bounded polling: the only kind of waiting tests do besides the sockets' own time-outs.</summary>
public static class Wait
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(5);

    /// <summary>Polls <paramref name="condition"/> until true; fails the test after <paramref name="timeout"/>.</summary>
    public static void Until(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Default;
        var sw = Stopwatch.StartNew();
        int delay = 1;
        while (!condition())
        {
            if (sw.Elapsed > limit) Assert.Fail($"timed out after {limit.TotalMilliseconds:0} ms waiting until {what}");
            Thread.Sleep(delay);
            delay = Math.Min(delay * 2, 20);
        }
    }

    /// <summary>True when the condition became true within the timeout (no failure).</summary>
    public static bool For(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout) return false;
            Thread.Sleep(5);
        }
        return true;
    }

    /// <summary>Joins a thread or fails the test.</summary>
    public static void Join(Thread thread, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        if (!thread.Join(limit)) Assert.Fail($"thread {thread.Name} did not finish within {limit.TotalSeconds:0} s");
    }

    /// <summary>Waits for a task or fails the test.</summary>
    /// <summary>Waits for a task or fails the test; a faulted task rethrows its own exception.</summary>
    public static T Result<T>(Task<T> task, TimeSpan? timeout = null)
    {
        Done(task, timeout);
        return task.Result;
    }

    /// <summary>Waits for a task or fails the test; a faulted task rethrows its own exception.</summary>
    public static void Done(Task task, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(limit)) Assert.Fail($"task did not finish within {limit.TotalSeconds:0} s");
        task.GetAwaiter().GetResult();
    }
}
