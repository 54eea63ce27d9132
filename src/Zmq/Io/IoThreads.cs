using Microsoft.Extensions.Logging;

namespace Zmq.Io;

/// <summary>
/// A context's fixed set of I/O threads, started when the first tcp or ipc endpoint needs them.
/// Listeners, connectors and connections are spread over them round-robin; their number never
/// grows with the number of connections.
/// </summary>
internal sealed class IoThreads(int count, string contextName, Func<ILogger> logger, bool portablePoller = false) : IDisposable
{
    private readonly Lock _lock = new();
    private IoThread[]? _threads;
    private int _next;
    private bool _disposed;

    public int Count => count;

    /// <summary>True once the threads exist.</summary>
    public bool Started => Volatile.Read(ref _threads) is not null;

    /// <summary>The next thread, round-robin (starting them all on first use).</summary>
    public IoThread Next()
    {
        var threads = Volatile.Read(ref _threads) ?? Start();
        int i = (int)((uint)Interlocked.Increment(ref _next) % (uint)threads.Length);
        return threads[i];
    }

    private IoThread[] Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_threads is not null) return _threads;
            var log = logger();
            var threads = new IoThread[count];
            for (int i = 0; i < count; i++) threads[i] = new IoThread($"zmq-io-{contextName}{i}", log, portablePoller);
            Volatile.Write(ref _threads, threads);
            return threads;
        }
    }

    /// <summary>True when the calling thread is one of these.</summary>
    public bool IsIoThread
    {
        get
        {
            var threads = Volatile.Read(ref _threads);
            if (threads is null) return false;
            foreach (var t in threads)
                if (t.IsCurrent) return true;
            return false;
        }
    }

    public void Dispose()
    {
        IoThread[]? threads;
        lock (_lock)
        {
            _disposed = true;
            threads = _threads;
        }
        if (threads is null) return;
        foreach (var t in threads) t.Dispose();
    }
}
