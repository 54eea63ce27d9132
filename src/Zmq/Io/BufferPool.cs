namespace Zmq.Io;

/// <summary>
/// The read and write buffers of connections while they have bytes in flight: a connection holds
/// one only while it is busy and returns it when idle, so ten thousand quiet connections hold
/// none. A small lock-protected stack per size, bounded; taken once per read or write call (never
/// per message), from I/O threads and from callers' fast paths alike.
/// </summary>
internal static class BufferPool
{
    /// <summary>The size of read buffers and write batches.</summary>
    public const int Size = 64 * 1024;

    private const int MaxPooled = 256; // 16 MiB at most kept idle

    private static readonly Lock s_lock = new();
    private static readonly byte[]?[] s_stack = new byte[]?[MaxPooled];
    private static int s_count;

    public static byte[] Rent()
    {
        lock (s_lock)
        {
            if (s_count > 0)
            {
                var b = s_stack[--s_count]!;
                s_stack[s_count] = null;
                return b;
            }
        }
        return GC.AllocateUninitializedArray<byte>(Size);
    }

    /// <summary>Gives a buffer back (only buffers from <see cref="Rent"/>; others are left to the GC).</summary>
    public static void Return(byte[] buffer)
    {
        if (buffer.Length != Size) return;
        lock (s_lock)
        {
            if (s_count < MaxPooled) s_stack[s_count++] = buffer;
        }
    }
}
