using System.Buffers.Binary;
using System.Text;

namespace Zmq.Toolkit;

/// <summary>The message types of ZGSP v1 (CZMQ's zgossip_msg).</summary>
public enum GossipMessageType : byte
{
    /// <summary>A client opens its session; the server answers with every tuple it knows.</summary>
    Hello = 1,
    /// <summary>A tuple: key, value, time to live.</summary>
    Publish = 2,
    /// <summary>A client is alive.</summary>
    Ping = 3,
    /// <summary>The server's answer to PING.</summary>
    Pong = 4,
    /// <summary>The server refused a message (the client must say HELLO again).</summary>
    Invalid = 5,
}

/// <summary>
/// One ZGSP v1 message body (one ZMTP frame), as CZMQ's zgossip_msg codec writes it: signature
/// 0xAAA0 (big-endian), the type, version 1; PUBLISH adds the key (1-byte length + bytes, at most
/// 255), the value (4-byte big-endian length + bytes) and the time to live in milliseconds (4-byte
/// big-endian; CZMQ 4.2.1 sends 0 and ignores it).
/// </summary>
/// <param name="Type">The message type.</param>
/// <param name="Key">PUBLISH: the tuple's key.</param>
/// <param name="Value">PUBLISH: the tuple's value.</param>
/// <param name="Ttl">PUBLISH: the time to live in milliseconds (0: for ever).</param>
public sealed record GossipMessage(GossipMessageType Type, string Key = "", string Value = "", uint Ttl = 0)
{
    /// <summary>The protocol signature.</summary>
    public const ushort Signature = 0xAAA0;

    /// <summary>The protocol version.</summary>
    public const byte Version = 1;

    /// <summary>The encoded body.</summary>
    /// <exception cref="ArgumentException">A key longer than 255 bytes in UTF-8.</exception>
    public byte[] Encode()
    {
        if (Type != GossipMessageType.Publish) return [0xAA, 0xA0, (byte)Type, Version];
        byte[] key = Encoding.UTF8.GetBytes(Key), value = Encoding.UTF8.GetBytes(Value);
        if (key.Length > 255) throw new ArgumentException($"a gossip key is at most 255 bytes in UTF-8, not {key.Length}", nameof(Key));
        var b = new byte[4 + 1 + key.Length + 4 + value.Length + 4];
        BinaryPrimitives.WriteUInt16BigEndian(b, Signature);
        b[2] = (byte)Type;
        b[3] = Version;
        b[4] = (byte)key.Length;
        key.CopyTo(b, 5);
        int at = 5 + key.Length;
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), (uint)value.Length);
        value.CopyTo(b, at + 4);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at + 4 + value.Length), Ttl);
        return b;
    }

    /// <summary>Decodes a body; false, with what was wrong, for anything CZMQ's codec would refuse (and for trailing bytes).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> body, out GossipMessage? message, out string? error)
    {
        message = null;
        if (body.Length < 4) return Fail($"{body.Length} bytes: a ZGSP message is at least 4", out error);
        ushort signature = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (signature != Signature) return Fail($"signature 0x{signature:X4}, not 0xAAA0", out error);
        byte id = body[2];
        if (id is < 1 or > 5) return Fail($"message id {id}, not 1 to 5", out error);
        if (body[3] != Version) return Fail($"version {body[3]}, not 1", out error);
        var type = (GossipMessageType)id;
        if (type != GossipMessageType.Publish)
        {
            if (body.Length != 4) return Fail($"{body.Length - 4} bytes after a {type} message", out error);
            message = new GossipMessage(type);
            error = null;
            return true;
        }
        var rest = body[4..];
        if (rest.Length < 1) return Fail("PUBLISH without a key", out error);
        int keyLength = rest[0];
        if (rest.Length < 1 + keyLength + 4) return Fail("PUBLISH cut in its key", out error);
        var key = rest.Slice(1, keyLength);
        rest = rest[(1 + keyLength)..];
        uint valueLength = BinaryPrimitives.ReadUInt32BigEndian(rest);
        if (valueLength > (uint)(rest.Length - 4)) return Fail($"PUBLISH value of {valueLength} bytes, {rest.Length - 4} left", out error);
        var value = rest.Slice(4, (int)valueLength);
        rest = rest[(4 + (int)valueLength)..];
        if (rest.Length < 4) return Fail("PUBLISH without its time to live", out error);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(rest);
        if (rest.Length != 4) return Fail($"{rest.Length - 4} bytes after a PUBLISH", out error);
        try
        {
            var strict = new UTF8Encoding(false, true);
            message = new GossipMessage(type, strict.GetString(key), strict.GetString(value), ttl);
        }
        catch (DecoderFallbackException)
        {
            return Fail("PUBLISH key or value is not UTF-8", out error);
        }
        error = null;
        return true;
    }

    private static bool Fail(string why, out string? error)
    {
        error = why;
        return false;
    }
}
