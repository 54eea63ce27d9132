using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Zmq.LibZmq;

namespace Zmq.Interop.Tests.Security;

/// <summary>One ZAP request as libzmq's server socket sends it (the frames a REP handler receives).</summary>
internal sealed record LzZapRequest(string Version, byte[] RequestId, string Domain, string Address, byte[] Identity, string Mechanism, byte[][] Credentials)
{
    public string? Username => Mechanism == "PLAIN" && Credentials.Length >= 1 ? Encoding.UTF8.GetString(Credentials[0]) : null;

    public string? Password => Mechanism == "PLAIN" && Credentials.Length >= 2 ? Encoding.UTF8.GetString(Credentials[1]) : null;

    public static LzZapRequest Parse(List<byte[]> frames)
    {
        if (frames.Count < 6)
            throw new InvalidDataException($"a ZAP request from libzmq with {frames.Count} frames");
        string S(int i) => Encoding.UTF8.GetString(frames[i]);
        return new LzZapRequest(S(0), frames[1], S(2), S(3), frames[4], S(5), [.. frames.Skip(6)]);
    }
}

/// <summary>A ZAP reply for a libzmq server: status, text, user id and metadata (ZMTP property list).</summary>
internal sealed record LzZapReply(string Status, string UserId = "", IReadOnlyDictionary<string, string>? Metadata = null, string Text = "")
{
    public static LzZapReply Ok(string userId = "", IReadOnlyDictionary<string, string>? metadata = null) => new("200", userId, metadata, "OK");

    public static LzZapReply Denied() => new("400", Text: "denied by the test's libzmq ZAP handler");

    public byte[] EncodeMetadata()
    {
        using var buffer = new MemoryStream();
        Span<byte> size = stackalloc byte[4];
        foreach (var (name, value) in Metadata ?? new Dictionary<string, string>())
        {
            var n = Encoding.ASCII.GetBytes(name);
            var v = Encoding.UTF8.GetBytes(value);
            buffer.WriteByte((byte)n.Length);
            buffer.Write(n);
            BinaryPrimitives.WriteUInt32BigEndian(size, (uint)v.Length);
            buffer.Write(size);
            buffer.Write(v);
        }
        return buffer.ToArray();
    }
}

/// <summary>
/// A ZAP handler written the way a libzmq application writes one: a libzmq REP socket bound at
/// <c>inproc://zeromq.zap.01</c> in the libzmq context, answering on its own thread with the test's
/// decision, recording every request it saw.
/// </summary>
internal sealed class LzZapHandler : IDisposable
{
    private readonly LzSocket _rep;
    private readonly Func<LzZapRequest, LzZapReply> _decide;
    private readonly Thread _thread;
    private volatile bool _stop;
    private Exception? _failure;

    public LzZapHandler(LzContext context, Func<LzZapRequest, LzZapReply> decide)
    {
        _decide = decide;
        _rep = context.Socket(LzSocketType.Rep);
        _rep.SetOption(LzOption.Linger, 0);
        _rep.SetOption(LzOption.RcvTimeo, 20);
        _rep.SetOption(LzOption.SndTimeo, 1000);
        _rep.Bind("inproc://zeromq.zap.01");
        _thread = new Thread(Run) { IsBackground = true, Name = "libzmq ZAP handler (test)" };
        _thread.Start();
    }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<LzZapRequest> Requests { get; } = new();

    private void Run()
    {
        try
        {
            while (!_stop)
            {
                var frames = _rep.ReceiveMultipart();
                if (frames is null)
                    continue;
                var request = LzZapRequest.Parse(frames);
                Requests.Enqueue(request);
                var reply = _decide(request);
                _rep.SendMultipart(
                    Encoding.ASCII.GetBytes("1.0"), request.RequestId, Encoding.ASCII.GetBytes(reply.Status),
                    Encoding.UTF8.GetBytes(reply.Text), Encoding.UTF8.GetBytes(reply.UserId), reply.EncodeMetadata());
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    /// <summary>Stops the thread and closes the REP socket; rethrows what failed on the handler thread.</summary>
    public void Dispose()
    {
        if (_stop)
            return;
        _stop = true;
        if (!_thread.Join(TimeSpan.FromSeconds(5)))
            throw new InvalidOperationException("the libzmq ZAP handler thread did not stop");
        _rep.Dispose();
        if (_failure is not null)
            throw new InvalidOperationException("the libzmq ZAP handler failed", _failure);
    }
}
