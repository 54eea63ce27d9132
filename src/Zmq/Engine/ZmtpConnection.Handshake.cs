using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Zmq.Diagnostics;
using Zmq.Routing;
using Zmq.Messages;
using Zmq.Security;

namespace Zmq.Engine;

internal sealed partial class ZmtpConnection
{
    private byte[] _rbuf = [];
    private int _rstart, _rend;

    private CurveCodec? _codec;          // CURVE: every frame travels inside a MESSAGE box
    private PeerProperties? _properties; // attached to every received message

    /// <summary>
    /// Greeting and the security mechanism's handshake on the reader thread, bounded by
    /// HANDSHAKE_IVL. Leaves any bytes that followed the handshake in the read buffer. False when
    /// the connection was refused and closed.
    /// </summary>
    private bool Handshake()
    {
        _rbuf = new byte[ReadBufferSize];
        int ivl = _owner.HandshakeIntervalMs;
        _deadline = ivl > 0 ? Environment.TickCount64 + ivl : long.MaxValue;
        if (ivl > 0) _sock.SendTimeout = ivl;
        var mechanism = Mechanism.Create(_owner);

        Span<byte> greeting = stackalloc byte[Zmtp.GreetingSize];
        Greeting.Write(greeting, mechanism.Name, mechanism.AsServer);
        SendAll(greeting);

        FillHandshake(1, _deadline);
        if (_rbuf[0] != 0xFF) return Refuse(Greeting.CheckSignature(_rbuf.AsSpan(0, 10))!, CloseKind.UnsupportedVersion); // ZMTP/1.0 waits for us: decide on byte 0
        FillHandshake(Zmtp.SignatureSize, _deadline);
        if (Greeting.CheckSignature(_rbuf.AsSpan(0, 10)) is { } sigProblem) return Refuse(sigProblem, CloseKind.UnsupportedVersion);
        FillHandshake(11, _deadline);
        if (Greeting.CheckMajor(_rbuf[10]) is { } versionProblem) return Refuse(versionProblem, CloseKind.UnsupportedVersion);
        FillHandshake(Zmtp.GreetingSize, _deadline);
        var g = Greeting.Parse(_rbuf.AsSpan(0, Zmtp.GreetingSize));
        _rstart = Zmtp.GreetingSize;
        PeerIsV31 = Greeting.IsV31(g);
        if (g.Mechanism != mechanism.Name)
            return Refuse($"security mechanism mismatch: we use {mechanism.Name}, the peer uses {Zmtp.Printable(Encoding.ASCII.GetBytes(g.Mechanism))}", CloseKind.MechanismMismatch);

        mechanism.Handshake(this);

        var props = mechanism.PeerProperties;
        if (props.TryGetValue("Socket-Type", out var typeBytes) && SocketTypeInfo.TryParseWireName(typeBytes, out var peerType)) PeerType = peerType;
        if (props.TryGetValue("Identity", out var identity)) PeerIdentity = identity;
        _properties = new PeerProperties(props, PeerIp);
        _codec = mechanism.Codec;
        _sock.ReceiveTimeout = 0;
        _sock.SendTimeout = 0;
        return true;
    }

    // ---- IHandshakeChannel: what the mechanisms use ----

    private long _deadline;

    Socket IHandshakeChannel.Owner => _owner;

    long IHandshakeChannel.Deadline => _deadline;

    /// <summary>
    /// The peer's address as libzmq gives it to ZAP and in the Peer-Address property: the IP without
    /// the port over tcp; over ipc <c>localhost:UID:GID:PID</c> from the peer's credentials (Linux
    /// SO_PEERCRED; plain <c>localhost</c> where they cannot be read).
    /// </summary>
    public string PeerIp
    {
        get
        {
            try
            {
                if (_sock.RemoteEndPoint is System.Net.IPEndPoint ip) return ip.Address.ToString();
                return _sock.AddressFamily == AddressFamily.Unix ? "localhost" + UnixPeerCredentials(_sock) : "";
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return "";
            }
        }
    }

    /// <summary><c>:uid:gid:pid</c> of a Unix domain socket's peer (Linux struct ucred), or empty.</summary>
    private static string UnixPeerCredentials(System.Net.Sockets.Socket sock)
    {
        if (!OperatingSystem.IsLinux()) return "";
        const int SolSocket = 1, SoPeerCred = 17;
        Span<byte> cred = stackalloc byte[12]; // pid, uid, gid: three 32-bit integers
        if (sock.GetRawSocketOption(SolSocket, SoPeerCred, cred) != 12) return "";
        int pid = BitConverter.ToInt32(cred), uid = BitConverter.ToInt32(cred.Slice(4)), gid = BitConverter.ToInt32(cred.Slice(8));
        return FormattableString.Invariant($":{(uint)uid}:{(uint)gid}:{pid}");
    }

    void IHandshakeChannel.SendCommand(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        var frame = new byte[Zmtp.CommandSize(name.Length, data.Length)];
        Zmtp.WriteCommand(frame, name, data);
        SendAll(frame);
    }

    void IHandshakeChannel.ReadCommand(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> data)
    {
        byte flags = ReadHandshakeFrame(_deadline, out var body);
        if ((flags & Zmtp.FlagCommand) == 0) throw new ProtocolViolation("expected a handshake command, got a message frame", CloseKind.UnexpectedCommand);
        if (Zmtp.TryParseCommand(body, out name, out data)) return;
        // libzmq's PLAIN server writes ERROR as 5E 'RROR' (a C escape ate the E): read it as the ERROR it is.
        if (body.Length >= 5 && body[0] == 0x5E && body.Slice(1, 4).SequenceEqual("RROR"u8))
        {
            name = Zmtp.Error;
            data = body.Slice(5);
            return;
        }
        throw new ProtocolViolation("malformed command during handshake", CloseKind.UnexpectedCommand);
    }

    void IHandshakeChannel.LingerAfterError()
    {
        // Stop sending so the peer reads the ERROR and sees the end; wait briefly for it to hang up.
        try
        {
            _sock.Shutdown(SocketShutdown.Send);
            long until = Math.Min(_deadline, Environment.TickCount64 + 1000);
            var scratch = new byte[256];
            while (Environment.TickCount64 < until)
            {
                _sock.ReceiveTimeout = (int)Math.Max(1, until - Environment.TickCount64);
                if (_sock.Receive(scratch) == 0) break;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private byte ReadHandshakeFrame(long deadline, out ReadOnlySpan<byte> body)
    {
        FillHandshake(_rstart + 2, deadline);
        byte flags = _rbuf[_rstart];
        long size;
        int hdr;
        if ((flags & Zmtp.FlagLong) != 0)
        {
            FillHandshake(_rstart + 9, deadline);
            size = BinaryPrimitives.ReadInt64BigEndian(_rbuf.AsSpan(_rstart + 1));
            hdr = 9;
        }
        else
        {
            size = _rbuf[_rstart + 1];
            hdr = 2;
        }
        long max = _owner.MaxMessageSize;
        if (max >= 0 && size > max) throw new ProtocolViolation($"handshake frame of {size} bytes exceeds MAXMSGSIZE {max}");
        if (size < 0 || size > _rbuf.Length - _rstart - hdr)
            throw new ProtocolViolation($"handshake command of {size} bytes is too large");
        FillHandshake(_rstart + hdr + (int)size, deadline);
        body = new ReadOnlySpan<byte>(_rbuf, _rstart + hdr, (int)size);
        _rstart += hdr + (int)size;
        return flags;
    }

    /// <summary>Reads until the buffer holds at least <paramref name="count"/> bytes from its start.</summary>
    private void FillHandshake(int count, long deadline)
    {
        while (_rend < count)
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0) throw new ProtocolViolation("handshake did not complete within HANDSHAKE_IVL", CloseKind.HandshakeTimeout);
            _sock.ReceiveTimeout = deadline == long.MaxValue ? 0 : (int)Math.Max(1, Math.Min(left, int.MaxValue));
            int n;
            try
            {
                n = _sock.Receive(_rbuf, _rend, _rbuf.Length - _rend, SocketFlags.None);
            }
            catch (SocketException se) when (se.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                throw new ProtocolViolation("handshake did not complete within HANDSHAKE_IVL", CloseKind.HandshakeTimeout);
            }
            if (n == 0) throw new ProtocolViolation("peer closed the connection during the handshake", CloseKind.PeerClosed);
            _rend += n;
        }
    }

    private void SendAll(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            int n = _sock.Send(data, SocketFlags.None);
            data = data.Slice(n);
        }
    }

    private bool Refuse(string reason, CloseKind kind)
    {
        Log.HandshakeRefused(_owner.Logger, _owner.Type, Endpoint, RemoteAddress, reason);
        Close(reason, error: false, kind);
        return false;
    }
}
