using System.Buffers.Binary;
using System.Net.Sockets;
using Zmq.Io;
using Zmq.Wire;

namespace Zmq.Engine;

/// <summary>What <see cref="ZmtpConnection.TryTakeBuffered"/> did.</summary>
internal enum BufferedTake : byte
{
    /// <summary>Nothing whole is buffered (or someone else is reading).</summary>
    None,
    /// <summary>A message was parsed straight into the caller's message.</summary>
    Took,
    /// <summary>Buffered bytes went into the inbound queue the ordinary way: receive from it.</summary>
    Queued,
}

/// <summary>
/// The direct receive: for sockets that take each message as it comes (PULL, DEALER, PAIR) with one
/// connection, a caller that owns the reading parses the next whole message kept in the
/// connection's buffer straight into its own <see cref="Message"/>, with no queue in between. The
/// bytes are read by the caller too (<see cref="ReadFromCaller"/>): one thread, no hand-over, no
/// queue slot per message. Anything else (a frame larger than the buffer, a command mid-message,
/// CURVE) takes the ordinary path through the inbound queue, which keeps the order.
/// </summary>
internal sealed partial class ZmtpConnection
{
    /// <summary>
    /// Under the socket's lock, with the peer's queue found empty: takes the next whole message
    /// kept in the buffer into <paramref name="into"/>.
    /// </summary>
    public BufferedTake TryTakeBuffered(Message into)
    {
        if (_curve is not null || _phase != Phase.Active || _rstart == _rend || _readEnded || _shutDownByUs) return BufferedTake.None;
        if (Interlocked.CompareExchange(ref _rown, 1, 0) != 0) return BufferedTake.None;
        _onCaller = true;
        try
        {
            var inbound = _peer!.In;
            if (!inbound.IsEmpty) return BufferedTake.Queued; // the I/O thread got there first
            while (_rstart < _rend)
            {
                if (_partial is not null || _asm != Assembly.None || _dropping || !_decoder.AtFrameBoundary) return BufferedTake.None;
                int whole = WholeMessage(new ReadOnlySpan<byte>(_rbuf, _rstart, _rend - _rstart), out bool command);
                if (whole == -1) return BufferedTake.None; // the rest has not arrived
                if (whole == -2)
                {
                    // Not a plain message (oversized, a command inside one): the ordinary path decides.
                    ProcessTraffic();
                    return inbound.IsEmpty ? BufferedTake.None : BufferedTake.Queued;
                }
                if (command)
                {
                    int published = 0;
                    int hdr = (_rbuf[_rstart] & Zmtp.FlagLong) != 0 ? 9 : 2;
                    HandleCommand(new ReadOnlySpan<byte>(_rbuf, _rstart + hdr, whole - hdr), inbound, ref published);
                    _rstart += whole;
                    if (published > 0) return BufferedTake.Queued;
                    continue;
                }
                CopyMessage(whole, into);
                _rstart += whole;
                if (_eofPending && _rstart == _rend) EndOfStream(); // the last one before the peer's close
                return BufferedTake.Took;
            }
            return BufferedTake.None;
        }
        catch (Exception e)
        {
            CallerFault(e);
            return BufferedTake.None;
        }
        finally
        {
            _onCaller = false;
            Volatile.Write(ref _rown, 0);
        }
    }

    /// <summary>
    /// The byte length of the whole message at the start of <paramref name="b"/> (its frames up to
    /// the first without MORE), -1 when it has not all arrived, -2 when it is not a plain one (a
    /// command inside a message, a frame over MAXMSGSIZE or too large for the buffer). A lone
    /// command frame is a message of its own here (<paramref name="command"/>).
    /// </summary>
    private int WholeMessage(ReadOnlySpan<byte> b, out bool command)
    {
        command = false;
        long max = _s.MaxMessageSize;
        int pos = 0;
        for (int frame = 0; ; frame++)
        {
            if (b.Length - pos < 2) return -1;
            byte flags = b[pos];
            long size;
            int hdr;
            if ((flags & Zmtp.FlagLong) != 0)
            {
                if (b.Length - pos < 9) return -1;
                size = BinaryPrimitives.ReadInt64BigEndian(b.Slice(pos + 1));
                hdr = 9;
                if (size < 0 || size > BufferPool.Size) return -2;
            }
            else
            {
                size = b[pos + 1];
                hdr = 2;
            }
            if (max >= 0 && size > max) return -2;
            if ((flags & Zmtp.FlagCommand) != 0)
            {
                if (frame > 0) return -2;
                command = true;
            }
            if (b.Length - pos - hdr < size) return -1;
            pos += hdr + (int)size;
            if (command) return pos;
            if ((flags & Zmtp.FlagMore) == 0) return pos;
        }
    }

    /// <summary>Copies the frames of the whole message of <paramref name="length"/> bytes at the buffer's front into <paramref name="into"/>.</summary>
    private void CopyMessage(int length, Message into)
    {
        var fs = into.Frames;
        fs.Clear();
        fs.Properties = _properties;
        int pos = _rstart, end = _rstart + length;
        var b = _rbuf;
        while (pos < end)
        {
            int size, hdr;
            if ((b[pos] & Zmtp.FlagLong) != 0)
            {
                size = (int)BinaryPrimitives.ReadInt64BigEndian(b.AsSpan(pos + 1));
                hdr = 9;
            }
            else
            {
                size = b[pos + 1];
                hdr = 2;
            }
            fs.Add(new ReadOnlySpan<byte>(b, pos + hdr, size));
            pos += hdr + size;
        }
        into.ResetForReceive();
    }

    /// <summary>
    /// The direct receive's read: bytes go into the connection's own buffer and stay there to be
    /// taken one message at a time (<see cref="TryTakeBuffered"/>); what cannot be taken that way
    /// (a partial message that will not fit, a command inside a message) is decoded the ordinary way.
    /// True when bytes arrived.
    /// </summary>
    private bool ReadBuffered()
    {
        if (_eofPending) return false;
        if (_rstart == _rend)
        {
            _rstart = _rend = 0;
            if (_own is null || _rbuf != _own)
            {
                _own ??= BufferPool.Rent();
                _rbuf = _own;
            }
        }
        else if (_rbuf != _own)
        {
            return ReadLoop(t_readScratch ??= GC.AllocateUninitializedArray<byte>(BufferPool.Size)); // leftovers elsewhere: the ordinary path
        }
        else if (_rstart > 0)
        {
            Buffer.BlockCopy(_rbuf, _rstart, _rbuf, 0, _rend - _rstart);
            _rend -= _rstart;
            _rstart = 0;
        }
        int space = _rbuf.Length - _rend;
        if (space == 0 || !_decoder.AtFrameBoundary || _partial is not null || _asm != Assembly.None)
        {
            ProcessTraffic(); // a message that does not fit, or one being assembled: the ordinary path
            KeepUnparsed();
            return ReadLoop(t_readScratch ??= GC.AllocateUninitializedArray<byte>(BufferPool.Size));
        }
        int n = _sock.Receive(_rbuf.AsSpan(_rend, space), SocketFlags.None, out var err);
        if (err == SocketError.WouldBlock) return false;
        if (err != SocketError.Success) throw new SocketException((int)err);
        if (n == 0)
        {
            EndOfStream(); // after what is kept, if anything is
            return true;
        }
        Received();
        _rend += n;
        if (WholeMessage(new ReadOnlySpan<byte>(_rbuf, _rstart, _rend - _rstart), out _) == -2) ProcessTraffic();
        return true;
    }
}
