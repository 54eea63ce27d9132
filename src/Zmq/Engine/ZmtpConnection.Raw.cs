using Zmq.Messages;
using Zmq.Wire;

namespace Zmq.Engine;

/// <summary>
/// Raw mode (STREAM, libzmq's raw engine): no greeting, no mechanism, no heartbeats. The
/// connection is in traffic from its start; every read becomes one one-frame message (whatever
/// the kernel returned: TCP has no message boundaries), and every queued message is written as
/// its bare bytes (<see cref="RawCodec"/>). The rest of the engine (read and write ownership,
/// batching, back-pressure, close) is shared with ZMTP; the only per-read cost for ZMTP is the
/// one test of <see cref="_raw"/> in <see cref="ProcessTraffic"/>.
/// </summary>
internal sealed partial class ZmtpConnection
{
    private const int OpCloseWhenWritten = 18;

    private static readonly Dictionary<string, byte[]> NoMetadata = [];

    private readonly bool _raw;      // from the settings
    private volatile bool _closeWhenWritten;  // (I/O thread) the application closed this connection: close once the writer is idle

    /// <summary>Instead of the greeting: attach to the socket at once.</summary>
    private void StartRaw()
    {
        _codec = RawCodec.Instance;
        _properties = new PeerProperties(NoMetadata, PeerAddress);
        MarkHandshakeDone();
        if (!AttachToSocket("refused by the socket")) return;
        if (_s.StreamNotify) PushNotice();
        if (IsClosed) return;
        WriteFromIo(); // whatever was queued before the connection existed
    }

    /// <summary>An empty message: STREAM_NOTIFY's "connected" or "disconnected" (on the I/O thread, the inbound pipe's only producer in raw mode).</summary>
    private void PushNotice()
    {
        var inbound = _peer!.In;
        var fs = inbound.ReserveBeyondCapacity();
        fs.Properties = _properties;
        fs.Add(default);
        inbound.Commit();
    }

    /// <summary>On close: the peer's end is announced, unless the application closed it or the socket is closing.</summary>
    private void NotifyRawEnd()
    {
        if (_peer is null || !_s.StreamNotify || _closeWhenWritten || _shutDownByUs || _phase != Phase.Active) return;
        PushNotice();
    }

    /// <summary>STREAM: the application closed this connection (a connector does not make it again, as libzmq ends that session).</summary>
    public bool ClosedByApplication => _closeWhenWritten;

    /// <summary>Everything read so far becomes one message (unless the inbound pipe is full: then it waits, kept).</summary>
    private void ProcessRaw()
    {
        if (_rstart < _rend)
        {
            var inbound = _peer!.In;
            int published = 0;
            if (inbound.IsFull && !inbound.IsConflating && BlockOnFullPipe(inbound, ref published)) return;
            var fs = ReserveSlot(inbound);
            fs.Add(new ReadOnlySpan<byte>(_rbuf, _rstart, _rend - _rstart));
            _rstart = _rend;
            inbound.CommitQuiet();
            inbound.WakeConsumer();
        }
        if (_eofPending && !_closeDone) EndOfStream();
    }

    /// <summary>
    /// The application closed this connection (STREAM: an empty data frame): what is queued to it
    /// is written first, then the connection closes. From any thread.
    /// </summary>
    public void CloseWhenWritten()
    {
        _closeWhenWritten = true;
        _io.Post(this, OpCloseWhenWritten);
    }

    private void CloseWhenWrittenOnIo()
    {
        if (_phase != Phase.Active) CloseNow("closed by the application", error: false);
        else WriteFromIo(); // closes when it finds nothing more to write
    }

    /// <summary>The writer went idle after <see cref="CloseWhenWritten"/>.</summary>
    private void CloseWrittenNow() => CloseNow("closed by the application", error: false);
}
