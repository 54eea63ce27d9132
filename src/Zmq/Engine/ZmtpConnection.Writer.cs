using System.Net.Sockets;
using Zmq.Diagnostics;
using Zmq.Messages;
using Zmq.Pipes;

namespace Zmq.Engine;

internal sealed partial class ZmtpConnection
{
    private byte[]? _pendingPong;

    /// <summary>
    /// Encodes everything queued into one batch of up to 64 KiB, frees the slots before the write
    /// so the producer can refill meanwhile, and sends. Bodies too large for the batch go out
    /// straight from their slot. Sleeps only when there is nothing to send.
    /// </summary>
    private void WriterMain()
    {
        var outbound = _peer!.Out;
        var batch = new byte[WriteBatchSize];
        try
        {
            while (!IsClosed)
            {
                _writerIdle = false;
                int pos = 0;
                var pong = Interlocked.Exchange(ref _pendingPong, null);
                if (pong != null) pos += Zmtp.WriteCommand(batch, Zmtp.Pong, pong);

                int released = 0;
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
                }
                if (released > 0) outbound.WakeProducer();
                if (pos > 0)
                {
                    SendAll(batch.AsSpan(0, pos));
                    continue;
                }
                if (released > 0) continue;

                int e = _writerSignal.Prepare();
                if (!outbound.IsEmpty || IsClosed || Volatile.Read(ref _pendingPong) != null)
                {
                    _writerSignal.Cancel();
                    continue;
                }
                _writerIdle = true;
                _owner.NotifyWriterIdle();
                _writerSignal.Wait(e, -1);
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

    private int EncodedSize(FrameSet fs)
    {
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
