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
/// whenever the connection fails or ends.
/// </summary>
internal sealed class Connector
{
    private readonly Socket _owner;
    private readonly TcpAddress _address;
    private readonly CancellationTokenSource _stop = new();

    public Connector(Socket owner, string endpoint, TcpAddress address, Peer peer)
    {
        _owner = owner;
        Endpoint = endpoint;
        _address = address;
        Peer = peer;
    }

    public string Endpoint { get; }

    public Peer Peer { get; }

    public void Start() => _ = Run();

    private async Task Run()
    {
        int backoff = _owner.ReconnectIntervalMs;
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            NetSocket? sock = null;
            string failure;
            try
            {
                var ips = IPAddress.TryParse(_address.Host, out var literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(_address.Host, token).ConfigureAwait(false);
                if (ips.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
                var ip = ips.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
                sock = new NetSocket(ip.AddressFamily, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await sock.ConnectAsync(new IPEndPoint(ip, _address.Port), token).ConfigureAwait(false);
                var conn = new ZmtpConnection(_owner, sock, Endpoint, Peer);
                if (!_owner.TrackConnection(conn))
                {
                    sock.Dispose();
                    return;
                }
                Log.Connected(_owner.Logger, _owner.Type, Endpoint, conn.RemoteAddress);
                conn.Start();
                await conn.Completion.ConfigureAwait(false);
                backoff = _owner.ReconnectIntervalMs;
                failure = conn.CloseReason ?? "closed";
            }
            catch (OperationCanceledException)
            {
                sock?.Dispose();
                return;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                sock?.Dispose();
                failure = ex is SocketException se ? se.SocketErrorCode.ToString() : ex.Message;
            }
            if (token.IsCancellationRequested) return;
            int ivl = _owner.ReconnectIntervalMs;
            if (ivl < 0) return; // reconnection disabled
            int delay = backoff + (ivl > 1 ? Random.Shared.Next(ivl) : 0);
            Log.ConnectRetry(_owner.Logger, _owner.Type, Endpoint, failure, delay);
            int max = _owner.ReconnectIntervalMaxMs;
            if (max > ivl) backoff = Math.Min(backoff * 2, max);
            try
            {
                await Task.Delay(delay, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public void Stop() => _stop.Cancel();
}
