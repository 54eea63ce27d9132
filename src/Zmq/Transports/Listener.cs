using System.Net;
using System.Net.Sockets;
using Zmq.Diagnostics;
using Zmq.Engine;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Transports;

/// <summary>A bound tcp endpoint: accepts connections and hands each one to a new engine.</summary>
internal sealed class Listener
{
    private readonly Socket _owner;
    private readonly NetSocket _listen;
    private volatile bool _stopped;

    public Listener(Socket owner, string endpoint, TcpAddress address)
    {
        _owner = owner;
        Endpoint = endpoint;
        var ip = address.Resolve(endpoint, owner.Type)[0];
        _listen = new NetSocket(ip.AddressFamily, SocketType_Stream, ProtocolType.Tcp);
        try
        {
            AllowRebindDuringTimeWait(_listen);
            _listen.Bind(new IPEndPoint(ip, address.Port));
            _listen.Listen(100);
        }
        catch (SocketException ex)
        {
            _listen.Dispose();
            throw ex.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => new ZmqException(ZmqError.AddressInUse, "address already in use (another socket or process has bound it)", owner.Type, endpoint, ex),
                SocketError.AddressNotAvailable => new ZmqException(ZmqError.AddressNotAvailable, "address not available on this machine", owner.Type, endpoint, ex),
                SocketError.AccessDenied => new ZmqException(ZmqError.AddressNotAvailable, "permission denied to bind this address", owner.Type, endpoint, ex),
                _ => new ZmqException(ZmqError.Network, $"bind failed: {ex.SocketErrorCode}", owner.Type, endpoint, ex),
            };
        }
        BoundEndpoint = TcpAddress.Format((IPEndPoint)_listen.LocalEndPoint!);
    }

    /// <summary>
    /// SO_REUSEADDR alone, as libzmq sets it: a restarted server can bind while old connections sit in
    /// TIME_WAIT, yet a second listener on the same port still fails. (.NET's ReuseAddress option also
    /// sets SO_REUSEPORT on Linux, which would let two sockets share the port.)
    /// </summary>
    private static void AllowRebindDuringTimeWait(NetSocket s)
    {
        if (OperatingSystem.IsLinux()) s.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));          // SOL_SOCKET, SO_REUSEADDR
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()) s.SetRawSocketOption(0xFFFF, 4, BitConverter.GetBytes(1));
        else if (OperatingSystem.IsWindows()) s.ExclusiveAddressUse = true;
    }

    private const System.Net.Sockets.SocketType SocketType_Stream = System.Net.Sockets.SocketType.Stream;

    /// <summary>The endpoint as given to Bind.</summary>
    public string Endpoint { get; }

    /// <summary>The endpoint actually bound, with the real port (LAST_ENDPOINT).</summary>
    public string BoundEndpoint { get; }

    /// <summary>Starts accepting on a dedicated background thread (not the thread pool, so a busy pool never delays connections).</summary>
    public void Start() => new Thread(AcceptLoop) { IsBackground = true, Name = "zmq-accept" }.Start();

    private void AcceptLoop()
    {
        while (!_stopped)
        {
            NetSocket client;
            try
            {
                client = _listen.Accept();
            }
            catch (SocketException) when (!_stopped)
            {
                continue; // e.g. the client reset before accept completed
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }
            client.NoDelay = true;
            var conn = new ZmtpConnection(_owner, client, BoundEndpoint, connectPeer: null);
            Log.Accepted(_owner.Logger, _owner.Type, BoundEndpoint, conn.RemoteAddress);
            if (!_owner.TrackConnection(conn))
            {
                client.Dispose();
                return;
            }
            conn.Start();
        }
    }

    public void Stop()
    {
        _stopped = true;
        _listen.Dispose();
    }
}
