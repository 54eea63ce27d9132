namespace Zmq.Engine;

/// <summary>
/// The waker of one engine-side sleeper (a connection that stopped reading or writing): armed
/// before it goes idle, taken by whoever wakes it first, the waking producer or the connection
/// itself changing its mind (<see cref="Disarm"/>), so exactly one of them resumes it.
/// </summary>
internal abstract class ArmedWaker : Internal.Waker
{
    private int _armed;

    public override bool HasSleepers => Volatile.Read(ref _armed) != 0;

    public void Arm() => Interlocked.Exchange(ref _armed, 1);

    /// <summary>Takes the arming back; false when a producer or consumer already took it (and resumes the connection).</summary>
    public bool Disarm() => Interlocked.Exchange(ref _armed, 0) != 0;

    public override void Notify()
    {
        if (Interlocked.Exchange(ref _armed, 0) != 0) Woken();
    }

    /// <summary>Resumes the connection (once per arming).</summary>
    protected abstract void Woken();
}
