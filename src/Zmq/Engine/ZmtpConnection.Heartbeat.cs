using System.Buffers.Binary;
using System.Net.Sockets;
using Zmq.Diagnostics;

namespace Zmq.Engine;

/// <summary>
/// ZMTP 3.1 heartbeats, as libzmq does them: with HEARTBEAT_IVL the writer sends a PING (always with
/// our TTL) every interval; if nothing at all arrives within HEARTBEAT_TIMEOUT after a PING, or
/// within the TTL the peer put in its own PING, the connection is dropped (and reconnected, if ours
/// connected). The reader notices through a receive time-out, so an idle connection costs no
/// thread wake-ups beyond one per check interval.
/// </summary>
internal sealed partial class ZmtpConnection
{
    private long _lastReceived = Environment.TickCount64;
    private long _pingSentAt;
    private volatile bool _awaitingTraffic;  // a PING went out and nothing has arrived since
    private int _peerTtlMs;                   // from the peer's PING; 0 = none
    private int _checkMs;                     // current receive time-out used for the checks (0 = none)

    /// <summary>Starts the reader's liveness checks once the handshake is done.</summary>
    private void StartHeartbeatChecks()
    {
        _lastReceived = Environment.TickCount64;
        int ivl = _owner.HeartbeatIntervalMs;
        if (ivl > 0) SetCheckInterval(Math.Min(ivl, Math.Max(1, _owner.HeartbeatTimeoutMs)));
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
        if (ms == _checkMs) return;
        _checkMs = ms;
        _sock.ReceiveTimeout = ms;
    }

    /// <summary>Receives at least one byte, checking liveness each time the check interval passes.</summary>
    private int ReceiveSome(Span<byte> dest)
    {
        while (true)
        {
            int n;
            try
            {
                n = _sock.Receive(dest, SocketFlags.None);
            }
            catch (SocketException se) when (_checkMs > 0 && se.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                CheckLiveness();
                continue;
            }
            if (n > 0)
            {
                _awaitingTraffic = false;
                if (_peerTtlMs > 0) _lastReceived = Environment.TickCount64;
            }
            return n;
        }
    }

    private void CheckLiveness()
    {
        long now = Environment.TickCount64;
        int timeout = _owner.HeartbeatTimeoutMs;
        if (_awaitingTraffic && timeout > 0 && now - Volatile.Read(ref _pingSentAt) >= timeout)
            throw new ProtocolViolation($"heartbeat timed out: nothing arrived within {timeout} ms of our PING", CloseKind.HeartbeatTimeout);
        if (_peerTtlMs > 0 && now - _lastReceived >= _peerTtlMs)
            throw new ProtocolViolation($"heartbeat TTL expired: the peer asked to be dropped after {_peerTtlMs} ms of silence", CloseKind.HeartbeatTimeout);
    }

    /// <summary>Writer side: appends a PING when one is due; returns the bytes written and the next due time.</summary>
    private int WritePingIfDue(Span<byte> dest, ref long nextPing)
    {
        int ivl = _owner.HeartbeatIntervalMs;
        if (ivl <= 0) return 0;
        long now = Environment.TickCount64;
        if (now < nextPing) return 0;
        nextPing = now + ivl;
        Span<byte> ttl = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(ttl, (ushort)(_owner.HeartbeatTtlMs / 100));
        if (!_awaitingTraffic)
        {
            Volatile.Write(ref _pingSentAt, now);
            _awaitingTraffic = true;
        }
        return WriteCommandFrame(dest, Zmtp.Ping, ttl);
    }

    /// <summary>How long the writer may sleep before the next PING is due (-1: no heartbeats).</summary>
    private int WriterSleepMs(long nextPing)
    {
        if (_owner.HeartbeatIntervalMs <= 0) return -1;
        return (int)Math.Clamp(nextPing - Environment.TickCount64, 1, int.MaxValue);
    }
}
