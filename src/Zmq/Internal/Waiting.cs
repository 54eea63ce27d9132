namespace Zmq.Internal;

/// <summary>One try of an operation that may have to wait (a send for room, a receive for a message).</summary>
internal interface IAttempt
{
    /// <summary>True when done; false when it would block; throws on misuse or a closed socket.</summary>
    bool Try();

    /// <summary>Sleeps until <paramref name="signal"/> moves past <paramref name="epoch"/> or the time is up (a receive may wait on its socket instead).</summary>
    void Wait(Signal signal, int epoch, int timeoutMs);

    /// <summary>Called before an asynchronous wait on the signal (a receive hands reading back to the I/O thread).</summary>
    void BeforeAsyncWait();
}

/// <summary>
/// The one loop behind every blocking, timed and asynchronous send and receive: try; if it would
/// block, arm the signal, try again (so a wake-up between the two cannot be missed), then sleep
/// until woken or the time is up. Waiting never holds the socket's lock.
/// </summary>
internal static class Waiting
{
    /// <summary>Deadline for a time-out in ms (-1: none).</summary>
    public static long Deadline(int timeoutMs) => timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;

    /// <summary>Milliseconds left until <paramref name="deadline"/> (-1 for none, 0 when passed).</summary>
    public static int Left(long deadline)
    {
        if (deadline == long.MaxValue) return -1;
        long left = deadline - Environment.TickCount64;
        return left <= 0 ? 0 : (int)Math.Min(left, int.MaxValue);
    }

    /// <summary>Tries until done (true) or <paramref name="timeoutMs"/> passed (false; 0 = try once, -1 = forever).</summary>
    public static bool Until<T>(Signal signal, ref T attempt, int timeoutMs) where T : struct, IAttempt, allows ref struct
    {
        if (attempt.Try()) return true;
        if (timeoutMs == 0) return false;
        long deadline = Deadline(timeoutMs);
        while (true)
        {
            int epoch = signal.Prepare();
            if (attempt.Try()) return true; // a signal left armed costs at most one spurious wake-up
            int left = Left(deadline);
            if (left == 0) return false;
            attempt.Wait(signal, epoch, left);
        }
    }

    /// <summary>As <see cref="Until"/>, awaiting instead of blocking; the first try has been made by the caller.</summary>
    public static async ValueTask<bool> UntilAsync<T>(Signal signal, T attempt, int timeoutMs, CancellationToken cancellationToken) where T : struct, IAttempt
    {
        long deadline = Deadline(timeoutMs);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int epoch = signal.Prepare();
            if (attempt.Try()) return true;
            int left = Left(deadline);
            if (left == 0) return false;
            attempt.BeforeAsyncWait();
            await signal.WaitAsync(epoch, left, cancellationToken).ConfigureAwait(false);
        }
    }
}
