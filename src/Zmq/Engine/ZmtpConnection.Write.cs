using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Zmq.Io;
using Zmq.Messages;
using Zmq.Security;
using Zmq.Wire;

namespace Zmq.Engine;

/// <summary>
/// Sending: whoever owns the connection's writing (one compare-and-swap word) encodes everything
/// queued into one batch of up to 64 KiB and writes it with one non-blocking call; what the kernel
/// does not take waits in a buffer of the connection's own until the socket is writable again.
/// A message larger than a batch goes out frame by frame, large bodies straight from the message's
/// buffer. The owner is the I/O thread, or the caller's thread right after a send that found the
/// connection idle: that message then leaves without waking any thread (at most once per 20 µs, so
/// that a burst still leaves in big batches from the I/O thread). CURVE seals each frame under
/// the same ownership, so nonces go out in order whoever writes.
/// </summary>
internal sealed partial class ZmtpConnection
{
    private static readonly long InlineGapTicks = Stopwatch.Frequency / 50_000; // 20 µs

    [ThreadStatic] private static byte[]? t_batch;

    private IFrameCodec _codec = null!;
    private CurveCodec? _curve;
    private readonly OutboundWaker _outWaker;
    private int _wown;            // 1 while someone writes
    private int _flushRequested;  // someone wanted to write while another owned the writing
    private byte[]? _pending;     // bytes written to the batch that the kernel has not taken yet
    private int _pendingOff, _pendingLen;
    private bool _pendingPooled;  // _pending came from BufferPool (else from ArrayPool.Shared)
    private FrameSet? _large;     // a message larger than a batch, going out frame by frame
    private int _largeFrame, _largeSent;
    private bool _largeHeaderDone;
    private byte[]? _pendingPong;
    private bool _pingDue;
    private long _lastInline;

    private bool HasPendingOutput => _pendingLen > 0 || _large is not null;

    /// <summary>True when nobody writes and the kernel last took everything: a caller's write may go ahead.</summary>
    public bool CanWriteNow => _phase == Phase.Active && !_shutDownByUs && !HasPendingOutput && Volatile.Read(ref _wown) == 0 && !_closeDone;

    /// <summary>True while nothing is queued or in flight on our side of the socket.</summary>
    public bool WriterIdle => !HasPendingOutput && (_peer is null || _peer.Out.IsEmpty) && Volatile.Read(ref _wown) == 0;

    // ---- handshake output: only the I/O thread writes before the pipes are attached ----

    /// <summary>Writes bytes now as far as the kernel takes them; the rest waits for writability.</summary>
    private void SendRaw(ReadOnlySpan<byte> data)
    {
        if (_pendingLen == 0)
        {
            int n = SendSome(data);
            if (n == data.Length) return;
            data = data.Slice(n);
        }
        AppendPending(data);
        _io.SetInterest(_ph, read: _ph.WantRead, write: true);
    }

    private void FlushHandshakeOutput()
    {
        if (HasPendingOutput) _io.SetInterest(_ph, read: _ph.WantRead, write: true);
        else if (_lingerAfterFlush) ShutdownAfterError();
    }

    private void AppendPending(ReadOnlySpan<byte> data)
    {
        if (_pending is null)
        {
            _pendingPooled = data.Length <= BufferPool.Size;
            _pending = _pendingPooled ? BufferPool.Rent() : ArrayPool<byte>.Shared.Rent(data.Length);
            _pendingOff = _pendingLen = 0;
        }
        else if (_pendingOff + _pendingLen + data.Length > _pending.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_pendingLen + data.Length);
            Buffer.BlockCopy(_pending, _pendingOff, bigger, 0, _pendingLen);
            ReturnPending();
            _pending = bigger;
            _pendingPooled = false;
            _pendingOff = 0;
        }
        data.CopyTo(_pending.AsSpan(_pendingOff + _pendingLen));
        _pendingLen += data.Length;
    }

    private void ReturnPending()
    {
        var p = _pending;
        if (p is null) return;
        _pending = null;
        _pendingOff = _pendingLen = 0;
        if (_pendingPooled) BufferPool.Return(p);
        else ArrayPool<byte>.Shared.Return(p);
    }

    /// <summary>Non-blocking send; 0 when the kernel's buffer is full.</summary>
    private int SendSome(ReadOnlySpan<byte> data)
    {
        int n = _sock.Send(data, SocketFlags.None, out var err);
        if (err == SocketError.Success) return n;
        if (err == SocketError.WouldBlock) return 0;
        throw new SocketException((int)err);
    }

    /// <summary>Sends what waits in <see cref="_pending"/>; true when all of it went.</summary>
    private bool SendPending()
    {
        while (_pendingLen > 0)
        {
            int n = SendSome(_pending.AsSpan(_pendingOff, _pendingLen));
            if (n == 0) return false;
            _pendingOff += n;
            _pendingLen -= n;
        }
        ReturnPending();
        return true;
    }

    // ---- who writes ----

    private void WritableOnIo()
    {
        if (_phase != Phase.Active)
        {
            if (SendPending())
            {
                _io.SetInterest(_ph, read: _ph.WantRead, write: false);
                if (_lingerAfterFlush) ShutdownAfterError();
            }
            return;
        }
        WriteFromIo();
    }

    /// <summary>The I/O thread writes (a flush was posted, the socket became writable, a PING or PONG is due).</summary>
    private void WriteFromIo()
    {
        if (_phase != Phase.Active || _shutDownByUs) return; // after our half-close nothing more is written
        if (Interlocked.CompareExchange(ref _wown, 1, 0) != 0)
        {
            RequestFlush();
            return;
        }
        Volatile.Write(ref _flushRequested, 0);
        bool idle;
        try
        {
            idle = WriteOut(_io.WriteScratch);
        }
        finally
        {
            Volatile.Write(ref _wown, 0);
        }
        _io.SetInterest(_ph, read: _ph.WantRead, write: !idle);
        if (idle)
        {
            _host.NotifyWriterIdle();
            if (_closeWhenWritten) CloseWrittenNow();
        }
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _flushRequested) != 0) _io.Post(this, OpFlush);
    }

    /// <summary>A caller's write stopped short of the end: the I/O thread waits for writability.</summary>
    private void WantWrite()
    {
        if (HasPendingOutput) _io.SetInterest(_ph, read: _ph.WantRead, write: true);
        else WriteFromIo();
    }

    /// <summary>
    /// Called right after a send queued a message to this idle connection, on the sender's thread,
    /// outside the socket's lock: writes it from here when it is allowed to, else hands it to the
    /// I/O thread. Never blocks.
    /// </summary>
    public void FlushFromCaller()
    {
        if (Interlocked.CompareExchange(ref _wown, 1, 0) != 0)
        {
            RequestFlush();
            return;
        }
        bool idle = false, failed = false;
        try
        {
            idle = WriteOut(t_batch ??= new byte[BufferPool.Size]);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            failed = true; // the I/O thread meets the same error and closes the connection
        }
        finally
        {
            _lastInline = Stopwatch.GetTimestamp();
            Volatile.Write(ref _wown, 0);
        }
        Interlocked.MemoryBarrier();
        if (failed || Volatile.Read(ref _flushRequested) != 0) _io.Post(this, OpFlush);
        else if (!idle) _io.Post(this, OpWantWrite);
        else _host.NotifyWriterIdle();
    }

    /// <summary>The writing is owned elsewhere: ask the owner to look again when it lets go.</summary>
    private void RequestFlush()
    {
        Volatile.Write(ref _flushRequested, 1);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _wown) == 0) _io.Post(this, OpFlush); // it let go before it could see the request
    }

    /// <summary>
    /// A producer queued a message while this connection was idle (called under the socket's lock,
    /// on the producer's thread). Within a send, the message is written on that thread after the lock
    /// is released (<see cref="IEngineHost.DeferFlushToSender"/>); otherwise the I/O thread writes it.
    /// </summary>
    private void OutboundReady()
    {
        if (!_io.IsCurrent && Stopwatch.GetTimestamp() - _lastInline >= InlineGapTicks && _host.DeferFlushToSender(this)) return;
        _io.Post(this, OpFlush);
    }

    // ---- the batch writer (the owner only) ----

    /// <summary>
    /// Writes what waits and everything queued until the socket would block (false) or nothing is
    /// left and the connection is idle again (true, with the outbound waker armed).
    /// </summary>
    private bool WriteOut(byte[] batch)
    {
        if (_closeDone) return true;
        if (_pendingLen > 0 && !SendPending()) return false;
        if (_large is not null && !SendLarge(batch)) return false;
        var outbound = _peer!.Out;
        var codec = _codec;
        while (true)
        {
            int pos = 0;
            var pong = Interlocked.Exchange(ref _pendingPong, null);
            if (pong != null) pos += codec.WriteCommand(batch, Zmtp.Pong, pong);
            if (_pingDue)
            {
                _pingDue = false;
                pos += WritePing(batch.AsSpan(pos));
            }
            int released = 0;
            FrameSet? fs;
            while (true)
            {
                int small = outbound.PeekSmall(out var record);
                if (small < 0) break;
                if (small > 0)
                {
                    if (TryEncodeSmall(codec, record, batch.AsSpan(pos), out int encoded))
                    {
                        pos += encoded;
                        outbound.ReleaseQuiet(1);
                        released++;
                        continue;
                    }
                    if (pos > 0) break; // the batch is full: send it first
                }
                if ((fs = outbound.Peek()) is null) break;
                if (codec.TryEncode(fs, batch.AsSpan(pos), out int written))
                {
                    pos += written;
                    outbound.ReleaseQuiet(1);
                    released++;
                    continue;
                }
                if (pos == 0)
                {
                    _large = fs; // released once all of it is written
                    _largeFrame = _largeSent = 0;
                    _largeHeaderDone = false;
                }
                break;
            }
            if (released > 0)
            {
                _messagesWritten += released;
                outbound.WakeProducer();
            }
            if (pos > 0)
            {
                _bytesWritten += pos;
                int n = SendSome(batch.AsSpan(0, pos));
                if (n < pos)
                {
                    AppendPending(batch.AsSpan(n, pos - n));
                    return false;
                }
            }
            if (_large is not null)
            {
                if (!SendLarge(batch)) return false;
                continue;
            }
            if (pos > 0) continue; // more may have been queued meanwhile
            _outWaker.Arm();
            if (outbound.IsEmpty && !_pingDue && Volatile.Read(ref _pendingPong) == null) return true;
            if (!_outWaker.Disarm()) return true; // a producer took the wake-up: it hands us the write
        }
    }

    /// <summary>
    /// Encodes a small message as the pipe keeps it (each frame a length byte and its bytes) when
    /// it fits in <paramref name="dest"/>: no copy into a FrameSet first.
    /// </summary>
    private static bool TryEncodeSmall(IFrameCodec codec, ReadOnlySpan<byte> record, Span<byte> dest, out int written)
    {
        int size = 0;
        for (int p = 0; p < record.Length; p += 1 + record[p]) size += codec.FrameSize(record[p]);
        written = 0;
        if (size > dest.Length) return false;
        for (int p = 0; p < record.Length;)
        {
            int len = record[p];
            int next = p + 1 + len;
            written += codec.WriteFrame(dest.Slice(written), more: next < record.Length, record.Slice(p + 1, len));
            p = next;
        }
        return true;
    }

    /// <summary>Writes the message in <see cref="_large"/> frame by frame; true when all of it went (it is then released).</summary>
    private bool SendLarge(byte[] batch)
    {
        var fs = _large!;
        int last = fs.Count - 1;
        Span<byte> header = stackalloc byte[9];
        while (_largeFrame <= last)
        {
            int start = fs.Start(_largeFrame), len = fs.FrameLength(_largeFrame);
            bool more = _largeFrame < last;
            if (!_largeHeaderDone)
            {
                _largeHeaderDone = true;
                _largeSent = 0;
                if (_curve is not null || len <= batch.Length - 9)
                {
                    // Sealed (CURVE) or small: the whole frame through a buffer.
                    int size = _codec.FrameSize(len);
                    var buf = size <= batch.Length ? batch : ArrayPool<byte>.Shared.Rent(size);
                    try
                    {
                        int w = _codec.WriteFrame(buf, more, new ReadOnlySpan<byte>(fs.Data, start, len));
                        _bytesWritten += w;
                        int n = SendSome(buf.AsSpan(0, w));
                        _largeSent = len;
                        _largeFrame++;
                        _largeHeaderDone = false;
                        if (n < w)
                        {
                            AppendPending(buf.AsSpan(n, w - n));
                            return false;
                        }
                    }
                    finally
                    {
                        if (buf != batch) ArrayPool<byte>.Shared.Return(buf);
                    }
                    continue;
                }
                int h = _raw ? 0 : Zmtp.WriteHeader(header, more ? Zmtp.FlagMore : (byte)0, len);
                _bytesWritten += h + len;
                int sent = SendSome(header.Slice(0, h));
                if (sent < h)
                {
                    AppendPending(header.Slice(sent, h - sent));
                    return false;
                }
            }
            // The body straight from the message's buffer.
            while (_largeSent < len)
            {
                int n = SendSome(new ReadOnlySpan<byte>(fs.Data, start + _largeSent, len - _largeSent));
                if (n == 0) return false;
                _largeSent += n;
            }
            _largeFrame++;
            _largeHeaderDone = false;
        }
        _large = null;
        _messagesWritten++;
        _peer!.Out.Release(1);
        return true;
    }

    private void ReleaseWriteBuffers()
    {
        if (Volatile.Read(ref _wown) == 0) ReturnPending();
        _pending = null;
    }

    /// <summary>Wakes an idle connection when a producer queues a message.</summary>
    private sealed class OutboundWaker(ZmtpConnection connection) : ArmedWaker
    {
        protected override void Woken() => connection.OutboundReady();
    }
}
