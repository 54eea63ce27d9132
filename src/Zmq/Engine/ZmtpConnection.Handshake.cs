using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Zmq.Diagnostics;
using Zmq.Io;
using Zmq.Messages;
using Zmq.Routing;
using Zmq.Security;
using Zmq.Wire;

namespace Zmq.Engine;

/// <summary>
/// The greeting and the security handshake as states of the connection, advanced whenever bytes
/// arrive (never waiting on a thread). The mechanism is an iterator: it runs until it needs the
/// peer's next command or the ZAP handler's reply, and resumes when that is here. HANDSHAKE_IVL is
/// a timer; a ZAP request is in flight while the I/O thread serves other connections.
/// </summary>
internal sealed partial class ZmtpConnection : IHandshakeChannel
{
    private enum Phase : byte { Greeting, Handshake, Active, ErrorLinger }

    private Phase _phase;
    private Mechanism? _mechanism;
    private IEnumerator<HandshakeWait>? _steps;
    private HandshakeWait _waitingFor;
    private int _cmdStart, _cmdNameLength, _cmdDataLength; // the current command inside the read buffer
    private IZapExchange? _zap;
    private byte[][] _zapReply = [];
    private IoTimer? _handshakeTimer;
    private IoTimer? _lingerTimer;
    private string? _lingerReason;
    private CloseKind _lingerKind;
    private long _lingerDetail;
    private PeerProperties? _properties; // attached to every received message
    private long _deadline = long.MaxValue;

    private void StartHandshake()
    {
        StartHandshakeActivity();
        int ivl = _s.HandshakeIntervalMs;
        if (ivl > 0)
        {
            _deadline = Environment.TickCount64 + ivl;
            _handshakeTimer = new IoTimer(_io, this, OpHandshakeTimeout);
            _handshakeTimer.Start(ivl);
        }
        _mechanism = Mechanism.Create(_s.Security);
        Span<byte> greeting = stackalloc byte[Zmtp.GreetingSize];
        Greeting.Write(greeting, _mechanism.Name, _mechanism.AsServer);
        SendRaw(greeting);
    }

    private void HandshakeTimedOut()
    {
        if (_phase is Phase.Greeting or Phase.Handshake)
            throw new ZmtpException("handshake did not complete within HANDSHAKE_IVL", CloseKind.HandshakeTimeout);
        if (_phase == Phase.ErrorLinger) CloseNow(_lingerReason!, kind: _lingerKind, detail: _lingerDetail);
    }

    /// <summary>Bytes arrived before the handshake completed: greeting checks, then the mechanism's commands.</summary>
    private void ProcessHandshake()
    {
        if (_handshakeDeferred) return; // its turn comes (OpResumeHandshake)
        if (_phase == Phase.Greeting && !ProcessGreeting()) return;
        while (_phase == Phase.Handshake)
        {
            if (_waitingFor == HandshakeWait.ZapReply) return; // resumed by the reply
            if (!TryTakeCommand()) return;
            if (_mechanism!.IsExpensive && !_io.HandshakeBudgetLeft)
            {
                UntakeCommand();
                _handshakeDeferred = true;
                _io.Defer(this, OpResumeHandshake); // other connections first; this one next turn
                return;
            }
            Step();
        }
        if (_phase == Phase.Active) ProcessTraffic();
    }

    /// <summary>Checks the peer's greeting as soon as each part is here (a ZMTP 1.0 peer waits for us: decide on byte 0). False until it is complete.</summary>
    private bool ProcessGreeting()
    {
        int have = _rend - _rstart;
        var g = _rbuf.AsSpan(_rstart, have);
        if (have >= 1 && g[0] != 0xFF) throw Refusal(Greeting.CheckSignature(g)!);
        if (have >= Zmtp.SignatureSize && Greeting.CheckSignature(g.Slice(0, Zmtp.SignatureSize)) is { } sigProblem) throw Refusal(sigProblem);
        if (have >= 11 && Greeting.CheckMajor(g[10]) is { } versionProblem) throw Refusal(versionProblem);
        if (have < Zmtp.GreetingSize) return false;
        var peer = Greeting.Parse(g.Slice(0, Zmtp.GreetingSize));
        _rstart += Zmtp.GreetingSize;
        PeerIsV31 = Greeting.IsV31(peer);
        if (peer.Mechanism != _mechanism!.Name)
            throw new ZmtpException($"security mechanism mismatch: we use {_mechanism.Name}, the peer uses {Zmtp.Printable(Encoding.ASCII.GetBytes(peer.Mechanism))}", CloseKind.MechanismMismatch);
        _phase = Phase.Handshake;
        _steps = _mechanism.Run(this);
        Step(); // the mechanism's opening move (e.g. a client's HELLO)
        return true;
    }

    private bool _handshakeDeferred;

    /// <summary>A handshake step that waited for the next turn's budget, or for the ZAP reply, goes on.</summary>
    private void ResumeHandshake()
    {
        _handshakeDeferred = false;
        if (Interlocked.CompareExchange(ref _rown, 1, 0) != 0) return; // traffic already, read by a caller
        try
        {
            ProcessHandshake();
            KeepUnparsed();
        }
        finally
        {
            Volatile.Write(ref _rown, 0);
        }
    }

    private static ZmtpException Refusal(string reason) => new(reason, CloseKind.UnsupportedVersion);

    /// <summary>Runs the mechanism until it waits again or is done.</summary>
    private void Step()
    {
        long t0 = Stopwatch.GetTimestamp();
        bool more;
        try
        {
            more = _steps!.MoveNext();
        }
        finally
        {
            if (_mechanism!.IsExpensive) _io.ChargeHandshake(Stopwatch.GetTimestamp() - t0);
            _cmdNameLength = _cmdDataLength = 0;
        }
        FlushHandshakeOutput();
        if (!more)
        {
            CompleteHandshake();
            return;
        }
        _waitingFor = _steps.Current;
    }

    /// <summary>A whole command frame at the front of the read buffer: taken as the current command.</summary>
    private bool TryTakeCommand()
    {
        int avail = _rend - _rstart;
        if (avail < 2) return false;
        int p = _rstart;
        byte flags = _rbuf[p];
        long size;
        int hdr;
        if ((flags & Zmtp.FlagLong) != 0)
        {
            if (avail < 9) return false;
            size = BinaryPrimitives.ReadInt64BigEndian(_rbuf.AsSpan(p + 1));
            hdr = 9;
        }
        else
        {
            size = _rbuf[p + 1];
            hdr = 2;
        }
        long max = _s.MaxMessageSize;
        if (max >= 0 && size > max) throw new ZmtpException($"handshake frame of {size} bytes exceeds MAXMSGSIZE {max}");
        if (size < 0 || size > BufferPool.Size - hdr) throw new ZmtpException($"handshake command of {size} bytes is too large");
        if ((flags & Zmtp.FlagCommand) == 0) throw new ZmtpException("expected a handshake command, got a message frame", CloseKind.UnexpectedCommand);
        if (avail - hdr < size) return false;
        var body = _rbuf.AsSpan(p + hdr, (int)size);
        int nameStart, nameLength;
        if (Zmtp.TryParseCommand(body, out var name, out _))
        {
            nameStart = p + hdr + 1;
            nameLength = name.Length;
        }
        else if (body.Length >= 5 && body[0] == 0x5E && body.Slice(1, 4).SequenceEqual("RROR"u8))
        {
            // libzmq's PLAIN server writes ERROR as 5E 'RROR' (a C escape ate the E): read it as the ERROR it is.
            nameStart = -1;
            nameLength = 5;
        }
        else
        {
            throw new ZmtpException("malformed command during handshake", CloseKind.UnexpectedCommand);
        }
        _cmdStart = nameStart;
        _cmdNameLength = nameLength;
        int dataStart = nameStart < 0 ? p + hdr + 5 : nameStart + nameLength;
        _cmdDataLength = p + hdr + (int)size - dataStart;
        _cmdDataStart = dataStart;
        _cmdFrameStart = p;
        _rstart = p + hdr + (int)size;
        return true;
    }

    private int _cmdDataStart, _cmdFrameStart;

    private void UntakeCommand()
    {
        _rstart = _cmdFrameStart;
        _cmdNameLength = _cmdDataLength = 0;
    }

    private void CompleteHandshake()
    {
        var mechanism = _mechanism!;
        var props = mechanism.PeerProperties;
        if (props.TryGetValue("Socket-Type", out var typeBytes) && SocketTypeInfo.TryParseWireName(typeBytes, out var peerType)) PeerType = peerType;
        if (props.TryGetValue("Identity", out var identity)) PeerIdentity = identity;
        _properties = new PeerProperties(props, PeerAddress);
        var codec = mechanism.Codec;
        if (codec is CurveCodec curve)
        {
            curve.PeerIsV31 = PeerIsV31;
            _curve = curve;
        }
        _codec = codec ?? new PlainCodec(PeerIsV31);
        DisposeHandshake();
        _handshakeTimer?.Cancel();
        EndHandshakeActivity(ok: true);
        MarkHandshakeDone();
        if (!AttachToSocket("refused by the socket (e.g. a second PAIR peer or a duplicate routing id)")) return;
        StartHeartbeats();
        WriteFromIo(); // whatever was queued before the connection existed
    }

    /// <summary>
    /// The handshake is over (or, raw, never was): joins the socket's routing and wires the pipes'
    /// signals to this connection. False when the socket refused it (closed, with <paramref name="refusal"/>) or it closed meanwhile.
    /// </summary>
    private bool AttachToSocket(string refusal)
    {
        var peer = _host.AttachConnection(this, _connectPeer);
        if (peer is null)
        {
            CloseNow(refusal, kind: CloseKind.Refused);
            return false;
        }
        _peer = peer;
        _phase = Phase.Active;
        peer.In.ProducerSignal = _inWaker;
        peer.Out.ConsumerSignal = _outWaker;
        peer.Out.ConsumerAttached();
        return !IsClosed;
    }

    private void DisposeHandshake()
    {
        _steps?.Dispose(); // runs the mechanism's finally blocks: secrets are wiped
        _steps = null;
        _zap?.Dispose();
        _zap = null;
    }

    // ---- IHandshakeChannel: what the mechanisms use ----

    SecuritySettings IHandshakeChannel.Settings => _s.Security;

    ReadOnlySpan<byte> IHandshakeChannel.CommandName =>
        _cmdStart < 0 ? Zmtp.Error : _rbuf.AsSpan(_cmdStart, _cmdNameLength);

    ReadOnlySpan<byte> IHandshakeChannel.CommandData => _rbuf.AsSpan(_cmdDataStart, _cmdDataLength);

    void IHandshakeChannel.SendCommand(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        int size = Zmtp.CommandSize(name.Length, data.Length);
        Span<byte> frame = size <= 512 ? stackalloc byte[size] : new byte[size];
        Zmtp.WriteCommand(frame, name, data);
        SendRaw(frame);
    }

    bool IHandshakeChannel.StartZap(byte[][] request)
    {
        var zap = _s.Security.Zap;
        if (zap is null) return false;
        _zap = zap.Send(request, () => _io.Post(this, OpZapReply));
        return _zap is not null;
    }

    byte[][] IHandshakeChannel.ZapReply => _zapReply;

    private void ZapReplyArrived()
    {
        if (_phase != Phase.Handshake || _waitingFor != HandshakeWait.ZapReply || _zap is null) return;
        if (!_zap.TryTakeReply(out var frames)) return; // woken early: the exchange re-armed itself
        _zap.Dispose();
        _zap = null;
        _zapReply = frames;
        Step();
        _zapReply = [];
        ResumeHandshake(); // commands that arrived meanwhile
    }

    /// <summary>
    /// The peer's address as libzmq gives it to ZAP and in the Peer-Address property: the IP without
    /// the port over tcp; over ipc <c>localhost:UID:GID:PID</c> from the peer's credentials (Linux
    /// SO_PEERCRED; plain <c>localhost</c> where they cannot be read).
    /// </summary>
    public string PeerAddress
    {
        get
        {
            try
            {
                if (_sock.RemoteEndPoint is System.Net.IPEndPoint ip) return ip.Address.ToString();
                return _sock.AddressFamily == AddressFamily.Unix ? "localhost" + UnixPeerCredentials(_sock) : "";
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return "";
            }
        }
    }

    /// <summary><c>:uid:gid:pid</c> of a Unix domain socket's peer (Linux struct ucred), or empty.</summary>
    private static string UnixPeerCredentials(System.Net.Sockets.Socket sock)
    {
        if (!OperatingSystem.IsLinux()) return "";
        const int SolSocket = 1, SoPeerCred = 17;
        Span<byte> cred = stackalloc byte[12]; // pid, uid, gid: three 32-bit integers
        if (sock.GetRawSocketOption(SolSocket, SoPeerCred, cred) != 12) return "";
        int pid = BitConverter.ToInt32(cred), uid = BitConverter.ToInt32(cred.Slice(4)), gid = BitConverter.ToInt32(cred.Slice(8));
        return FormattableString.Invariant($":{(uint)uid}:{(uint)gid}:{pid}");
    }

    /// <summary>
    /// After a refusal with ERROR: stop sending once the ERROR is out, so the peer reads it and sees
    /// the end; close when it hangs up or after a short grace (at most a second, within HANDSHAKE_IVL).
    /// </summary>
    private void LingerAfterError(ZmtpException z)
    {
        _phase = Phase.ErrorLinger;
        _lingerReason = z.Message;
        _lingerKind = z.Kind;
        _lingerDetail = z.Detail;
        DisposeHandshake();
        _handshakeTimer?.Cancel();
        _lingerAfterFlush = true;
        if (!HasPendingOutput) ShutdownAfterError();
        long grace = Math.Min(1000, Math.Max(1, _deadline - Environment.TickCount64));
        _lingerTimer = new IoTimer(_io, this, OpErrorLingerEnd);
        _lingerTimer.Start(grace);
    }

    private bool _lingerAfterFlush;

    private void ShutdownAfterError()
    {
        _lingerAfterFlush = false;
        try { _sock.Shutdown(SocketShutdown.Send); } catch (Exception) { }
    }
}
