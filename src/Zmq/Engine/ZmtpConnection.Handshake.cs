using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Zmq.Diagnostics;
using Zmq.Routing;

namespace Zmq.Engine;

internal sealed partial class ZmtpConnection
{
    private byte[] _rbuf = [];
    private int _rstart, _rend;

    /// <summary>
    /// Greeting and NULL handshake on the reader thread, bounded by HANDSHAKE_IVL. Leaves any bytes
    /// that followed the peer's READY in the read buffer. False when the connection was closed.
    /// </summary>
    private bool Handshake()
    {
        _rbuf = new byte[ReadBufferSize];
        int ivl = _owner.HandshakeIntervalMs;
        long deadline = ivl > 0 ? Environment.TickCount64 + ivl : long.MaxValue;
        if (ivl > 0) _sock.SendTimeout = ivl;

        Span<byte> greeting = stackalloc byte[Zmtp.GreetingSize];
        Greeting.Write(greeting, "NULL", asServer: false);
        SendAll(greeting);

        FillHandshake(1, deadline);
        if (_rbuf[0] != 0xFF) return Refuse(Greeting.CheckSignature(_rbuf.AsSpan(0, 10))!, CloseKind.UnsupportedVersion); // ZMTP/1.0 waits for us: decide on byte 0
        FillHandshake(Zmtp.SignatureSize, deadline);
        if (Greeting.CheckSignature(_rbuf.AsSpan(0, 10)) is { } sigProblem) return Refuse(sigProblem, CloseKind.UnsupportedVersion);
        FillHandshake(11, deadline);
        if (Greeting.CheckMajor(_rbuf[10]) is { } versionProblem) return Refuse(versionProblem, CloseKind.UnsupportedVersion);
        FillHandshake(Zmtp.GreetingSize, deadline);
        var g = Greeting.Parse(_rbuf.AsSpan(0, Zmtp.GreetingSize));
        _rstart = Zmtp.GreetingSize;
        PeerIsV31 = Greeting.IsV31(g);
        if (g.Mechanism != "NULL")
            return Refuse($"security mechanism mismatch: we use NULL, the peer uses {Zmtp.Printable(Encoding.ASCII.GetBytes(g.Mechanism))}", CloseKind.MechanismMismatch);

        SendReady();

        byte flags = ReadHandshakeFrame(deadline, out var body);
        if ((flags & Zmtp.FlagCommand) == 0) throw new ProtocolViolation("expected a READY command, got a message frame", CloseKind.UnexpectedCommand);
        if (!Zmtp.TryParseCommand(body, out var name, out var data)) throw new ProtocolViolation("malformed command during handshake", CloseKind.UnexpectedCommand);
        if (name.SequenceEqual(Zmtp.Error))
        {
            string reason = data.Length > 0 ? Zmtp.Printable(data.Slice(1, Math.Min(data[0], data.Length - 1))) : "";
            throw new ProtocolViolation($"peer sent ERROR during handshake: \"{reason}\"", CloseKind.PeerError);
        }
        if (!name.SequenceEqual(Zmtp.Ready))
            throw new ProtocolViolation($"expected READY, got {Zmtp.Printable(name)}", CloseKind.UnexpectedCommand);
        var props = Metadata.Parse(data) ?? throw new ProtocolViolation("malformed READY metadata", CloseKind.InvalidMetadata);

        if (props.TryGetValue("Socket-Type", out var typeBytes))
        {
            if (!SocketTypeInfo.TryParseWireName(typeBytes, out var peerType))
                return RefuseWithError($"peer announced unknown socket type {Zmtp.Printable(typeBytes)}", "Invalid socket type");
            PeerType = peerType;
            if (!SocketTypeInfo.IsCompatible(_owner.Type, peerType))
                return RefuseWithError($"incompatible peer socket type {SocketTypeInfo.WireName(peerType)} for {SocketTypeInfo.WireName(_owner.Type)}", "Invalid socket type");
        }
        if (props.TryGetValue("Identity", out var identity)) PeerIdentity = identity;

        _sock.ReceiveTimeout = 0;
        _sock.SendTimeout = 0;
        return true;
    }

    private void SendReady()
    {
        var props = new List<KeyValuePair<string, byte[]>>
        {
            new("Socket-Type", Encoding.ASCII.GetBytes(SocketTypeInfo.WireName(_owner.Type))),
        };
        if (SocketTypeInfo.SendsIdentity(_owner.Type)) props.Add(new("Identity", _owner.RoutingIdOption ?? []));
        int metaSize = Metadata.Size(props);
        var frame = new byte[Zmtp.CommandSize(Zmtp.Ready.Length, metaSize)];
        var meta = new byte[metaSize];
        Metadata.Write(meta, props);
        Zmtp.WriteCommand(frame, Zmtp.Ready, meta);
        SendAll(frame);
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

    private bool RefuseWithError(string reason, string errorText)
    {
        try
        {
            var frame = new byte[Zmtp.CommandSize(Zmtp.Error.Length, 1 + errorText.Length)];
            var data = new byte[1 + errorText.Length];
            data[0] = (byte)errorText.Length;
            Encoding.ASCII.GetBytes(errorText, data.AsSpan(1));
            Zmtp.WriteCommand(frame, Zmtp.Error, data);
            SendAll(frame);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        return Refuse(reason, CloseKind.IncompatibleSocketType);
    }
}
