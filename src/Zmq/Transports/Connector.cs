using System.Net;
using System.Net.Sockets;
using Zmq.Diagnostics;
using Zmq.Engine;
using Zmq.Pipes;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Transports;

/// <summary>
/// A connected stream endpoint (tcp or ipc): connects, runs one engine at a time for its persistent peer, and
/// reconnects after RECONNECT_IVL (doubling up to RECONNECT_IVL_MAX, with jitter, as libzmq does)
/// whenever the connection fails or ends. Runs on its own background thread, so a busy thread
/// pool never delays a connection.
/// </summary>
internal sealed class Connector
{
    private readonly Socket _owner;
    private readonly StreamAddress _address;
    private readonly ManualResetEventSlim _stop = new(false);
    private volatile NetSocket? _connecting;

    public Connector(Socket owner, string endpoint, StreamAddress address, Peer peer)
    {
        _owner = owner;
        Endpoint = endpoint;
        _address = address;
        Peer = peer;
    }

    public string Endpoint { get; }

    public Peer Peer { get; }

    private bool Stopped => _stop.IsSet;

    public void Start() => new Thread(Run) { IsBackground = true, Name = "zmq-connect" }.Start();

    private void Run()
    {
        int backoff = _owner.ReconnectIntervalMs;
        while (!Stopped)
        {
            string failure;
            NetSocket? sock = null;
            try
            {
                var ep = _address.ConnectEndPoint();
                sock = _address.NewSocket(ep);
                _owner.ApplyBufferSizes(sock);
                _connecting = sock;
                if (Stopped) return;
                _owner.Monitors?.ConnectDelayed(Endpoint);
                ConnectWithin(sock, ep, _owner.ConnectTimeoutMs);
                _connecting = null;
                _address.Configure(sock, _owner);
                var conn = new ZmtpConnection(_owner, sock, Endpoint, Peer);
                if (Stopped || !_owner.TrackConnection(conn))
                {
                    sock.Dispose();
                    return;
                }
                Log.Connected(_owner.Logger, _owner.Type, Endpoint, conn.RemoteAddress);
                _owner.Monitors?.Connected(conn, sock);
                conn.Start();
                conn.Completion.Wait();
                backoff = _owner.ReconnectIntervalMs;
                failure = conn.CloseReason ?? "closed";
                if (!conn.HandshakeDone && conn.CloseKind != Diagnostics.CloseKind.Local
                    && (_owner.ReconnectStop & ReconnectStop.HandshakeFailed) != 0)
                {
                    Log.ReconnectStopped(_owner.Logger, _owner.Type, Endpoint, failure);
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                _connecting = null;
                sock?.Dispose();
                failure = ex is SocketException se ? se.SocketErrorCode.ToString() : "stopped";
                _owner.Monitors?.ConnectAttemptClosed(Endpoint, sock, failure);
                if (ex is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
                    && (_owner.ReconnectStop & ReconnectStop.ConnectionRefused) != 0)
                {
                    Log.ReconnectStopped(_owner.Logger, _owner.Type, Endpoint, failure);
                    return;
                }
            }
            if (Stopped) return;
            int ivl = _owner.ReconnectIntervalMs;
            if (ivl < 0) return; // reconnection disabled
            int delay = backoff + (ivl > 1 ? Random.Shared.Next(ivl) : 0);
            Log.ConnectRetry(_owner.Logger, _owner.Type, Endpoint, failure, delay);
            _owner.Monitors?.ConnectRetried(Endpoint, delay, failure);
            int max = _owner.ReconnectIntervalMaxMs;
            if (max > ivl) backoff = Math.Min(backoff * 2, max);
            if (_stop.Wait(delay)) return;
        }
    }

    /// <summary>
    /// Connects, giving up after CONNECT_TIMEOUT when it is set. Uses a non-blocking connect and
    /// poll rather than ConnectAsync: an async operation would switch the socket into .NET's
    /// async-emulation mode, where every later blocking receive allocates.
    /// </summary>
    private static void ConnectWithin(NetSocket sock, EndPoint ep, int timeoutMs)
    {
        if (timeoutMs <= 0)
        {
            sock.Connect(ep);
            return;
        }
        sock.Blocking = false;
        try
        {
            sock.Connect(ep);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress or SocketError.AlreadyInProgress)
        {
            if (!sock.Poll(timeoutMs * 1000L > int.MaxValue ? int.MaxValue : timeoutMs * 1000, SelectMode.SelectWrite))
                throw new SocketException((int)SocketError.TimedOut);
            var error = (SocketError)(int)sock.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success) throw new SocketException((int)error);
        }
        sock.Blocking = true;
    }

    public void Stop()
    {
        _stop.Set();
        _connecting?.Dispose();
    }
}
