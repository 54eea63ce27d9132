using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Zmq.Diagnostics;
using Zmq.Internal;
using Zmq.Pipes;
using Zmq.Security;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Engine;

/// <summary>
/// ZMTP on one stream connection. A dedicated reader thread performs the handshake and then parses
/// every complete frame of each large read into the peer's inbound pipe; a dedicated writer thread
/// batches everything queued in the outbound pipe into large writes. Blocking socket calls, no
/// async machinery and no allocation per message. The connection shuts down exactly once, with a
/// recorded reason.
/// </summary>
internal sealed partial class ZmtpConnection : IInlineConsumer, IHandshakeChannel
{
    private const int ReadBufferSize = 128 * 1024;
    private const int WriteBatchSize = 64 * 1024;

    private readonly Socket _owner;
    private readonly NetSocket _sock;
    private readonly Peer? _connectPeer;
    private readonly Signal _writerSignal = new();
    private readonly Signal _readerSignal = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closed;
    private volatile bool _writerIdle = true;
    private Peer? _peer;

    public ZmtpConnection(Socket owner, NetSocket sock, string endpoint, Peer? connectPeer)
    {
        _owner = owner;
        _sock = sock;
        Endpoint = endpoint;
        _connectPeer = connectPeer;
        try { RemoteAddress = sock.RemoteEndPoint?.ToString() ?? ""; } catch (SocketException) { RemoteAddress = ""; }
    }

    /// <summary>The endpoint this connection was made through (bind or connect string).</summary>
    public string Endpoint { get; }

    /// <summary>The peer's address as text.</summary>
    public string RemoteAddress { get; }

    /// <summary>Why the connection ended, once it has.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>The kind of ending, for monitors.</summary>
    public CloseKind CloseKind { get; private set; }

    /// <summary>The ending's number for monitors: a ZAP status code or a ZMQ_PROTOCOL_ERROR_* code, depending on <see cref="CloseKind"/>.</summary>
    public long CloseDetail { get; private set; }

    /// <summary>Completes when the connection is closed.</summary>
    public Task Completion => _done.Task;

    /// <summary>The peer's ZMTP is 3.1 or later (commands for subscriptions); false for 3.0.</summary>
    public bool PeerIsV31 { get; private set; }

    public SocketType? PeerType { get; private set; }

    public byte[] PeerIdentity { get; private set; } = [];

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>True while nothing is queued and the last write has completed.</summary>
    public bool WriterIdle => _writerIdle && (_peer is null || _peer.Out.IsEmpty);

    public void Start()
    {
        CountOpened();
        var t = new Thread(ReaderMain) { IsBackground = true, Name = "zmq-reader" };
        t.Start();
    }

    /// <summary>Closes the connection once; later calls do nothing.</summary>
    public void Close(string reason, bool error = true, CloseKind kind = CloseKind.Local, long detail = 0)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        CloseReason = reason;
        CloseKind = kind;
        CloseDetail = detail;
        if (error) Log.ConnectionClosed(_owner.Logger, _owner.Type, Endpoint, RemoteAddress, reason);
        _owner.Monitors?.ConnectionClosed(this, _sock);
        CountClosed();
        try { _sock.Shutdown(SocketShutdown.Both); } catch (Exception) { }
        _sock.Dispose();
        _writerSignal.Notify();
        _readerSignal.Notify();
        _owner.DetachConnection(this, _peer);
        _done.TrySetResult();
    }

    /// <summary>Stops sending (after linger): the peer sees end-of-stream and closes its side.</summary>
    public void ShutdownSend()
    {
        _shutDownByUs = true;
        try { _sock.Shutdown(SocketShutdown.Send); } catch (Exception) { }
    }

    /// <summary>Our socket is closing and half-closed this connection: the peer's end-of-stream that follows is the close we asked for.</summary>
    private volatile bool _shutDownByUs;

    private void ReaderMain()
    {
        StartHandshakeActivity();
        try
        {
            if (!Handshake()) return;
            EndHandshakeActivity(ok: true);
            MarkHandshakeDone();
            var peer = _owner.AttachConnection(this, _connectPeer);
            if (peer is null)
            {
                Close("refused by the socket (e.g. a second PAIR peer or a duplicate routing id)", kind: CloseKind.Refused);
                return;
            }
            _peer = peer;
            peer.Out.ConsumerSignal = _writerSignal;
            peer.Out.InlineConsumer = this;
            peer.In.ProducerSignal = _readerSignal;
            if (IsClosed) return;
            StartHeartbeatChecks();
            var w = new Thread(WriterMain) { IsBackground = true, Name = "zmq-writer" };
            w.Start();
            ReadLoop(peer.In);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            Close(IsClosed ? "closed" : DescribeSocketError(ex), error: !IsClosed, CloseKind.Network);
        }
        catch (ProtocolViolation ex)
        {
            Close(ex.Message, kind: ex.Kind, detail: ex.Detail);
        }
        catch (Exception ex)
        {
            _owner.Logger.LogError(ex, "Unexpected failure on {Endpoint}", Endpoint);
            Close("internal error: " + ex.Message, kind: CloseKind.Internal);
        }
        finally
        {
            EndHandshakeActivity(ok: false); // no-op once it ended OK
        }
    }

    private static string DescribeSocketError(Exception ex) => ex switch
    {
        SocketException se when se.SocketErrorCode == SocketError.TimedOut => "timed out",
        SocketException se => "network error: " + se.SocketErrorCode,
        _ => "network error: " + ex.Message,
    };

    /// <summary>A peer broke the protocol: the connection is dropped with this reason.</summary>
    internal sealed class ProtocolViolation(string message, CloseKind kind = CloseKind.Protocol, long detail = 0) : Exception(message)
    {
        public CloseKind Kind { get; } = kind;

        /// <summary>A ZAP status code or ZMQ_PROTOCOL_ERROR_* code, depending on <see cref="Kind"/>.</summary>
        public long Detail { get; } = detail;
    }
}
