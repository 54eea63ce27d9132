using System.Buffers.Binary;
using Zmq.Io;
using Zmq.Wire;

namespace Zmq.Engine;

/// <summary>
/// ZMTP 3.1 heartbeats, as libzmq does them, on the I/O thread's timers: with HEARTBEAT_IVL a PING
/// (always with our TTL) goes out every interval; if nothing at all arrives within
/// HEARTBEAT_TIMEOUT after a PING, or within the TTL the peer put in its own PING, the connection is
/// dropped (and reconnected, if ours connected). An idle connection costs two timer entries.
/// </summary>
internal sealed partial class ZmtpConnection
{
    private IoTimer? _pingTimer;
    private IoTimer? _livenessTimer;
    private long _pingSentAt;
    private int _peerTtlMs;   // from the peer's PING; 0 = none
    private int _checkMs;     // interval of the liveness checks (0 = none)

    private void StartHeartbeats()
    {
        _lastReceived = Environment.TickCount64;
        int ivl = _s.HeartbeatIntervalMs;
        if (ivl <= 0) return;
        _pingTimer = new IoTimer(_io, this, OpPing);
        _pingTimer.Start(ivl);
        SetCheckInterval(Math.Min(ivl, Math.Max(1, _s.HeartbeatTimeoutMs)));
    }

    private void PingDue()
    {
        _pingDue = true;
        WriteFromIo();
        _pingTimer!.Start(_s.HeartbeatIntervalMs);
    }

    /// <summary>Writes a PING with our TTL; the heartbeat timeout runs from the first unanswered one.</summary>
    private int WritePing(Span<byte> dest)
    {
        Span<byte> ttl = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(ttl, (ushort)(_s.HeartbeatTtlMs / 100));
        if (!Volatile.Read(ref _awaitingTraffic))
        {
            Volatile.Write(ref _pingSentAt, Environment.TickCount64);
            Volatile.Write(ref _awaitingTraffic, true);
        }
        return _codec.WriteCommand(dest, Zmtp.Ping, ttl);
    }

    private void ArmPeerTtl(int ttlMs)
    {
        _peerTtlMs = ttlMs;
        _lastReceived = Environment.TickCount64;
        SetCheckInterval(_checkMs == 0 ? ttlMs : Math.Min(_checkMs, ttlMs));
    }

    private void SetCheckInterval(int ms)
    {
        ms = Math.Max(5, ms / 2);
        if (ms == _checkMs && _livenessTimer is { IsArmed: true }) return;
        _checkMs = ms;
        _livenessTimer ??= new IoTimer(_io, this, OpLiveness);
        _livenessTimer.Start(ms);
    }

    private void CheckLiveness()
    {
        if (_phase != Phase.Active) return;
        long now = Environment.TickCount64;
        if (_readBlocked)
        {
            // We stopped reading (the application is behind): the peer's bytes wait in the kernel.
            _lastReceived = now;
            Volatile.Write(ref _awaitingTraffic, false);
        }
        int timeout = _s.HeartbeatTimeoutMs;
        if (Volatile.Read(ref _awaitingTraffic) && timeout > 0 && now - Volatile.Read(ref _pingSentAt) >= timeout)
            throw new ZmtpException($"heartbeat timed out: nothing arrived within {timeout} ms of our PING", CloseKind.HeartbeatTimeout);
        if (_peerTtlMs > 0 && now - _lastReceived >= _peerTtlMs)
            throw new ZmtpException($"heartbeat TTL expired: the peer asked to be dropped after {_peerTtlMs} ms of silence", CloseKind.HeartbeatTimeout);
        _livenessTimer!.Start(_checkMs);
    }
}
