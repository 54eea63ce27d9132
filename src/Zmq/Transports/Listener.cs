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
    }

    /// <summary>The endpoint as given to Bind.</summary>
    public string Endpoint { get; }

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
                break;
            case OpResume:
                if (!_stopped) _io.SetInterest(_ph, read: true, write: false);
                break;
            case OpStop:
                StopOnIo();
                break;
        }
    }

    void IPollTarget.OnPoll(PollEvents events)
    {
        for (int i = 0; i < AcceptsPerTurn && !_stopped; i++)
        {
            NetSocket client;
            try
            {
                if (!_listen.Poll(0, SelectMode.SelectRead)) return;
                client = _listen.Accept();
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // Out of descriptors or memory: pause accepting (the backlog waits) instead of spinning.
                _host.Monitors?.AcceptFailed(BoundEndpoint, ex);
                _backoffMs = Math.Clamp(_backoffMs * 2, 100, 2000);
                _io.SetInterest(_ph, read: false, write: false);
                (_resume ??= new IoTimer(_io, this, OpResume)).Start(_backoffMs);
                return;
            }
            catch (SocketException ex)
            {
                _host.Monitors?.AcceptFailed(BoundEndpoint, ex); // e.g. the client reset before accept completed
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            _backoffMs = 0;
            try
            {
                _address.Configure(client, _s);
                _s.ApplyBufferSizes(client);
            }
            catch (SocketException)
            {
                client.Dispose(); // reset meanwhile
                continue;
            }
            var conn = new ZmtpConnection(_threads.Next(), client, BoundEndpoint, _s, _host, connectPeer: null, owner: null);
            Log.Accepted(_s.Logger, _s.Type, BoundEndpoint, conn.RemoteAddress);
            _host.Monitors?.Accepted(conn, client);
            conn.Start();
        }
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
        if (_ph.Registered) _io.Unregister(_ph);
        _listen.Dispose();
        _address.AfterUnbind();
        _host.Monitors?.ListenerClosed(BoundEndpoint, _listen, _address.UnbindError);
        _stoppedEvent.Set();
    }
}
