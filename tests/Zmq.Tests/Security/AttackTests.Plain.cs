using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Security;

/// <summary>Attacks on our PLAIN server (its ZAP handler knows admin/secret).</summary>
public sealed partial class AttackTests
{
    [Theory]
    [InlineData("admin", "wrong")]
    [InlineData("admin", "")]
    [InlineData("nobody", "secret")]
    public void PLAIN_wrong_password_gets_ERROR_400_and_HANDSHAKE_FAILED_AUTH_400(string user, string password)
    {
        StartPlainServer();
        var raw = RawPlain();
        raw.Greet();
        raw.SendHello(user, password);
        var (name, data) = raw.ReadCommand();
        Assert.Equal("ERROR", name);
        Assert.Equal([3, (byte)'4', (byte)'0', (byte)'0'], data);
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedAuth, 400);
        NothingDelivered();
        Assert.Equal(1, _auth!.Denied);
        GoodClientGetsThrough();
    }

    [Theory]
    [InlineData("")]                       // nothing at all
    [InlineData("05 61 64 6D")]            // the user name cut
    [InlineData("05 61 64 6D 69 6E")]      // no password length
    [InlineData("05 61 64 6D 69 6E 06 73 65 63")] // the password cut
    [InlineData("05 61 64 6D 69 6E 06 73 65 63 72 65 74 FF")] // a byte too many
    public void Truncated_PLAIN_HELLO_is_refused_with_MALFORMED_COMMAND_HELLO(string hex)
    {
        StartPlainServer();
        var raw = RawPlain();
        raw.Greet();
        raw.SendHelloData(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpMalformedCommandHello));
        NothingDelivered();
        Assert.Equal(0, _auth!.Denied + _auth.Allowed); // refused before ZAP
        GoodClientGetsThrough();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PLAIN_message_before_READY_is_refused_with_UNEXPECTED_COMMAND(bool afterWelcome)
    {
        StartPlainServer();
        var raw = RawPlain();
        raw.Greet();
        if (afterWelcome)
        {
            raw.SendHello("admin", "secret");
            Assert.Equal("WELCOME", raw.ReadCommand().Name);
        }
        raw.Peer.Send(RawPeer.Frame("early"));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpUnexpectedCommand));
        NothingDelivered();
        GoodClientGetsThrough();
    }
}
