using System.Net;
using System.Net.Sockets;
using Zmq.Diagnostics;
using Zmq.Engine;
using Zmq.Io;
using Zmq.Pipes;
using Zmq.Wire;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Transports;

/// <summary>
/// A connected stream endpoint (tcp or ipc) as a state machine on an I/O thread: resolve (host
/// names asynchronously, never on the I/O thread), a non-blocking connect bounded by
/// CONNECT_TIMEOUT, one engine at a time for its persistent peer, and a reconnect after
/// RECONNECT_IVL (doubling up to RECONNECT_IVL_MAX, with jitter, as libzmq does) whenever the
/// attempt fails or the connection ends. Waiting costs a timer, not a thread.
/// </summary>
internal sealed class Connector : IPollTarget, IIoWork, IConnectionOwner
{
    private const int OpAttempt = 1, OpResolved = 2, OpTimeout = 3, OpStop = 4;

    private readonly IoThread _io;
    private readonly IEngineHost _host;
    private readonly ConnectionSettings _s;
    private readonly StreamAddress _address;
    private readonly IoTimer _timer;
    private readonly ManualResetEventSlim _stoppedEvent = new(false);
    private NetSocket? _sock;       // the connect in progress
    private PollHandle? _ph;
    private EndPoint? _resolved;
    private Exception? _resolveError;
    private int _backoff;
    private bool _stopDone;
    private volatile bool _stopped;
    private ZmtpConnection? _conn;

    public Connector(IoThread io, IEngineHost host, ConnectionSettings settings, string endpoint, StreamAddress address, Peer peer)
    {
        _io = io;
        _host = host;
        _s = settings;
        Endpoint = endpoint;
        _address = address;
        Peer = peer;
        _backoff = settings.ReconnectIntervalMs;
        _timer = new IoTimer(io, this, OpAttempt);
    }

    public string Endpoint { get; }

    public Peer Peer { get; }

    public void Start() => _io.Post(this, OpAttempt);

    void IIoWork.RunIo(int op)
    {
        if (_stopDone) return;
        switch (op)
        {
            case OpAttempt: Attempt(); break;
            case OpResolved: Resolved(); break;
            case OpTimeout: AttemptFailed(SocketError.TimedOut.ToString()); break;
            case OpStop: StopOnIo(); break;
        }
    }

    private void Attempt()
    {
        if (_stopped || _conn is not null || _sock is not null) return;
        var ep = _address.ConnectEndPoint();
        if (ep is null)
        {
            // A host name: look it up off the I/O thread; the attempt resumes when it is known.
            _address.ResolveAsync().ContinueWith(static (t, state) =>
            {
                var self = (Connector)state!;
                if (t.IsCompletedSuccessfully) self._resolved = t.Result;
                else self._resolveError = t.Exception?.InnerException ?? new SocketException((int)SocketError.HostNotFound);
                self._io.Post(self, OpResolved);
            }, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }
        Connect(ep);
    }

    private void Resolved()
    {
        var ep = _resolved;
        var error = _resolveError;
        _resolved = null;
        _resolveError = null;
        if (_stopped) return;
        if (ep is null)
        {
            var code = error is SocketException se ? se.SocketErrorCode : SocketError.HostNotFound;
            ScheduleRetry(code.ToString());
            return;
        }
        Connect(ep);
    }

    private void Connect(EndPoint ep)
    {
        NetSocket sock;
        try
        {
            sock = _address.NewSocket(ep);
            _s.ApplyBufferSizes(sock);
            sock.Blocking = false;
        }
        catch (SocketException ex)
        {
            ScheduleRetry(ex.SocketErrorCode.ToString());
            return;
        }
        _sock = sock;
        _host.Monitors?.ConnectDelayed(Endpoint);
        try
        {
            sock.Connect(ep);
            Connected();
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress or SocketError.AlreadyInProgress
                                         && sock.AddressFamily != AddressFamily.Unix)
        {
            // In progress: writable means done (or failed: SO_ERROR says which).
            _ph = new PollHandle(sock, this);
            _io.Register(_ph);
            _io.SetInterest(_ph, read: false, write: true);
            if (_s.ConnectTimeoutMs > 0)
            {
                _timer.Cancel();
                _timeout ??= new IoTimer(_io, this, OpTimeout);
                _timeout.Start(_s.ConnectTimeoutMs);
            }
        }
        catch (SocketException ex)
        {
            AttemptFailed(ex.SocketErrorCode.ToString(), ex.SocketErrorCode);
        }
    }

    private IoTimer? _timeout;

    void IPollTarget.OnPoll(IoEvents events)
    {
        var sock = _sock;
        if (sock is null) return;
        SocketError error;
        try
        {
            error = (SocketError)(int)sock.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        }
        catch (SocketException ex)
        {
            error = ex.SocketErrorCode;
        }
        if (error == SocketError.Success) Connected();
        else AttemptFailed(error.ToString(), error);
    }

    private void Connected()
    {
        var sock = _sock!;
        _timeout?.Cancel();
        if (_ph is not null)
        {
            _io.Unregister(_ph);
            _ph = null;
        }
        _sock = null;
        if (IsSelfConnect(sock))
        {
            // Connecting to a free port of the ephemeral range on this host, the kernel may pick that
            // very port as ours: the socket is connected to itself and would hold the port that the
            // real peer is about to bind. Drop it and retry.
            sock.Dispose();
            AttemptFailed("connected to itself (the port is free on this host)", SocketError.ConnectionRefused);
            return;
        }
        try
        {
            _address.Configure(sock, _s);
        }
        catch (SocketException ex)
        {
            sock.Dispose();
            AttemptFailed(ex.SocketErrorCode.ToString());
            return;
        }
        var conn = new ZmtpConnection(_io, sock, Endpoint, _s, _host, Peer, this);
        _conn = conn;
        Log.Connected(_s.Logger, _s.Type, Endpoint, conn.RemoteAddress);
        _host.Monitors?.Connected(conn, sock);
        conn.Start();
    }

    private static bool IsSelfConnect(NetSocket sock)
    {
        try
        {
            return sock.LocalEndPoint is IPEndPoint local && sock.RemoteEndPoint is IPEndPoint remote && local.Equals(remote);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void AttemptFailed(string failure, SocketError error = SocketError.SocketError)
    {
        _timeout?.Cancel();
        var sock = _sock;
        _sock = null;
        if (_ph is not null)
        {
            _io.Unregister(_ph);
            _ph = null;
        }
        sock?.Dispose();
        _host.Monitors?.ConnectAttemptClosed(Endpoint, sock, failure);
        if (error == SocketError.ConnectionRefused && (_s.ReconnectStop & ReconnectStop.ConnectionRefused) != 0)
        {
            Log.ReconnectStopped(_s.Logger, _s.Type, Endpoint, failure);
            return;
        }
        ScheduleRetry(failure);
    }

    /// <summary>The connection ended (on this I/O thread): reconnect, unless told not to.</summary>
    void IConnectionOwner.ConnectionClosed(ZmtpConnection connection)
    {
        if (_conn != connection) return;
        _conn = null;
        if (_stopped || connection.ClosedByApplication) return; // STREAM: the application closed it, as libzmq ends that session
        string failure = connection.CloseReason ?? "closed";
        if (!connection.HandshakeDone && connection.CloseKind != CloseKind.Local
            && (_s.ReconnectStop & ReconnectStop.HandshakeFailed) != 0)
        {
            Log.ReconnectStopped(_s.Logger, _s.Type, Endpoint, failure);
            return;
        }
        _backoff = _s.ReconnectIntervalMs;
        ScheduleRetry(failure);
    }

    private void ScheduleRetry(string failure)
    {
        if (_stopped) return;
        int ivl = _s.ReconnectIntervalMs;
        if (ivl < 0) return; // reconnection disabled
        int delay = _backoff + (ivl > 1 ? Random.Shared.Next(ivl) : 0);
        Log.ConnectRetry(_s.Logger, _s.Type, Endpoint, failure, delay);
        _host.Monitors?.ConnectRetried(Endpoint, delay, failure);
        int max = _s.ReconnectIntervalMaxMs;
        if (max > ivl) _backoff = Math.Min(_backoff * 2, max);
        _timer.Start(delay);
    }

    /// <summary>Stops connecting (a connect in progress is abandoned); returns once it has. The live connection, if any, is the caller's to close.</summary>
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
        if (_stopDone) return;
        _stopDone = true;
        _timer.Cancel();
        _timeout?.Cancel();
        if (_ph is not null)
        {
            _io.Unregister(_ph);
            _ph = null;
        }
        if (_sock is { } sock)
        {
            _sock = null;
            sock.Dispose();
            _host.Monitors?.ConnectAttemptClosed(Endpoint, sock, "stopped");
        }
        _stoppedEvent.Set();
    }
}
