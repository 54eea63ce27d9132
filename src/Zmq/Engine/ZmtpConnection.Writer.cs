using System.Diagnostics;
using System.Net.Sockets;
using Zmq.Diagnostics;
using Zmq.Messages;
using Zmq.Pipes;

namespace Zmq.Engine;

internal sealed partial class ZmtpConnection
{
    private const int InlineLimit = 4096;
    private static readonly long InlineGapTicks = Stopwatch.Frequency / 50_000; // 20 µs

    private readonly byte[] _batch = new byte[WriteBatchSize];
    private byte[]? _pendingPong;
    private int _wlock;        // 0 free; 1 while the writer thread or an inline caller consumes the outbound pipe
    private long _lastInline;

    /// <summary>
    /// Encodes everything queued into one batch of up to 64 KiB, frees the slots before the write
    /// so the producer can refill meanwhile, and sends. Bodies too large for the batch go out
    /// straight from their slot. Sleeps only when there is nothing to send.
    /// </summary>
    private void WriterMain()
    {
        var outbound = _peer!.Out;
        var batch = _batch;
        long nextPing = Environment.TickCount64 + _owner.HeartbeatIntervalMs;
        try
        {
            while (!IsClosed)
            {
                _writerIdle = false;
                AcquireWriteLock();
                int pos = 0, released = 0;
                try
                {
                    var pong = Interlocked.Exchange(ref _pendingPong, null);
                    if (pong != null) pos += WriteCommandFrame(batch, Zmtp.Pong, pong);
                    pos += WritePingIfDue(batch.AsSpan(pos), ref nextPing);
                    FrameSet? fs;
                    while ((fs = outbound.Peek()) != null)
                    {
                        int size = EncodedSize(fs);
                        if (size <= batch.Length - pos)
                        {
                            pos += Encode(fs, batch.AsSpan(pos));
                            outbound.ReleaseQuiet(1);
                            released++;
                            continue;
                        }
                        if (pos > 0) break;
                        // One message larger than the batch: write it frame by frame.
                        SendLarge(fs, batch);
                        outbound.ReleaseQuiet(1);
                        released++;
                        _bytesWritten += size;
                    }
                    _messagesWritten += released;
                    _bytesWritten += pos;
                    if (released > 0) outbound.WakeProducer();
                    if (pos > 0) SendAll(batch.AsSpan(0, pos));
                }
                finally
                {
                    Volatile.Write(ref _wlock, 0);
                }
                if (pos > 0 || released > 0) continue;

                int e = _writerSignal.Prepare();
                if (!outbound.IsEmpty || IsClosed || Volatile.Read(ref _pendingPong) != null)
                {
                    _writerSignal.Cancel();
                    continue;
                }
                _writerIdle = true;
                _owner.NotifyWriterIdle();
                _writerSignal.Wait(e, WriterSleepMs(nextPing));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            Close(IsClosed ? "closed" : DescribeSocketError(ex), error: !IsClosed, CloseKind.Network);
        }
        finally
        {
            _writerIdle = true;
        }
    }

    private void AcquireWriteLock()
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _wlock, 1, 0) != 0) spin.SpinOnce(sleep1Threshold: -1); // never Sleep(1): the holder is one send call away from releasing
    }

    /// <summary>
    /// Called by the socket, under its lock, right after it queued a message while the writer
    /// sleeps: writes the queued small messages from the caller's thread (saving the writer's
    /// wake-up, the largest part of one-way latency), or wakes the writer. At most once per
    /// <see cref="InlineGapTicks"/> so that bursts still go out in big batches from the writer.
    /// </summary>
    public void ConsumeOrWake()
    {
        var outbound = _peer?.Out;
        if (outbound is not null && !IsClosed
            && Stopwatch.GetTimestamp() - _lastInline >= InlineGapTicks
            && Interlocked.CompareExchange(ref _wlock, 1, 0) == 0)
        {
            bool drained = false;
            try
            {
                if (_sock.Poll(0, SelectMode.SelectWrite))
                {
                    int pos = 0, released = 0;
                    FrameSet? fs;
                    while ((fs = outbound.Peek()) != null)
                    {
                        int size = EncodedSize(fs);
                        if (size > InlineLimit - pos) break;
                        pos += Encode(fs, _batch.AsSpan(pos));
                        outbound.ReleaseQuiet(1);
                        released++;
                    }
                    _messagesWritten += released;
                    _bytesWritten += pos;
                    if (pos > 0) SendAll(_batch.AsSpan(0, pos));
                    if (released > 0) outbound.WakeProducer();
                    drained = outbound.IsEmpty;
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The reader or writer reports the failure and closes the connection.
            }
            finally
            {
                Volatile.Write(ref _wlock, 0);
                _lastInline = Stopwatch.GetTimestamp();
            }
            if (drained) return;
        }
        _writerSignal.Notify();
    }

    /// <summary>Writes a command (PING, PONG) as a command frame, or inside a MESSAGE box under CURVE; returns its size.</summary>
    private int WriteCommandFrame(Span<byte> dest, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data) =>
        _codec is null ? Zmtp.WriteCommand(dest, name, data) : _codec.WriteCommand(dest, name, data);

    private int EncodedSize(FrameSet fs)
    {
        if (_codec is not null) return CurveEncodedSize(fs);
        if (fs.Kind != FrameSetKind.Data)
        {
            int topic = fs.FrameLength(0);
            return PeerIsV31
                ? Zmtp.CommandSize(fs.Kind == FrameSetKind.Subscribe ? Zmtp.Subscribe.Length : Zmtp.Cancel.Length, topic)
                : Zmtp.HeaderSize(topic + 1) + topic + 1;
        }
        int total = 0;
        for (int i = 0; i < fs.Count; i++)
        {
            int len = fs.FrameLength(i);
            total += (len > 255 ? 9 : 2) + len;
        }
        return total;
    }

    private int Encode(FrameSet fs, Span<byte> dest)
    {
        if (_codec is not null) return CurveEncode(fs, dest);
        if (fs.Kind != FrameSetKind.Data)
        {
            var topic = fs.Frame(0);
            bool sub = fs.Kind == FrameSetKind.Subscribe;
            if (PeerIsV31) return Zmtp.WriteCommand(dest, sub ? Zmtp.Subscribe : Zmtp.Cancel, topic);
            int h = Zmtp.WriteHeader(dest, 0, topic.Length + 1);
            dest[h] = sub ? (byte)1 : (byte)0;
            topic.CopyTo(dest.Slice(h + 1));
            return h + 1 + topic.Length;
        }
        int pos = 0;
        int last = fs.Count - 1;
        var data = fs.Data;
        int start = 0;
        for (int i = 0; i <= last; i++)
        {
            int end = fs.Ends[i];
            int len = end - start;
            byte flags = i < last ? Zmtp.FlagMore : (byte)0;
            if (len > 255)
            {
                pos += Zmtp.WriteHeader(dest.Slice(pos), flags, len);
            }
            else
            {
                dest[pos] = flags;
                dest[pos + 1] = (byte)len;
                pos += 2;
            }
            new ReadOnlySpan<byte>(data, start, len).CopyTo(dest.Slice(pos));
            pos += len;
            start = end;
        }
        return pos;
    }

    private void SendLarge(FrameSet fs, byte[] batch)
    {
        if (_codec is not null)
        {
            CurveSendLarge(fs, batch);
            return;
        }
        int last = fs.Count - 1;
        int pos = 0;
        for (int i = 0; i <= last; i++)
        {
            var body = fs.Frame(i);
            byte flags = i < last ? Zmtp.FlagMore : (byte)0;
            if (batch.Length - pos < 9 + Math.Min(body.Length, 4096))
            {
                SendAll(batch.AsSpan(0, pos));
                pos = 0;
            }
            pos += Zmtp.WriteHeader(batch.AsSpan(pos), flags, body.Length);
            if (body.Length <= 4096)
            {
                body.CopyTo(batch.AsSpan(pos));
                pos += body.Length;
            }
            else
            {
                SendAll(batch.AsSpan(0, pos));
                pos = 0;
                SendAll(body);
            }
        }
        if (pos > 0) SendAll(batch.AsSpan(0, pos));
    }
}
