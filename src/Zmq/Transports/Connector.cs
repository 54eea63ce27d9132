using System.Net;
using System.Net.Sockets;
using Zmq.Diagnostics;
using Zmq.Engine;
using Zmq.Pipes;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Transports;

/// <summary>
/// A connected tcp endpoint: connects, runs one engine at a time for its persistent peer, and
/// reconnects after RECONNECT_IVL (doubling up to RECONNECT_IVL_MAX, with jitter, as libzmq does)
/// whenever the connection fails or ends. Runs on its own background thread, so a busy thread
/// pool never delays a connection.
/// </summary>
internal sealed class Connector
{
    private readonly Socket _owner;
    private readonly TcpAddress _address;
    private readonly ManualResetEventSlim _stop = new(false);
    private volatile NetSocket? _connecting;

    public Connector(Socket owner, string endpoint, TcpAddress address, Peer peer)
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
                var ip = Resolve();
                sock = new NetSocket(ip.AddressFamily, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                _connecting = sock;
                if (Stopped) return;
                sock.Connect(new IPEndPoint(ip, _address.Port));
                _connecting = null;
                var conn = new ZmtpConnection(_owner, sock, Endpoint, Peer);
                if (Stopped || !_owner.TrackConnection(conn))
                {
                    sock.Dispose();
                    return;
                }
                Log.Connected(_owner.Logger, _owner.Type, Endpoint, conn.RemoteAddress);
                conn.Start();
                conn.Completion.Wait();
                backoff = _owner.ReconnectIntervalMs;
                failure = conn.CloseReason ?? "closed";
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                _connecting = null;
                sock?.Dispose();
                failure = ex is SocketException se ? se.SocketErrorCode.ToString() : "stopped";
            }
            if (Stopped) return;
            int ivl = _owner.ReconnectIntervalMs;
            if (ivl < 0) return; // reconnection disabled
            int delay = backoff + (ivl > 1 ? Random.Shared.Next(ivl) : 0);
            Log.ConnectRetry(_owner.Logger, _owner.Type, Endpoint, failure, delay);
            int max = _owner.ReconnectIntervalMaxMs;
            if (max > ivl) backoff = Math.Min(backoff * 2, max);
            if (_stop.Wait(delay)) return;
        }
    }

    private IPAddress Resolve()
    {
        if (IPAddress.TryParse(_address.Host, out var literal)) return literal;
        var ips = Dns.GetHostAddresses(_address.Host);
        if (ips.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        return ips.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
    }

    public void Stop()
    {
        _stop.Set();
        _connecting?.Dispose();
    }
}
