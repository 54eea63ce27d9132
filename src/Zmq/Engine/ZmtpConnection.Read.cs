using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Zmq.Io;
using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Security;
using Zmq.Wire;

namespace Zmq.Engine;

/// <summary>
/// Receiving: each read goes into the I/O thread's scratch buffer and every frame in it is parsed
/// at once (<see cref="FrameDecoder"/>): complete messages are published to the inbound pipe
/// quietly and the consumer is woken once per read. A frame cut by the end of a read continues in
/// its message's own buffer, so nothing is left over between reads; only when the inbound pipe is
/// full (back-pressure: the connection stops reading until the consumer makes room) are the unparsed
/// bytes kept, in a buffer of the connection's own. Large bodies are read straight into their
/// message buffer.
/// </summary>
internal sealed partial class ZmtpConnection
{
    private enum Assembly : byte { None, Data, Command, Curve, Discard }

    private const int MaxReadsPerTurn = 4;
    private const int DirectReadThreshold = 16 * 1024;
    private const int MaxCommandSize = 64 * 1024 * 1024;

    private byte[] _rbuf = [];   // the scratch buffer while reading, or _own
    private byte[]? _own;        // unparsed bytes kept between turns (handshake remainder, back-pressure)
    private int _rstart, _rend;
    private FrameDecoder _decoder;
    private readonly InboundWaker _inWaker;
    private bool _readBlocked;   // the inbound pipe is full: not reading until it has room
    private FrameSet? _partial;  // message being assembled in the inbound pipe's reserved slot
    private bool _dropping;      // current message is being discarded (socket type receives no data)
    private Assembly _asm;       // what the body of the frame being received goes into
    private byte[]? _asmBuf;     // command or CURVE frame being assembled
    private int _asmFilled;
    private int _asmOffset;      // Data: where the frame's body starts in _partial.Data
    private int _asmLength;
    private long _lastReceived = Environment.TickCount64;
    private bool _awaitingTraffic; // a PING went out and nothing has arrived since

    private int _rown;            // read ownership: the I/O thread, or a receiving caller (design C)
    private bool _onCaller;       // the current reader is a caller: I/O-thread work is posted, not done
    private bool _parked;         // (I/O thread) read interest withdrawn while callers read themselves
    private bool _readEnded;      // a caller met the end of the stream or an error: the I/O thread finishes
    private Exception? _callerFault;
    private IoTimer? _parkTimer;
    private long _lastCallerRead;

    [ThreadStatic] private static byte[]? t_readScratch;

    /// <summary>How long the I/O thread leaves reading to callers after their last read before it reads again itself.</summary>
    private const int ParkMs = 10;

    private void ReadableOnIo()
    {
        if (_readBlocked)
        {
            _io.SetInterest(_ph, read: false, write: _ph.WantWrite);
            return;
        }
        if (Interlocked.CompareExchange(ref _rown, 1, 0) != 0)
        {
            Park(); // a caller is reading: leave it to them for now
            return;
        }
        try
        {
            ReadLoop(_io.ReadScratch);
            // A caller's direct read can take the bytes this readiness was for and leave whole
            // messages kept in the buffer, its take then failing because the reading is owned here
            // (this turn): the kernel has nothing more, so unless they are queued now nobody would
            // (an asynchronous receive or a readiness watch waits for the queue, not the buffer).
            if (_phase == Phase.Active && !_readBlocked && !_closeDone && HasWholeKept())
            {
                ProcessTraffic();
                KeepUnparsed();
            }
        }
        finally
        {
            Volatile.Write(ref _rown, 0);
        }
    }

    /// <summary>Reads and parses until the socket has nothing more, the pipe is full, or the turn's share is used; true when bytes arrived.</summary>
    private bool ReadLoop(byte[] scratch)
    {
        bool got = false;
        for (int reads = 0; reads < MaxReadsPerTurn; reads++)
        {
            if (_phase == Phase.Active && TryReadBodyDirect(out bool more))
            {
                got = true;
                if (!more) break;
                continue;
            }
            if (_rstart == _rend)
            {
                // Everything parsed: read into the scratch buffer again.
                if (_own is not null)
                {
                    BufferPool.Return(_own);
                    _own = null;
                }
                _rbuf = scratch;
                _rstart = _rend = 0;
            }
            else if (_rstart > 0)
            {
                Buffer.BlockCopy(_rbuf, _rstart, _rbuf, 0, _rend - _rstart);
                _rend -= _rstart;
                _rstart = 0;
            }
            if (_eofPending) break; // nothing more will come; what is kept is parsed first
            int space = _rbuf.Length - _rend;
            if (space == 0) throw new ZmtpException("a handshake command does not fit the read buffer");
            int n = _sock.Receive(_rbuf.AsSpan(_rend, space), SocketFlags.None, out var err);
            if (err == SocketError.WouldBlock) break;
            if (err != SocketError.Success) throw new SocketException((int)err);
            if (n == 0)
            {
                EndOfStream();
                return got;
            }
            got = true;
            Received();
            _rend += n;
            Process();
            if (_closeDone || _readBlocked || _readEnded) break;
            if (_onCaller && _rstart < _rend) break; // the pipe filled: the caller takes a message first
            if (n < space) break; // a short read: the kernel had no more just now
        }
        KeepUnparsed();
        return got;
    }

    /// <summary>
    /// The caller-thread read (design C): a receive found its queue empty and this is its socket's
    /// one connection: the caller reads and parses the socket itself, saving the I/O thread's
    /// wake-up and the hand-over. Returns true when bytes arrived (messages may be queued now).
    /// I/O-thread work met on the way (a PING's answer, the end of the stream, an error) is posted.
    /// </summary>
    public bool ReadFromCaller(bool direct = false)
    {
        if (_phase != Phase.Active || _shutDownByUs || _closeDone || _readEnded || _raw) return false;
        if (Interlocked.CompareExchange(ref _rown, 1, 0) != 0) return false;
        _onCaller = true;
        bool got = false;
        try
        {
            if (_closeDone || _readEnded) return false;
            Volatile.Write(ref _lastCallerRead, Environment.TickCount64);
            if (direct && _curve is null)
            {
                got = ReadBuffered();
                return got;
            }
            if (_rstart < _rend)
            {
                // Bytes kept from before (the pipe was full): parse them before reading more.
                int before = _peer!.In.Count;
                ProcessTraffic();
                if (_peer.In.Count > before)
                {
                    KeepUnparsed();
                    return true;
                }
            }
            got = ReadLoop(t_readScratch ??= GC.AllocateUninitializedArray<byte>(BufferPool.Size));
        }
        catch (Exception e)
        {
            CallerFault(e);
            got = true;
        }
        finally
        {
            _onCaller = false;
            Volatile.Write(ref _rown, 0);
        }
        if (got && !Volatile.Read(ref _parkedOrParking)) RequestPark();
        return got;
    }

    private bool _parkedOrParking;

    /// <summary>Callers are reading: the I/O thread withdraws its read interest (posted once per take-over, not per read).</summary>
    private void RequestPark()
    {
        Volatile.Write(ref _parkedOrParking, true);
        _io.Post(this, OpPark);
    }

    /// <summary>On the I/O thread: stop reading while callers do.</summary>
    private void Park()
    {
        Volatile.Write(ref _parkedOrParking, true);
        if (_parked || _closeDone) return;
        _parked = true;
        _io.SetInterest(_ph, read: false, write: _ph.WantWrite);
        (_parkTimer ??= new IoTimer(_io, this, OpParkCheck)).Start(ParkMs);
    }

    /// <summary>Callers have not read for a while: the I/O thread reads again (the peer's PINGs and the queue's fill must not wait for the application).</summary>
    private void ParkCheck()
    {
        if (!_parked || _closeDone) return;
        if (Environment.TickCount64 - Volatile.Read(ref _lastCallerRead) < ParkMs || Volatile.Read(ref _rown) != 0)
        {
            _parkTimer!.Start(ParkMs);
            return;
        }
        _parked = false;
        Volatile.Write(ref _parkedOrParking, false);
        ParseKept();
        if (!_readBlocked && !_closeDone) _io.SetInterest(_ph, read: true, write: _ph.WantWrite);
    }

    /// <summary>Bytes a caller read but did not take (it stopped receiving) go to the inbound queue now, PINGs answered.</summary>
    private void ParseKept()
    {
        if (_rstart == _rend || _phase != Phase.Active || Interlocked.CompareExchange(ref _rown, 1, 0) != 0) return;
        try
        {
            // Parsing resumes here whatever stopped it: a full queue blocks (and arms the waker) again.
            _readBlocked = false;
            ProcessTraffic();
            KeepUnparsed();
        }
        finally
        {
            Volatile.Write(ref _rown, 0);
        }
    }

    /// <summary>
    /// A receive with nothing to take waits on this connection's socket from its own thread (Linux:
    /// poll on the socket and the signal's eventfd), holding the read ownership meanwhile, so the
    /// kernel wakes exactly the thread that will read. False when it cannot (then the caller waits
    /// on the signal, and the I/O thread reads).
    /// </summary>
    public bool WaitReadable(Internal.Signal signal, int epoch, int timeoutMs)
    {
        if (_phase != Phase.Active || _closeDone || _readEnded || _shutDownByUs || _eofPending || _raw) return false;
        var wake = signal.WakeFd;
        if (wake is null) return false;
        if (Interlocked.CompareExchange(ref _rown, 1, 0) != 0) return false; // someone reads: they will notify
        bool sockRef = false, wakeRef = false;
        signal.BeginPollWait();
        try
        {
            if (signal.Epoch != epoch || _closeDone || HasWholeKept()) return true; // something to do already
            _sock.SafeHandle.DangerousAddRef(ref sockRef);
            wake.DangerousAddRef(ref wakeRef);
            Volatile.Write(ref _lastCallerRead, Environment.TickCount64);
            int wakeFd = (int)wake.DangerousGetHandle();
            if (FdWait.Poll((int)_sock.SafeHandle.DangerousGetHandle(), wakeFd, timeoutMs)) wake.Drain(wakeFd);
            Volatile.Write(ref _lastCallerRead, Environment.TickCount64);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return true; // closed meanwhile: the next try says so
        }
        finally
        {
            signal.EndPollWait();
            if (wakeRef) wake.DangerousRelease();
            if (sockRef) _sock.SafeHandle.DangerousRelease();
            Volatile.Write(ref _rown, 0);
        }
    }

    /// <summary>True when the buffer keeps a whole message (or something the ordinary path must parse): a waiter has work without waiting.</summary>
    private bool HasWholeKept() =>
        _rstart < _rend && _decoder.AtFrameBoundary && _partial is null && _asm == Assembly.None
        && WholeMessage(new ReadOnlySpan<byte>(_rbuf, _rstart, _rend - _rstart), out _) != -1;

    /// <summary>A caller stops reading (it sleeps on the signal now): the I/O thread, if it left reading to callers, takes it back at once.</summary>
    public void HandBack()
    {
        if (!Volatile.Read(ref _parkedOrParking)) return;
        Volatile.Write(ref _parkedOrParking, false);
        _io.Post(this, OpUnpark);
    }

    private void Unpark()
    {
        if (!_parked || _closeDone) return;
        _parked = false;
        _parkTimer?.Cancel();
        ParseKept();
        if (!_readBlocked && _phase == Phase.Active && !_closeDone) _io.SetInterest(_ph, read: true, write: _ph.WantWrite);
    }

    /// <summary>A caller met what only the I/O thread may act on: it is posted there.</summary>
    private void CallerFault(Exception e)
    {
        _callerFault = e;
        _readEnded = true;
        _io.Post(this, OpCallerFault);
    }

    private sealed class EndOfStreamSeen : Exception;

    private void CallerFaultOnIo()
    {
        var fault = _callerFault;
        _callerFault = null;
        if (fault is EndOfStreamSeen) EndOfStream();
        else if (fault is not null) Fail(fault);
    }

    private void Received()
    {
        _awaitingTraffic = false;
        _lastReceived = Environment.TickCount64;
    }

    /// <summary>Whatever state the connection is in, handles the bytes between <see cref="_rstart"/> and <see cref="_rend"/>.</summary>
    private void Process()
    {
        switch (_phase)
        {
            case Phase.Active when !_shutDownByUs:
                ProcessTraffic();
                break;
            case Phase.Greeting or Phase.Handshake:
                ProcessHandshake();
                break;
            default:
                _rstart = _rend; // closing: what arrives now is discarded
                break;
        }
    }

    /// <summary>Bytes not parsed yet move out of the shared scratch buffer into one of our own; an empty own buffer goes back to the pool.</summary>
    private void KeepUnparsed()
    {
        int left = _rend - _rstart;
        if (_rbuf == _own)
        {
            if (left > 0 || _own is null) return;
            BufferPool.Return(_own);
            _own = null;
            _rbuf = [];
            _rstart = _rend = 0;
            return;
        }
        if (left > 0 && !_closeDone)
        {
            _own = BufferPool.Rent();
            Buffer.BlockCopy(_rbuf, _rstart, _own, 0, left);
            _rbuf = _own;
            _rstart = 0;
            _rend = left;
            return;
        }
        _rbuf = [];
        _rstart = _rend = 0;
    }

    /// <summary>The peer closed while whole messages were still kept unparsed (the queue was full): they are delivered first, then the connection closes.</summary>
    private bool _eofPending;

    private void EndOfStream()
    {
        if (_phase == Phase.Active && !_shutDownByUs && _rstart < _rend)
        {
            _eofPending = true;
            if (!_onCaller) _io.SetInterest(_ph, read: false, write: _ph.WantWrite);
            return;
        }
        _eofPending = false;
        if (_onCaller)
        {
            CallerFault(new EndOfStreamSeen());
            return;
        }
        switch (_phase)
        {
            case Phase.ErrorLinger:
                CloseNow(_lingerReason!, kind: _lingerKind, detail: _lingerDetail);
                return;
            case Phase.Greeting or Phase.Handshake:
                throw new ZmtpException("peer closed the connection during the handshake", CloseKind.PeerClosed);
        }
        if (_shutDownByUs) CloseNow("socket disposed", error: false);
        else CloseNow("peer closed the connection", error: false, CloseKind.PeerClosed);
    }

    /// <summary>The consumer made room: parse what was kept, then read again.</summary>
    private void ResumeRead()
    {
        if (!_readBlocked || _phase != Phase.Active) return;
        _readBlocked = false;
        if (Interlocked.CompareExchange(ref _rown, 1, 0) != 0)
        {
            Park(); // a caller is reading (and parsing what was kept)
            return;
        }
        try
        {
            ProcessTraffic();
            KeepUnparsed();
        }
        finally
        {
            Volatile.Write(ref _rown, 0);
        }
        if (!_readBlocked && !_closeDone && !_parked) _io.SetInterest(_ph, read: true, write: _ph.WantWrite);
    }

    /// <summary>Parses every frame in the buffer into the inbound pipe; stops early only when the pipe is full.</summary>
    private void ProcessTraffic()
    {
        if (_raw)
        {
            ProcessRaw();
            return;
        }
        var inbound = _peer!.In;
        var buf = _rbuf;
        int published = 0;
        try
        {
            while (_rstart < _rend)
            {
                if (_partial is null && _asm == Assembly.None && !_dropping && _decoder.AtFrameBoundary
                    && inbound.IsFull && !inbound.IsConflating && BlockOnFullPipe(inbound, ref published))
                    return;
                var step = _decoder.Next(new ReadOnlySpan<byte>(buf, _rstart, _rend - _rstart), out int consumed, out int off, out int len);
                int at = _rstart;
                _rstart += consumed;
                switch (step)
                {
                    case DecodeStep.Frame:
                        OnFrame(_decoder.Flags, new Span<byte>(buf, at + off, len), inbound, ref published);
                        break;
                    case DecodeStep.FrameStart:
                        OnFrameStart(inbound, ref published);
                        break;
                    case DecodeStep.BodyChunk:
                        OnBodyChunk(new ReadOnlySpan<byte>(buf, at + off, len), inbound, ref published);
                        break;
                }
                if (_closeDone) return;
            }
        }
        finally
        {
            if (published > 0) inbound.WakeConsumer();
        }
        if (_eofPending && _rstart == _rend && !_closeDone) EndOfStream();
    }

    /// <summary>
    /// The pipe is full and the next frame starts a message: stop reading until the consumer makes
    /// room (it wakes us through <see cref="_inWaker"/>). False when room appeared meanwhile.
    /// </summary>
    private bool BlockOnFullPipe(Pipe inbound, ref int published)
    {
        if (published > 0)
        {
            inbound.WakeConsumer();
            published = 0;
        }
        if (_onCaller) return true; // the caller itself is the consumer: it takes a message and comes back
        _inWaker.Arm();
        if (!inbound.IsFull && _inWaker.Disarm()) return false;
        _readBlocked = true;
        _io.SetInterest(_ph, read: false, write: _ph.WantWrite);
        return true;
    }

    /// <summary>A whole frame in the buffer: opened (CURVE) and handled in place.</summary>
    private void OnFrame(byte flags, Span<byte> body, Pipe inbound, ref int published)
    {
        if (_curve is not null)
        {
            if ((flags & Zmtp.FlagCommand) != 0)
                throw new ZmtpException("a command frame after the CURVE handshake: every frame must travel in a MESSAGE box", CloseKind.ProtocolCode, (long)ZmqProtocolError.ZmtpUnexpectedCommand);
            if (_curve.Open(ref flags, body, out int start, out int length, out var code) is { } problem)
                throw new ZmtpException(problem, CloseKind.ProtocolCode, (long)code);
            body = body.Slice(start, length);
        }
        if ((flags & Zmtp.FlagCommand) != 0) HandleCommand(body, inbound, ref published);
        else OnDataFrame(flags, body, inbound, ref published);
    }

    private void OnDataFrame(byte flags, ReadOnlySpan<byte> body, Pipe inbound, ref int published)
    {
        if (!_s.ReceivesData || _dropping)
        {
            _dropping = (flags & Zmtp.FlagMore) != 0;
            return;
        }
        var fs = _partial ??= ReserveSlot(inbound);
        fs.Add(body);
        if ((flags & Zmtp.FlagMore) == 0)
        {
            inbound.CommitQuiet();
            _partial = null;
            published++;
        }
    }

    private FrameSet ReserveSlot(Pipe inbound)
    {
        var fs = inbound.TryReserve() ?? throw new InvalidOperationException("inbound pipe full after the room check");
        fs.Properties = _properties;
        return fs;
    }

    /// <summary>A frame whose body continues in later reads: decide where the body goes.</summary>
    private void OnFrameStart(Pipe inbound, ref int published)
    {
        long size = _decoder.Size;
        byte flags = _decoder.Flags;
        _asmFilled = 0;
        _asmLength = (int)size;
        if (_curve is not null)
        {
            if ((flags & Zmtp.FlagCommand) != 0)
                throw new ZmtpException("a command frame after the CURVE handshake: every frame must travel in a MESSAGE box", CloseKind.ProtocolCode, (long)ZmqProtocolError.ZmtpUnexpectedCommand);
            _asm = Assembly.Curve;
            _asmBuf = RentAssembly((int)size);
            return;
        }
        if ((flags & Zmtp.FlagCommand) != 0)
        {
            if (size > MaxCommandSize) throw new ZmtpException($"command of {size} bytes is too large");
            _asm = Assembly.Command;
            _asmBuf = RentAssembly((int)size);
            return;
        }
        if (!_s.ReceivesData || _dropping)
        {
            _asm = Assembly.Discard;
            return;
        }
        var fs = _partial ??= ReserveSlot(inbound);
        fs.AddUninitialized((int)size);
        _asmOffset = fs.Length - (int)size;
        _asm = Assembly.Data;
    }

    private void OnBodyChunk(ReadOnlySpan<byte> chunk, Pipe inbound, ref int published)
    {
        switch (_asm)
        {
            case Assembly.Data:
                chunk.CopyTo(new Span<byte>(_partial!.Data, _asmOffset + _asmFilled, chunk.Length));
                break;
            case Assembly.Command or Assembly.Curve:
                chunk.CopyTo(new Span<byte>(_asmBuf, _asmFilled, chunk.Length));
                break;
        }
        _asmFilled += chunk.Length;
        if (!_decoder.InBody) FrameAssembled(inbound, ref published);
    }

    /// <summary>The body of a frame that spanned reads is complete.</summary>
    private void FrameAssembled(Pipe inbound, ref int published)
    {
        var kind = _asm;
        _asm = Assembly.None;
        byte flags = _decoder.Flags;
        switch (kind)
        {
            case Assembly.Data:
                if ((flags & Zmtp.FlagMore) == 0)
                {
                    inbound.CommitQuiet();
                    _partial = null;
                    published++;
                }
                break;
            case Assembly.Discard:
                _dropping = (flags & Zmtp.FlagMore) != 0;
                break;
            case Assembly.Command or Assembly.Curve:
                var buf = _asmBuf!;
                try
                {
                    OnFrame(flags, buf.AsSpan(0, _asmLength), inbound, ref published);
                }
                finally
                {
                    _asmBuf = null;
                    ReturnAssembly(buf);
                }
                break;
        }
    }

    /// <summary>
    /// A large body still to come and nothing buffered: read it straight into where it goes (the
    /// message's buffer, or the assembly of a CURVE frame), skipping the copy. False when it does not apply.
    /// </summary>
    private bool TryReadBodyDirect(out bool more)
    {
        more = false;
        if (!_decoder.InBody || _rstart != _rend || _decoder.Remaining < DirectReadThreshold) return false;
        Span<byte> dest;
        switch (_asm)
        {
            case Assembly.Data:
                dest = new Span<byte>(_partial!.Data, _asmOffset + _asmFilled, (int)_decoder.Remaining);
                break;
            case Assembly.Curve or Assembly.Command:
                dest = new Span<byte>(_asmBuf, _asmFilled, (int)_decoder.Remaining);
                break;
            default:
                return false;
        }
        int n = _sock.Receive(dest, SocketFlags.None, out var err);
        if (err == SocketError.WouldBlock) return true;
        if (err != SocketError.Success) throw new SocketException((int)err);
        if (n == 0)
        {
            if (_shutDownByUs) EndOfStream();
            else throw new IOException("peer closed the connection in the middle of a frame");
            return true;
        }
        Received();
        _decoder.SkipBody(n);
        _asmFilled += n;
        if (!_decoder.InBody)
        {
            var inbound = _peer!.In;
            int published = 0;
            FrameAssembled(inbound, ref published);
            if (published > 0) inbound.WakeConsumer();
        }
        more = n == dest.Length;
        return true;
    }

    private static byte[] RentAssembly(int size) => size <= BufferPool.Size ? BufferPool.Rent() : ArrayPool<byte>.Shared.Rent(size);

    private static void ReturnAssembly(byte[] buf)
    {
        if (buf.Length == BufferPool.Size) BufferPool.Return(buf);
        else ArrayPool<byte>.Shared.Return(buf);
    }

    private void HandleCommand(ReadOnlySpan<byte> body, Pipe inbound, ref int published)
    {
        if (!Zmtp.TryParseCommand(body, out var name, out var data))
            throw new ZmtpException("malformed command frame");
        if (name.SequenceEqual(Zmtp.Ping))
        {
            var context = data.Length >= 2 ? data.Slice(2) : default; // libzmq accepts a PING without TTL
            int ttlDeciseconds = data.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(data) : 0;
            if (context.Length > 16) context = context.Slice(0, 16);
            Volatile.Write(ref _pendingPong, context.ToArray());
            if (_onCaller)
            {
                Volatile.Write(ref _pendingTtlMs, ttlDeciseconds * 100);
                _io.Post(this, OpPingReceived);
            }
            else
            {
                if (ttlDeciseconds > 0) ArmPeerTtl(ttlDeciseconds * 100);
                WriteFromIo();
            }
        }
        else if (name.SequenceEqual(Zmtp.Subscribe) || name.SequenceEqual(Zmtp.Cancel))
        {
            if (!_s.ReceivesSubscriptions) return;
            if (_partial != null) throw new ZmtpException("subscription command inside a multipart message");
            var fs = ReserveSlot(inbound);
            var dest = fs.AddUninitialized(1 + data.Length);
            dest[0] = name.Length == Zmtp.Subscribe.Length ? (byte)1 : (byte)0;
            data.CopyTo(dest.Slice(1));
            inbound.CommitQuiet();
            published++;
        }
        else if (name.SequenceEqual(Zmtp.Error))
        {
            string reason = data.Length > 0 ? Zmtp.Printable(data.Slice(1, Math.Min(data[0], data.Length - 1))) : "";
            throw new ZmtpException($"peer sent ERROR: \"{reason}\"", CloseKind.PeerError);
        }
        else if (name.SequenceEqual(Zmtp.Ready))
        {
            throw new ZmtpException("unexpected READY after the handshake");
        }
        // PONG and unknown commands are ignored, as libzmq does.
    }

    private int _pendingTtlMs;

    /// <summary>A caller read a PING: the I/O thread arms the TTL and writes the PONG.</summary>
    private void PingReceivedOnIo()
    {
        int ttl = Interlocked.Exchange(ref _pendingTtlMs, 0);
        if (ttl > 0) ArmPeerTtl(ttl);
        WriteFromIo();
    }

    /// <summary>Gives back what the connection holds of the pools (on close; left to the GC if a caller is reading at that moment).</summary>
    private void ReleaseBuffers()
    {
        if (Interlocked.CompareExchange(ref _rown, 1, 0) != 0)
        {
            ReleaseWriteBuffers();
            return;
        }
        if (_own is not null)
        {
            BufferPool.Return(_own);
            _own = null;
        }
        _rbuf = [];
        if (_asmBuf is not null)
        {
            ReturnAssembly(_asmBuf);
            _asmBuf = null;
        }
        ReleaseWriteBuffers();
    }

    /// <summary>Wakes a connection that stopped reading because its inbound pipe was full.</summary>
    private sealed class InboundWaker(ZmtpConnection connection) : ArmedWaker
    {
        protected override void Woken() => connection._io.Post(connection, OpResumeRead);
    }
}
