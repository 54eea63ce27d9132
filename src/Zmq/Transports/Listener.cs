using System.Net;
using System.Net.Sockets;
using Zmq.Diagnostics;
using Zmq.Engine;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Transports;

/// <summary>A bound stream endpoint (tcp or ipc): accepts connections and hands each one to a new engine.</summary>
internal sealed class Listener
{
    private readonly Socket _owner;
    private readonly NetSocket _listen;
    private readonly StreamAddress _address;
    private volatile bool _stopped;

    public Listener(Socket owner, string endpoint, StreamAddress address)
    {
        _owner = owner;
        _address = address;
        Endpoint = endpoint;
        var ep = address.BindEndPoint(endpoint, owner);
        _listen = address.NewSocket(ep);
        try
        {
            address.BeforeBind(_listen, endpoint, owner.Type);
            _listen.Bind(ep);
            owner.ApplyBufferSizes(_listen);
            _listen.Listen(owner.Backlog);
        }
        catch (SocketException ex)
        {
            _listen.Dispose();
            owner.Monitors?.BindFailed(endpoint, ex);
            throw ex.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => new ZmqException(ZmqError.AddressInUse, "address already in use (another socket or process has bound it)", owner.Type, endpoint, ex),
                SocketError.AddressNotAvailable => new ZmqException(ZmqError.AddressNotAvailable, "address not available on this machine", owner.Type, endpoint, ex),
                SocketError.AccessDenied => new ZmqException(ZmqError.AddressNotAvailable, "permission denied to bind this address", owner.Type, endpoint, ex),
                _ => new ZmqException(ZmqError.Network, $"bind failed: {ex.SocketErrorCode}", owner.Type, endpoint, ex),
            };
        }
        catch (Exception ex)
        {
            _listen.Dispose();
            owner.Monitors?.BindFailed(endpoint, ex);
            throw;
        }
        BoundEndpoint = address.Describe(_listen.LocalEndPoint!);
        owner.Monitors?.Listening(BoundEndpoint, _listen);
    }

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
            catch (SocketException ex) when (!_stopped)
            {
                _owner.Monitors?.AcceptFailed(BoundEndpoint, ex);
                continue; // e.g. the client reset before accept completed
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }
            _address.Configure(client, _owner);
            _owner.ApplyBufferSizes(client);
            var conn = new ZmtpConnection(_owner, client, BoundEndpoint, connectPeer: null);
            Log.Accepted(_owner.Logger, _owner.Type, BoundEndpoint, conn.RemoteAddress);
            if (!_owner.TrackConnection(conn))
            {
                client.Dispose();
                return;
            }
            _owner.Monitors?.Accepted(conn, client);
            conn.Start();
        }
    }

    public void Stop()
    {
        _stopped = true;
        _listen.Dispose();
        _address.AfterUnbind();
        _owner.Monitors?.ListenerClosed(BoundEndpoint, _listen, _address.UnbindError);
    }
}
