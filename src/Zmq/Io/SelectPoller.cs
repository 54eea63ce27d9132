using System.Net;
using System.Net.Sockets;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Io;

/// <summary>
/// The portable poller: .NET's Socket.Select (poll() on Unix, select() on Windows) over every
/// registered socket, with a loopback TCP pair to wake the waiting thread. Each wait costs time in
/// the number of sockets, so it suits modest connection counts; it exists so that the I/O core runs
/// wherever .NET does (macOS, Windows) and is tested on Linux too (<c>ZMQ_POLLER=portable</c>).
/// </summary>
internal sealed class SelectPoller : IPoller
{
    private readonly List<PollHandle> _handles = [];
    private readonly Dictionary<NetSocket, PollHandle> _bySocket = new(ReferenceEqualityComparer.Instance);
    private readonly List<NetSocket> _read = [], _write = [], _error = [];
    private readonly NetSocket _wakeIn, _wakeOut;
    private static readonly byte[] One = [1];
    private readonly byte[] _drain = new byte[64];

    public SelectPoller()
    {
        using var listener = new NetSocket(AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _wakeOut = new NetSocket(AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _wakeOut.Connect(listener.LocalEndPoint!);
        _wakeIn = listener.Accept();
        _wakeIn.Blocking = false;
        _wakeOut.Blocking = false;
    }

    public string Name => "portable";

    public void Add(PollHandle h)
    {
        h.Registered = true;
        _handles.Add(h);
        _bySocket[h.Socket] = h;
    }

    public void Update(PollHandle h) { }

    public void Remove(PollHandle h)
    {
        if (!h.Registered) return;
        h.Registered = false;
        _handles.Remove(h);
        _bySocket.Remove(h.Socket);
    }

    public int Wait(int timeoutMs, PollHandle[] ready, IoEvents[] events)
    {
        _read.Clear();
        _write.Clear();
        _error.Clear();
        _read.Add(_wakeIn);
        foreach (var h in _handles)
        {
            if (h.WantRead) _read.Add(h.Socket);
            if (h.WantWrite)
            {
                _write.Add(h.Socket);
                _error.Add(h.Socket); // Windows reports a failed connect here
            }
        }
        int micros = timeoutMs < 0 ? -1 : timeoutMs >= int.MaxValue / 1000 ? int.MaxValue : timeoutMs * 1000;
        try
        {
            NetSocket.Select(_read, _write.Count > 0 ? _write : null, _error.Count > 0 ? _error : null, micros);
        }
        catch (SocketException)
        {
            return 0; // e.g. EINTR: the caller simply waits again
        }
        int count = 0;
        foreach (var s in _read)
        {
            if (s == _wakeIn)
            {
                while (_wakeIn.Available > 0 && _wakeIn.Receive(_drain, 0, _drain.Length, SocketFlags.None, out _) > 0) { }
                continue;
            }
            count = Merge(s, IoEvents.Readable, ready, events, count);
        }
        foreach (var s in _write) count = Merge(s, IoEvents.Writable, ready, events, count);
        foreach (var s in _error) count = Merge(s, IoEvents.Error | IoEvents.Writable, ready, events, count);
        return count;
    }

    private int Merge(NetSocket s, IoEvents ev, PollHandle[] ready, IoEvents[] events, int count)
    {
        if (!_bySocket.TryGetValue(s, out var h)) return count;
        for (int i = 0; i < count; i++)
        {
            if (ready[i] == h)
            {
                events[i] |= ev;
                return count;
            }
        }
        if (count == ready.Length) return count;
        ready[count] = h;
        events[count] = ev;
        return count + 1;
    }

    /// <summary>Sends one byte (the I/O thread sends at most one wake per sleep, so the pair never fills).</summary>
    public void Wake()
    {
        try
        {
            _wakeOut.Send(One, 0, 1, SocketFlags.None, out _);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _wakeIn.Dispose();
        _wakeOut.Dispose();
    }
}
