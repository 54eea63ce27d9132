using System.Buffers;
using Zmq.Messages;
using Zmq.Security;

namespace Zmq.Engine;

/// <summary>The writer's CURVE path: each frame of a queued message becomes one MESSAGE box, sealed in place in the batch.</summary>
internal sealed partial class ZmtpConnection
{
    private int CurveEncodedSize(FrameSet fs)
    {
        if (fs.Kind != FrameSetKind.Data) return CurveCodec.FrameSize(SubscriptionPlainSize(fs));
        int total = 0;
        for (int i = 0; i < fs.Count; i++) total += CurveCodec.FrameSize(1 + fs.FrameLength(i));
        return total;
    }

    /// <summary>Plaintext of a subscription change: flags + SUBSCRIBE/CANCEL command (3.1) or flags + 01/00 byte (3.0), then the topic.</summary>
    private int SubscriptionPlainSize(FrameSet fs)
    {
        int topic = fs.FrameLength(0);
        if (!PeerIsV31) return 1 + 1 + topic;
        return 1 + 1 + (fs.Kind == FrameSetKind.Subscribe ? Zmtp.Subscribe.Length : Zmtp.Cancel.Length) + topic;
    }

    private int CurveEncode(FrameSet fs, Span<byte> dest)
    {
        var codec = _codec!;
        if (fs.Kind != FrameSetKind.Data)
        {
            bool sub = fs.Kind == FrameSetKind.Subscribe;
            if (PeerIsV31) return codec.WriteCommand(dest, sub ? Zmtp.Subscribe : Zmtp.Cancel, fs.Frame(0));
            var topic = fs.Frame(0);
            int plain = 2 + topic.Length;
            int off = CurveCodec.PlainOffset(plain);
            dest[off] = 0;
            dest[off + 1] = sub ? (byte)1 : (byte)0;
            topic.CopyTo(dest.Slice(off + 2));
            return codec.Seal(dest, plain);
        }
        int pos = 0;
        int last = fs.Count - 1;
        for (int i = 0; i <= last; i++)
            pos += codec.Write(dest.Slice(pos), i < last ? CurveCodec.FlagMore : (byte)0, fs.Frame(i));
        return pos;
    }

    /// <summary>A message larger than the batch: small frames go through the batch, large ones are sealed in a pooled buffer.</summary>
    private void CurveSendLarge(FrameSet fs, byte[] batch)
    {
        var codec = _codec!;
        int last = fs.Count - 1;
        int pos = 0;
        for (int i = 0; i <= last; i++)
        {
            var body = fs.Frame(i);
            byte flags = i < last ? CurveCodec.FlagMore : (byte)0;
            int size = CurveCodec.FrameSize(1 + body.Length);
            if (size <= batch.Length - pos)
            {
                pos += codec.Write(batch.AsSpan(pos), flags, body);
                continue;
            }
            if (pos > 0)
            {
                SendAll(batch.AsSpan(0, pos));
                pos = 0;
            }
            if (size <= batch.Length)
            {
                pos += codec.Write(batch, flags, body);
                continue;
            }
            var rented = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                int n = codec.Write(rented, flags, body);
                SendAll(rented.AsSpan(0, n));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        if (pos > 0) SendAll(batch.AsSpan(0, pos));
    }
}
