using System.Text;
using Zmq.Wire;

namespace Zmq.Security;

/// <summary>
/// The server side of ZAP (RFC 27) as libzmq speaks it: one request per handshake, with request id
/// "1" and the socket's own routing id as identity (sent by the mechanisms through their channel,
/// over the context's <see cref="IZapTransport"/>). The reply must be exactly libzmq's 7 frames;
/// anything else fails the handshake with libzmq's ZAP protocol error code.
/// </summary>
internal static class ZapClient
{
    /// <summary>libzmq's request id: every request has its own DEALER, so "1" always suffices.</summary>
    public static readonly byte[] RequestId = "1"u8.ToArray();

    /// <summary>Validates and reads a reply's frames (the empty delimiter first, then version, request id, status, text, user id, metadata).</summary>
    public static ZapReply Parse(byte[][] m)
    {
        if (m.Length != 7 || m[0].Length != 0)
            throw Fail($"malformed ZAP reply: {m.Length} frames, expected the delimiter and 6", ZmqProtocolError.ZapMalformedReply);
        if (!m[1].AsSpan().SequenceEqual("1.0"u8))
            throw Fail($"ZAP reply has version \"{Zmtp.Printable(m[1])}\", expected 1.0", ZmqProtocolError.ZapBadVersion);
        if (!m[2].AsSpan().SequenceEqual(RequestId))
            throw Fail("ZAP reply has another request id", ZmqProtocolError.ZapBadRequestId);
        int status = m[3].AsSpan() switch
        {
            var s when s.SequenceEqual("200"u8) => 200,
            var s when s.SequenceEqual("300"u8) => 300,
            var s when s.SequenceEqual("400"u8) => 400,
            var s when s.SequenceEqual("500"u8) => 500,
            _ => throw Fail($"ZAP reply has status \"{Zmtp.Printable(m[3])}\", expected 200, 300, 400 or 500", ZmqProtocolError.ZapInvalidStatusCode),
        };
        var meta = Metadata.Parse(m[6])
            ?? throw Fail("ZAP reply carries malformed metadata", ZmqProtocolError.ZapInvalidMetadata);
        return new ZapReply
        {
            StatusCode = status,
            StatusText = Encoding.UTF8.GetString(m[4]),
            UserId = Encoding.UTF8.GetString(m[5]),
            Metadata = meta,
        };
    }

    private static ZmtpException Fail(string reason, ZmqProtocolError code) =>
        new(reason, CloseKind.ProtocolCode, (long)code);
}
