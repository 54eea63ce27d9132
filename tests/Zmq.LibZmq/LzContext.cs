namespace Zmq.LibZmq;

/// <summary>A libzmq context (zmq_ctx_new / zmq_ctx_term).</summary>
/// <remarks>
/// <see cref="Dispose"/> first closes every socket of this context that is still open (so a test
/// that forgets one cannot hang in zmq_ctx_term), then terminates the context. zmq_ctx_term still
/// waits for each socket's LINGER (libzmq's default is -1, forever): set LINGER on the sockets, or
/// <c>Set(LzContextOption.Blocky, 0)</c> before creating them, to bound it.
/// </remarks>
public sealed class LzContext : IDisposable
{
    private readonly object _gate = new();
    private readonly HashSet<LzSocket> _sockets = [];
    private IntPtr _handle;

    /// <summary>Creates a context (zmq_ctx_new). Throws <see cref="DllNotFoundException"/> when libzmq is missing.</summary>
    public LzContext()
    {
        _handle = Native.zmq_ctx_new();
        if (_handle == IntPtr.Zero)
            throw LzException.FromErrno("zmq_ctx_new");
    }

    /// <summary>The native context pointer.</summary>
    public IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(LzContext));

    /// <summary>Creates a socket of a type from <see cref="LzSocketType"/>.</summary>
    public LzSocket Socket(int type) => new(this, type);

    /// <summary>zmq_ctx_set, with an option from <see cref="LzContextOption"/>.</summary>
    public void Set(int option, int value)
    {
        if (Native.zmq_ctx_set(Handle, option, value) != 0)
            throw LzException.FromErrno($"zmq_ctx_set({option})");
    }

    /// <summary>zmq_ctx_get, with an option from <see cref="LzContextOption"/>.</summary>
    public int Get(int option)
    {
        var value = Native.zmq_ctx_get(Handle, option);
        return value >= 0 ? value : throw LzException.FromErrno($"zmq_ctx_get({option})");
    }

    /// <summary>zmq_ctx_shutdown: blocking calls on this context's sockets fail with ETERM.</summary>
    public void Shutdown()
    {
        if (Native.zmq_ctx_shutdown(Handle) != 0)
            throw LzException.FromErrno("zmq_ctx_shutdown");
    }

    /// <summary>Closes the sockets still open (they must not be in use on other threads), then zmq_ctx_term.</summary>
    public void Dispose()
    {
        LzSocket[] open;
        lock (_gate)
        {
            if (_handle == IntPtr.Zero)
                return;
            open = [.. _sockets];
        }
        foreach (var socket in open)
            socket.Dispose();

        var handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (handle == IntPtr.Zero)
            return;
        while (Native.zmq_ctx_term(handle) != 0)
        {
            var errno = Native.zmq_errno();
            if (errno != LzErrno.EIntr)
                throw new LzException(errno, $"zmq_ctx_term failed: {LibZmq.StrError(errno)} (errno {errno})");
        }
    }

    internal void Track(LzSocket socket)
    {
        lock (_gate)
            _sockets.Add(socket);
    }

    internal void Untrack(LzSocket socket)
    {
        lock (_gate)
            _sockets.Remove(socket);
    }
}
