using System.Net.Sockets;
using Zmq.Diagnostics;
using Zmq.Engine;
using Zmq.Io;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Transports;

/// <summary>
/// A bound stream endpoint (tcp or ipc): binds at once (so Bind reports failures), then accepts on
/// an I/O thread whenever the listening socket is readable, handing each connection to a new
/// engine on the next I/O thread of the context. Out of file descriptors it stops accepting for a
/// while (ACCEPT_FAILED, with growing back-off) instead of spinning.
/// </summary>
internal sealed class Listener : IPollTarget, IIoWork
{
    private const int OpStart = 1, OpStop = 2, OpResume = 3;
    private const int AcceptsPerTurn = 64;

    private readonly IoThreads _threads;
    private readonly IoThread _io;
    private readonly IEngineHost _host;
    private readonly ConnectionSettings _s;
    private readonly NetSocket _listen;
    private readonly StreamAddress _address;
    private readonly PollHandle _ph;
    private readonly ManualResetEventSlim _stoppedEvent = new(false);
    private IoTimer? _resume;
    private int _backoffMs;
    private NetSocket? _early;

    /// <summary>
    /// Tests only: when it returns true for a listener's bound endpoint, that listener's next accept
    /// fails as out of descriptors would (EMFILE), without lowering the process's limit (a .NET
    /// process at its descriptor limit can be aborted by its own runtime).
    /// </summary>
    internal static Func<string, bool>? FailAcceptFor;
    private volatile bool _stopped;

    public Listener(IoThreads threads, IEngineHost host, ConnectionSettings settings, string endpoint, StreamAddress address)
    {
        _threads = threads;
        _io = threads.Next();
        _host = host;
        _s = settings;
        _address = address;
        Endpoint = endpoint;
        var ep = address.BindEndPoint(endpoint, settings);
        _listen = address.NewSocket(ep);
        try
        {
            address.BeforeBind(_listen, endpoint, settings.Type);
            _listen.Bind(ep);
            settings.ApplyBufferSizes(_listen);
            _listen.Listen(settings.Backlog);
            _listen.Blocking = false;
        }
        catch (SocketException ex)
        {
            _listen.Dispose();
            host.Monitors?.BindFailed(endpoint, ex);
            throw ex.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => new ZmqException(ZmqError.AddressInUse, "address already in use (another socket or process has bound it)", settings.Type, endpoint, ex),
                SocketError.AddressNotAvailable => new ZmqException(ZmqError.AddressNotAvailable, "address not available on this machine", settings.Type, endpoint, ex),
                SocketError.AccessDenied => new ZmqException(ZmqError.AddressNotAvailable, "permission denied to bind this address", settings.Type, endpoint, ex),
                _ => new ZmqException(ZmqError.Network, $"bind failed: {ex.SocketErrorCode}", settings.Type, endpoint, ex),
            };
        }
        catch (Exception ex)
        {
            _listen.Dispose();
            host.Monitors?.BindFailed(endpoint, ex);
            throw;
        }
        BoundEndpoint = address.Describe(_listen.LocalEndPoint!);
        _ph = new PollHandle(_listen, this);
        host.Monitors?.Listening(BoundEndpoint, _listen);
        _early = AcceptEarly();
    }

    /// <summary>
    /// One accept now, on the binding thread, while descriptors are likely free: the runtime's first
    /// accept runs a type initialiser (socket telemetry) that loads an assembly, which opens a file;
    /// under EMFILE it fails, and a failed type initialiser fails every later accept of the process
    /// (seen: 170,000 failed accepts a second, for good). Usually nobody is there yet (would block);
    /// a peer that was quicker is served once the I/O thread starts.
    /// </summary>
    private NetSocket? AcceptEarly()
    {
        try
        {
            return _listen.Accept();
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>The endpoint as given to Bind.</summary>
    public string Endpoint { get; }

    /// <summary>The TCP port bound; 0 for ipc.</summary>
    public int Port => (_listen.LocalEndPoint as System.Net.IPEndPoint)?.Port ?? 0;

    /// <summary>The endpoint actually bound, with the real port (LAST_ENDPOINT).</summary>
    public string BoundEndpoint { get; }

    public void Start() => _io.Post(this, OpStart);

    void IIoWork.RunIo(int op)
    {
        switch (op)
        {
            case OpStart:
                if (_stopped) return;
                _io.Register(_ph);
                _io.SetInterest(_ph, read: true, write: false);
                if (Interlocked.Exchange(ref _early, null) is { } early) Serve(early);
                break;
            case OpResume:
                if (!_stopped) _io.SetInterest(_ph, read: true, write: false);
                break;
            case OpStop:
                StopOnIo();
                break;
        }
    }

    void IPollTarget.OnPoll(IoEvents events)
    {
        for (int i = 0; i < AcceptsPerTurn && !_stopped; i++)
        {
            NetSocket client;
            try
            {
                if (!_listen.Poll(0, SelectMode.SelectRead)) return;
                if (FailAcceptFor is { } fail && fail(BoundEndpoint)) throw new SocketException((int)SocketError.TooManyOpenSockets);
                client = _listen.Accept();
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is not (SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable))
            {
                _host.Monitors?.AcceptFailed(BoundEndpoint, ex); // e.g. the client reset before accept completed
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex)
            {
                // Out of descriptors or memory (or the runtime failing for want of them): pause
                // accepting, the backlog waits, instead of spinning on a listener that stays readable.
                Pause(ex);
                return;
            }
            _backoffMs = 0;
            Serve(client);
        }
    }

    private void Pause(Exception ex)
    {
        _backoffMs = Math.Clamp(_backoffMs * 2, 100, 2000);
        _io.SetInterest(_ph, read: false, write: false);
        (_resume ??= new IoTimer(_io, this, OpResume)).Start(_backoffMs);
        if (ex is not SocketException) _s.Logger.LogUnexpected(ex, BoundEndpoint);
        _host.Monitors?.AcceptFailed(BoundEndpoint, ex);
    }

    /// <summary>Configures an accepted connection and starts its engine on the next I/O thread.</summary>
    private void Serve(NetSocket client)
    {
        try
        {
            _address.Configure(client, _s);
            _s.ApplyBufferSizes(client);
        }
        catch (SocketException)
        {
            client.Dispose(); // reset meanwhile
            return;
        }
        var conn = new ZmtpConnection(_threads.Next(), client, BoundEndpoint, _s, _host, connectPeer: null, owner: null);
        Log.Accepted(_s.Logger, _s.Type, BoundEndpoint, conn.RemoteAddress);
        _host.Monitors?.Accepted(conn, client);
        conn.Start();
    }

    /// <summary>Stops listening; returns once the listening socket is closed (so the address can be bound again at once).</summary>
    public void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        if (_io.IsCurrent)
        {
            StopOnIo();
            return;
        }
        _io.Post(this, OpStop);
        _stoppedEvent.Wait(5000);
    }

    private void StopOnIo()
    {
        if (_stoppedEvent.IsSet) return;
        _resume?.Cancel();
        Interlocked.Exchange(ref _early, null)?.Dispose();
        if (_ph.Registered) _io.Unregister(_ph);
        _listen.Dispose();
        _address.AfterUnbind();
        _host.Monitors?.ListenerClosed(BoundEndpoint, _listen, _address.UnbindError);
        _stoppedEvent.Set();
    }
}
