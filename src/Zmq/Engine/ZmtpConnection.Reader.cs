using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Zmq.Diagnostics;
using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Security;

namespace Zmq.Engine;

internal sealed partial class ZmtpConnection
{
    private FrameSet? _partial; // message being assembled in the inbound pipe's reserved slot
    private bool _dropping;     // current message is being discarded (socket type receives no data)

    /// <summary>
    /// Reads large chunks and parses every complete frame before reading again. Complete messages
    /// are published quietly and the consumer is woken once per chunk. Frames larger than the
    /// buffer are read straight into their pipe slot.
    /// </summary>
    private void ReadLoop(Pipe inbound)
    {
        var buf = _rbuf;
        long max = _owner.MaxMessageSize;
        bool receivesData = _owner.ReceivesData;
        while (true)
        {
            int published = 0;
            while (true)
            {
                int avail = _rend - _rstart;
                if (avail < 2) break;
                int p = _rstart;
                byte flags = buf[p];
                long size;
                int hdr;
                if ((flags & Zmtp.FlagLong) != 0)
                {
                    if (avail < 9) break;
                    size = BinaryPrimitives.ReadInt64BigEndian(buf.AsSpan(p + 1));
                    hdr = 9;
                    if (size < 0 || size > int.MaxValue - 64)
                        throw new ProtocolViolation($"frame size {(ulong)size} is out of range");
                }
                else
                {
                    size = buf[p + 1];
                    hdr = 2;
                }
                if (max >= 0 && size > max)
                    throw new ProtocolViolation($"frame of {size} bytes exceeds MAXMSGSIZE {max}");

                if (_codec is not null)
                {
                    if ((flags & Zmtp.FlagCommand) != 0)
                        throw new ProtocolViolation("a command frame after the CURVE handshake: every frame must travel in a MESSAGE box", CloseKind.ProtocolCode, (long)ZmqProtocolError.ZmtpUnexpectedCommand);
                    int csize = (int)size;
                    if (avail - hdr >= csize)
                    {
                        OnCurveFrame(new Span<byte>(buf, p + hdr, csize), inbound, receivesData, ref published);
                        _rstart = p + hdr + csize;
                        continue;
                    }
                    if (hdr + size <= buf.Length) break;
                    _rstart = p + hdr;
                    ReadLargeCurveFrame(csize, inbound, receivesData, ref published);
                    continue;
                }

                if ((flags & Zmtp.FlagCommand) != 0)
                {
                    if (size > buf.Length - hdr) throw new ProtocolViolation($"command of {size} bytes is too large");
                    if (avail - hdr < size) break;
                    HandleCommand(new ReadOnlySpan<byte>(buf, p + hdr, (int)size), inbound, ref published);
                    _rstart = p + hdr + (int)size;
                    continue;
                }

                int isize = (int)size;
                if (avail - hdr >= isize)
                {
                    OnDataFrame(flags, new ReadOnlySpan<byte>(buf, p + hdr, isize), inbound, receivesData, ref published);
                    _rstart = p + hdr + isize;
                    continue;
                }
                if (hdr + size <= buf.Length) break; // wait for the rest in the buffer

                // Larger than the buffer: read the body straight into its slot.
                _rstart = p + hdr;
                ReadLargeFrame(flags, isize, inbound, receivesData, ref published);
            }
            if (published > 0) inbound.WakeConsumer();

            if (_rstart == _rend)
            {
                _rstart = _rend = 0;
            }
            else if (_rstart > 0)
            {
                Buffer.BlockCopy(buf, _rstart, buf, 0, _rend - _rstart);
                _rend -= _rstart;
                _rstart = 0;
            }
            int n = ReceiveSome(buf.AsSpan(_rend));
            if (n == 0)
            {
                if (_shutDownByUs) Close("socket disposed", error: false);
                else Close("peer closed the connection", error: false, CloseKind.PeerClosed);
                return;
            }
            _rend += n;
        }
    }

    private void OnDataFrame(byte flags, ReadOnlySpan<byte> body, Pipe inbound, bool receivesData, ref int published)
    {
        if (!receivesData || _dropping)
        {
            _dropping = (flags & Zmtp.FlagMore) != 0;
            return;
        }
        var fs = _partial ??= ReserveSlot(inbound, ref published);
        fs.Add(body);
        if ((flags & Zmtp.FlagMore) == 0)
        {
            inbound.CommitQuiet();
            _partial = null;
            published++;
        }
    }

    private void ReadLargeFrame(byte flags, int size, Pipe inbound, bool receivesData, ref int published)
    {
        Span<byte> dest;
        bool keep = receivesData && !_dropping;
        byte[]? scratch = null;
        if (keep)
        {
            var fs = _partial ??= ReserveSlot(inbound, ref published);
            dest = fs.AddUninitialized(size);
        }
        else
        {
            scratch = new byte[Math.Min(size, 64 * 1024)];
            dest = default;
        }
        int have = _rend - _rstart;
        if (keep) _rbuf.AsSpan(_rstart, have).CopyTo(dest);
        int got = have;
        _rstart = _rend = 0;
        while (got < size)
        {
            int n = keep
                ? ReceiveSome(dest.Slice(got))
                : ReceiveSome(scratch.AsSpan(0, Math.Min(scratch!.Length, size - got)));
            if (n == 0) throw new IOException("peer closed the connection in the middle of a frame");
            got += n;
        }
        if (!keep)
        {
            _dropping = (flags & Zmtp.FlagMore) != 0;
            return;
        }
        if ((flags & Zmtp.FlagMore) == 0)
        {
            inbound.CommitQuiet();
            _partial = null;
            published++;
        }
    }

    /// <summary>Opens one CURVE MESSAGE in place and hands its frame on as a data frame or a command.</summary>
    private void OnCurveFrame(Span<byte> body, Pipe inbound, bool receivesData, ref int published)
    {
        if (_codec!.Open(body, out int start, out int length, out var code) is { } problem)
            throw new ProtocolViolation(problem, CloseKind.ProtocolCode, (long)code);
        byte flags = body[start];
        var payload = body.Slice(start + 1, length - 1);
        if ((flags & CurveCodec.FlagCommand) != 0)
        {
            HandleCommand(payload, inbound, ref published);
            return;
        }
        OnDataFrame((flags & CurveCodec.FlagMore) != 0 ? Zmtp.FlagMore : (byte)0, payload, inbound, receivesData, ref published);
    }

    /// <summary>A CURVE MESSAGE larger than the read buffer: read whole into a pooled buffer, then opened there.</summary>
    private void ReadLargeCurveFrame(int size, Pipe inbound, bool receivesData, ref int published)
    {
        var rented = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            int have = _rend - _rstart;
            _rbuf.AsSpan(_rstart, have).CopyTo(rented);
            _rstart = _rend = 0;
            while (have < size)
            {
                int n = ReceiveSome(rented.AsSpan(have, size - have));
                if (n == 0) throw new IOException("peer closed the connection in the middle of a frame");
                have += n;
            }
            OnCurveFrame(rented.AsSpan(0, size), inbound, receivesData, ref published);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Reserves the next inbound slot, waiting (back-pressure) while the pipe is full.</summary>
    private FrameSet ReserveSlot(Pipe inbound, ref int published)
    {
        var fs = WaitForSlot(inbound, ref published);
        fs.Properties = _properties;
        return fs;
    }

    private FrameSet WaitForSlot(Pipe inbound, ref int published)
    {
        var fs = inbound.TryReserve();
        if (fs != null) return fs;
        if (published > 0)
        {
            inbound.WakeConsumer();
            published = 0;
        }
        while (true)
        {
            int e = _readerSignal.Prepare();
            fs = inbound.TryReserve();
            if (fs != null || IsClosed)
            {
                _readerSignal.Cancel();
                if (fs != null) return fs;
                throw new ObjectDisposedException("connection");
            }
            _readerSignal.Wait(e, -1);
        }
    }

    private void HandleCommand(ReadOnlySpan<byte> body, Pipe inbound, ref int published)
    {
        if (!Zmtp.TryParseCommand(body, out var name, out var data))
            throw new ProtocolViolation("malformed command frame");
        if (name.SequenceEqual(Zmtp.Ping))
        {
            var context = data.Length >= 2 ? data.Slice(2) : default; // libzmq accepts a PING without TTL
            int ttlDeciseconds = data.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(data) : 0;
            if (ttlDeciseconds > 0) ArmPeerTtl(ttlDeciseconds * 100);
            if (context.Length > 16) context = context.Slice(0, 16);
            Volatile.Write(ref _pendingPong, context.ToArray());
            _writerSignal.Notify();
        }
        else if (name.SequenceEqual(Zmtp.Subscribe) || name.SequenceEqual(Zmtp.Cancel))
        {
            if (!_owner.ReceivesSubscriptions) return;
            if (_partial != null) throw new ProtocolViolation("subscription command inside a multipart message");
            var fs = ReserveSlot(inbound, ref published);
            var dest = fs.AddUninitialized(1 + data.Length);
            dest[0] = name.Length == Zmtp.Subscribe.Length ? (byte)1 : (byte)0;
            data.CopyTo(dest.Slice(1));
            inbound.CommitQuiet();
            published++;
        }
        else if (name.SequenceEqual(Zmtp.Error))
        {
            string reason = data.Length > 0 ? Zmtp.Printable(data.Slice(1, Math.Min(data[0], data.Length - 1))) : "";
            throw new ProtocolViolation($"peer sent ERROR: \"{reason}\"", CloseKind.PeerError);
        }
        else if (name.SequenceEqual(Zmtp.Ready))
        {
            throw new ProtocolViolation("unexpected READY after the handshake");
        }
        // PONG and unknown commands are ignored, as libzmq does.
    }
}
