using System.Net.Sockets;
using Zmq.Diagnostics;
using Zmq.Io;
using Zmq.Pipes;
using Zmq.Wire;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Engine;

/// <summary>
/// ZMTP on one tcp or ipc connection, driven by an I/O thread that serves many connections: a
/// state machine over a non-blocking socket (greeting, security handshake, then traffic) that
/// parses every complete frame of each read into the peer's inbound pipe and batches whatever is
/// queued in the outbound pipe into large writes. The caller's thread may write a send's message
/// itself when the connection is idle (<see cref="FlushFromCaller"/>). No thread of its own, no
/// blocking call, no allocation per message. It shuts down exactly once, with a recorded reason.
/// </summary>
internal sealed partial class ZmtpConnection : IPollTarget, IIoWork
{
    private const int OpStart = 1, OpFlush = 2, OpResumeRead = 3, OpClose = 4, OpHandshakeTimeout = 5,
        OpPing = 6, OpLiveness = 7, OpZapReply = 8, OpResumeHandshake = 9, OpErrorLingerEnd = 10,
        OpShutdownSend = 11, OpWantWrite = 12, OpPark = 13, OpParkCheck = 14, OpCallerFault = 15, OpPingReceived = 16, OpUnpark = 17; // 18: Raw.cs

    private readonly IoThread _io;
    private readonly NetSocket _sock;
    private readonly PollHandle _ph;
    private readonly ConnectionSettings _s;
    private readonly IEngineHost _host;
    private readonly Peer? _connectPeer;
    private readonly IConnectionOwner? _owner;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closed;
    private volatile bool _closeDone;
    private bool _tracked;
    private Peer? _peer;

    public ZmtpConnection(IoThread io, NetSocket sock, string endpoint, ConnectionSettings settings, IEngineHost host, Peer? connectPeer, IConnectionOwner? owner)
    {
        _io = io;
        _sock = sock;
        _s = settings;
        _host = host;
        _connectPeer = connectPeer;
        _owner = owner;
        Endpoint = endpoint;
        try { RemoteAddress = sock.RemoteEndPoint?.ToString() ?? ""; } catch (SocketException) { RemoteAddress = ""; }
        _ph = new PollHandle(sock, this);
        _outWaker = new OutboundWaker(this);
        _inWaker = new InboundWaker(this);
        _decoder = new FrameDecoder(settings.MaxMessageSize);
        _raw = settings.Raw;
    }

    /// <summary>The endpoint this connection was made through (bind or connect string).</summary>
    public string Endpoint { get; }

    /// <summary>The peer's address as text.</summary>
    public string RemoteAddress { get; }

    /// <summary>The socket type of the socket this connection serves.</summary>
    public SocketType SocketType => _s.Type;

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

    /// <summary>The underlying socket, for monitor events (its handle) only.</summary>
    internal NetSocket NetSocket => _sock;

    /// <summary>Starts the connection on its I/O thread: greeting, handshake, then traffic.</summary>
    public void Start()
    {
        if (_io.IsCurrent) StartOnIo();
        else _io.Post(this, OpStart);
    }

    void IIoWork.RunIo(int op)
    {
        if (_closeDone) return;
        try
        {
            switch (op)
            {
                case OpStart: StartOnIo(); break;
                case OpFlush: WriteFromIo(); break;
                case OpWantWrite: WantWrite(); break;
                case OpResumeRead: ResumeRead(); break;
                case OpClose: DoClose(); break;
                case OpHandshakeTimeout: HandshakeTimedOut(); break;
                case OpPing: PingDue(); break;
                case OpLiveness: CheckLiveness(); break;
                case OpZapReply: ZapReplyArrived(); break;
                case OpResumeHandshake: ResumeHandshake(); break;
                case OpErrorLingerEnd: CloseNow(_lingerReason!, kind: _lingerKind, detail: _lingerDetail); break;
                case OpShutdownSend: ShutdownSendOnIo(); break;
                case OpPark: Park(); break;
                case OpParkCheck: ParkCheck(); break;
                case OpCallerFault: CallerFaultOnIo(); break;
                case OpPingReceived: PingReceivedOnIo(); break;
                case OpUnpark: Unpark(); break;
                case OpCloseWhenWritten: CloseWhenWrittenOnIo(); break;
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    void IPollTarget.OnPoll(IoEvents events)
    {
        if (_closeDone) return;
        try
        {
            if ((events & (IoEvents.Writable | IoEvents.Error)) != 0 && _ph.WantWrite) WritableOnIo();
            if (_closeDone) return;
            if ((events & (IoEvents.Readable | IoEvents.Error)) != 0) ReadableOnIo();
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void StartOnIo()
    {
        CountOpened();
        if (!_host.TrackConnection(this))
        {
            Close("socket closing", error: false);
            DoClose();
            return;
        }
        _tracked = true;
        _sock.Blocking = false;
        _io.Register(_ph);
        _io.SetInterest(_ph, read: true, write: false);
        if (_raw) StartRaw();
        else StartHandshake();
    }

    /// <summary>Ends this connection for what <paramref name="ex"/> says (on the I/O thread).</summary>
    private void Fail(Exception ex)
    {
        switch (ex)
        {
            case ZmtpException z when z.LingerAfterError && !IsClosed:
                LingerAfterError(z);
                break;
            case ZmtpException z:
                if (z.Kind is CloseKind.UnsupportedVersion or CloseKind.MechanismMismatch)
                    Log.HandshakeRefused(_s.Logger, _s.Type, Endpoint, RemoteAddress, z.Message);
                CloseNow(z.Message, error: z.Kind is not (CloseKind.UnsupportedVersion or CloseKind.MechanismMismatch), z.Kind, z.Detail);
                break;
            case SocketException or ObjectDisposedException or IOException:
                CloseNow(IsClosed ? "closed" : DescribeSocketError(ex), error: !IsClosed, CloseKind.Network);
                break;
            default:
                _s.Logger.LogUnexpected(ex, Endpoint);
                CloseNow("internal error: " + ex.Message, kind: CloseKind.Internal);
                break;
        }
    }

    private static string DescribeSocketError(Exception ex) => ex switch
    {
        SocketException se when se.SocketErrorCode == SocketError.TimedOut => "timed out",
        SocketException se => "network error: " + se.SocketErrorCode,
        _ => "network error: " + ex.Message,
    };

    private static string Describe(SocketError e) => e == SocketError.TimedOut ? "timed out" : "network error: " + e;

    /// <summary>Closes the connection once, from any thread; later calls do nothing.</summary>
    public void Close(string reason, bool error = true, CloseKind kind = CloseKind.Local, long detail = 0)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        CloseReason = reason;
        CloseKind = kind;
        CloseDetail = detail;
        if (error) Log.ConnectionClosed(_s.Logger, _s.Type, Endpoint, RemoteAddress, reason);
        if (_io.IsCurrent) DoClose();
        else _io.Post(this, OpClose);
    }

    /// <summary>Closes on the I/O thread right away.</summary>
    private void CloseNow(string reason, bool error = true, CloseKind kind = CloseKind.Local, long detail = 0)
    {
        Close(reason, error, kind, detail);
        DoClose();
    }

    /// <summary>The I/O thread's part of closing: unregister, release, tell the socket and the owner.</summary>
    private void DoClose()
    {
        if (_closeDone) return;
        _closeDone = true;
        _handshakeTimer?.Cancel();
        _pingTimer?.Cancel();
        _livenessTimer?.Cancel();
        _lingerTimer?.Cancel();
        _parkTimer?.Cancel();
        _zap?.Dispose();
        _zap = null;
        DisposeHandshake();
        if (_tracked) _host.Monitors?.ConnectionClosed(this, _sock);
        CountClosed();
        EndHandshakeActivity(ok: false);
        if (_ph.Registered) _io.Unregister(_ph);
        try { _sock.Shutdown(SocketShutdown.Both); } catch (Exception) { }
        _sock.Dispose();
        ReleaseBuffers();
        if (_raw) NotifyRawEnd();
        if (_peer is not null)
        {
            _peer.Out.ConsumerSignal = null;
            _peer.In.ProducerSignal = null;
        }
        if (_tracked) _host.DetachConnection(this, _peer);
        _done.TrySetResult();
        _owner?.ConnectionClosed(this);
    }

    /// <summary>Stops sending (linger done): the peer sees end-of-stream and closes its side; then this closes.</summary>
    public void ShutdownSend() => _io.Post(this, OpShutdownSend);

    /// <summary>Our socket is closing and half-closed this connection: the peer's end-of-stream that follows is the close we asked for.</summary>
    private bool _shutDownByUs;

    private void ShutdownSendOnIo()
    {
        _shutDownByUs = true;
        try { _sock.Shutdown(SocketShutdown.Send); } catch (Exception) { }
        // What arrives from now on is discarded; keep reading until the peer's end-of-stream.
        _readBlocked = false;
        _parked = false;
        _parkTimer?.Cancel();
        _io.SetInterest(_ph, read: true, write: _ph.WantWrite);
    }
}
