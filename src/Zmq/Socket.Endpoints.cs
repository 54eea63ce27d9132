using Zmq.Pipes;
using Zmq.Transports;

namespace Zmq;

public abstract partial class Socket
{
    /// <summary>
    /// Binds to an endpoint, e.g. <c>tcp://*:5555</c>, <c>tcp://127.0.0.1:*</c> (a port the system
    /// picks) or <c>tcp://[::1]:5555</c>, and returns the TCP port bound (0 for ipc and inproc). As
    /// CZMQ's zsock_bind, a tcp port may also be a range: <c>*[60000-]</c> binds the first free port
    /// from 60000 up, <c>!</c> a random free port from 49152 to 65535, <c>![-60000]</c> a random one
    /// from 49152 to 60000, <c>![55000-55999]</c> one from that range (either end may be left out:
    /// 49152 and 65535; on Linux that range overlaps the kernel's ephemeral ports, 32768-60999).
    /// The endpoint actually bound is in <see cref="LastEndpoint"/>.
    /// </summary>
    /// <exception cref="ZmqException">Invalid endpoint, address in use (for a range: every port of it) or not available.</exception>
    public int Bind(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ThrowIfDisposed();
        var (transport, address) = EndpointList.Split(endpoint, Type);
        if (transport == "inproc")
        {
            RefuseInprocForStream(endpoint);
            Context.Inproc.Bind(this, InprocName(address, endpoint), endpoint);
            lock (Gate) LastEndpoint = endpoint;
            return 0;
        }
        ValidateSecurity(endpoint);
        if (transport == "tcp" && PortRange.TryParse(address, endpoint, Type, out var range)) return BindInRange(endpoint, range);
        return Listen(new Listener(Context.IoThreadSet, this, FreezeSettings(), endpoint, StreamAddress.Parse(transport, address, endpoint, Type, bind: true)));
    }

    /// <summary>Binds the first port of <paramref name="range"/>'s candidates that is free.</summary>
    private int BindInRange(string endpoint, PortRange range)
    {
        var settings = FreezeSettings();
        foreach (int port in range.Candidates())
        {
            string candidate = $"tcp://{range.Host}:{port}";
            Listener listener;
            try
            {
                listener = new Listener(Context.IoThreadSet, this, settings, candidate, StreamAddress.Parse("tcp", $"{range.Host}:{port}", candidate, Type, bind: true));
            }
            catch (ZmqException e) when (e.Error == ZmqError.AddressInUse)
            {
                continue;
            }
            return Listen(listener);
        }
        throw new ZmqException(ZmqError.AddressInUse, $"no free port in {range.First}-{range.Last}", Type, endpoint);
    }

    private int Listen(Listener listener)
    {
        lock (Gate)
        {
            if (_closing)
            {
                listener.Stop();
                ThrowIfDisposed();
            }
            _listeners.Add(listener);
            LastEndpoint = listener.BoundEndpoint;
        }
        listener.Start();
        return listener.Port;
    }

    /// <summary>
    /// Connects to an endpoint, e.g. <c>tcp://localhost:5555</c>. Returns at once: the connection is
    /// made in the background and re-made whenever it drops. Messages sent meanwhile queue for
    /// this peer up to the high-water mark.
    /// </summary>
    /// <exception cref="ZmqException">Invalid endpoint or unknown host.</exception>
    public void Connect(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ThrowIfDisposed();
        var (transport, address) = EndpointList.Split(endpoint, Type);
        if (transport == "inproc")
        {
            RefuseInprocForStream(endpoint);
            Context.Inproc.Connect(this, InprocName(address, endpoint), endpoint);
            return;
        }
        ValidateSecurity(endpoint);
        var stream = StreamAddress.Parse(transport, address, endpoint, Type, bind: false);
        if (stream is TcpAddress tcp) tcp.Resolve(endpoint, Type); // fail fast on unknown hosts; the connector resolves again on every attempt
        Connector connector;
        lock (Gate)
        {
            ThrowIfDisposed();
            var peer = NewPeer(endpoint, connectSide: true);
            OnConnectPeer(peer);
            connector = new Connector(Context.IoThreadSet.Next(), this, FreezeSettings(), endpoint, stream, peer);
            _connectors.Add(connector);
            if (AttachOnConnect) AttachPeerLocked(peer);
            LastEndpoint = endpoint;
        }
        connector.Start();
        SendSignal.Notify(); // the new peer's pipe can take messages now: wake a Send waiting for a peer
    }

    /// <summary>Stops listening on an endpoint bound earlier (by the string given to Bind or the one in <see cref="LastEndpoint"/>). Connections already accepted stay.</summary>
    public void Unbind(string endpoint)
    {
        ThrowIfDisposed();
        if (endpoint.StartsWith("inproc://", StringComparison.Ordinal))
        {
            if (!Context.Inproc.Unbind(this, InprocName(endpoint["inproc://".Length..], endpoint)))
                throw new ZmqException(ZmqError.EndpointNotFound, "not bound to this endpoint", Type, endpoint);
            return;
        }
        Listener? found;
        lock (Gate)
        {
            found = _listeners.Find(l => l.Endpoint == endpoint || l.BoundEndpoint == endpoint);
            if (found is null) throw new ZmqException(ZmqError.EndpointNotFound, "not bound to this endpoint", Type, endpoint);
            _listeners.Remove(found);
        }
        found.Stop();
    }

    /// <summary>Disconnects from an endpoint connected earlier; its queued messages are dropped.</summary>
    public void Disconnect(string endpoint)
    {
        ThrowIfDisposed();
        if (endpoint.StartsWith("inproc://", StringComparison.Ordinal))
        {
            DisconnectInproc(endpoint);
            return;
        }
        Connector? found;
        lock (Gate)
        {
            found = _connectors.Find(c => c.Endpoint == endpoint);
            if (found is null) throw new ZmqException(ZmqError.EndpointNotFound, "not connected to this endpoint", Type, endpoint);
            _connectors.Remove(found);
            found.Stop();
            DetachPeerLocked(found.Peer);
            found.Peer.In.Clear();
        }
        found.Peer.Connection?.Close("disconnected by the application", error: false);
    }

    private void RefuseInprocForStream(string endpoint)
    {
        if (Type == SocketType.Stream)
            throw new ZmqException(ZmqError.NotSupported, "STREAM speaks raw TCP: tcp and ipc only, not inproc", Type, endpoint);
    }

    private string InprocName(string address, string endpoint) => address.Length > 0
        ? address
        : throw new ZmqException(ZmqError.InvalidEndpoint, "invalid endpoint: an inproc name is needed, e.g. inproc://workers", Type, endpoint);

    private Peer NewPeer(string endpoint, bool connectSide)
    {
        var peer = new Peer(OutboundCapacity(_sndhwm), _rcvhwm, endpoint, connectSide);
        peer.In.ConsumerSignal = InboundSignal;
        peer.Out.ProducerSignal = SendSignal;
        return peer;
    }
}
