using System.Text;
using Zmq.Diagnostics;
using Zmq.Engine;

namespace Zmq.Security;

/// <summary>
/// The server side of ZAP (RFC 27) as libzmq speaks it: one request per handshake, from a private
/// DEALER connected to <see cref="Zap.Endpoint"/> in the socket's context, with request id "1" and
/// the socket's own routing id as identity. The reply must be exactly libzmq's 7 frames; anything
/// else fails the handshake with libzmq's ZAP protocol error code.
/// </summary>
internal static class ZapClient
{
    private const string HandlerName = "zeromq.zap.01";
    private static readonly byte[] RequestId = "1"u8.ToArray();

    /// <summary>The handler's reply, or null when no handler is bound in the socket's context.</summary>
    public static ZapReply? Ask(IHandshakeChannel ch, string mechanism, byte[][] credentials)
    {
        var owner = ch.Owner;
        if (!owner.Context.Inproc.IsBound(HandlerName)) return null;
        var request = new ZapRequest
        {
            Version = Zap.Version,
            RequestId = RequestId,
            Domain = owner.ZapDomain,
            Address = ch.PeerIp,
            Identity = owner.RoutingIdOption ?? [],
            Mechanism = mechanism,
            Credentials = credentials,
        };
        using var dealer = new DealerSocket(null, owner.Context) { Linger = TimeSpan.Zero };
        dealer.Connect(Zap.Endpoint);
        dealer.SendFrames([[], .. request.ToFrames()]);
        // Wait in slices, so that a handler that never answers cannot hold this thread after the
        // connection was closed (HANDSHAKE_IVL 0 means no deadline at all).
        while (true)
        {
            long left = ch.Deadline == long.MaxValue ? long.MaxValue : ch.Deadline - Environment.TickCount64;
            if (left <= 0)
                throw new ZmtpConnection.ProtocolViolation($"the ZAP handler did not answer within HANDSHAKE_IVL ({mechanism})", CloseKind.HandshakeTimeout);
            if (ch.IsClosed)
                throw new ZmtpConnection.ProtocolViolation("closed while waiting for the ZAP handler", CloseKind.Local);
            if (dealer.TryReceive(TimeSpan.FromMilliseconds(Math.Min(left, 200)), out var reply))
                using (reply) return Parse(reply);
        }
    }

    private static ZapReply Parse(Message m)
    {
        // DEALER receives the empty delimiter, then version, request id, status, text, user id, metadata.
        if (m.Count != 7 || m.GetSpan(0).Length != 0)
            throw Fail($"malformed ZAP reply: {m.Count} frames, expected the delimiter and 6", ZmqProtocolError.ZapMalformedReply);
        if (!m.GetSpan(1).SequenceEqual("1.0"u8))
            throw Fail($"ZAP reply has version \"{Zmtp.Printable(m.GetSpan(1))}\", expected 1.0", ZmqProtocolError.ZapBadVersion);
        if (!m.GetSpan(2).SequenceEqual(RequestId))
            throw Fail("ZAP reply has another request id", ZmqProtocolError.ZapBadRequestId);
        int status = m.GetSpan(3) switch
        {
            var s when s.SequenceEqual("200"u8) => 200,
            var s when s.SequenceEqual("300"u8) => 300,
            var s when s.SequenceEqual("400"u8) => 400,
            var s when s.SequenceEqual("500"u8) => 500,
            _ => throw Fail($"ZAP reply has status \"{Zmtp.Printable(m.GetSpan(3))}\", expected 200, 300, 400 or 500", ZmqProtocolError.ZapInvalidStatusCode),
        };
        var meta = Engine.Metadata.Parse(m.GetSpan(6))
            ?? throw Fail("ZAP reply carries malformed metadata", ZmqProtocolError.ZapInvalidMetadata);
        return new ZapReply
        {
            StatusCode = status,
            StatusText = Encoding.UTF8.GetString(m.GetSpan(4)),
            UserId = Encoding.UTF8.GetString(m.GetSpan(5)),
            Metadata = meta,
        };
    }

    private static ZmtpConnection.ProtocolViolation Fail(string reason, ZmqProtocolError code) =>
        new(reason, CloseKind.ProtocolCode, (long)code);
}
