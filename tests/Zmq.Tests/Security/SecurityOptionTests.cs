namespace Zmq.Tests.Security;

/// <summary>The security options choose the mechanism as libzmq's do, by property and by option number.</summary>
public sealed class SecurityOptionTests
{
    [Fact]
    public void Options_select_the_mechanism_as_libzmq_does()
    {
        using var s = new DealerSocket();
        Assert.Equal(SecurityMechanism.Null, s.Mechanism);
        Assert.Equal(0, s.GetOption(SocketOption.Mechanism));

        s.SetOption(SocketOption.PlainServer, 1);
        Assert.Equal(SecurityMechanism.Plain, s.Mechanism);
        Assert.True(s.PlainServer);
        Assert.Equal(1, s.GetOption(SocketOption.Mechanism));
        s.PlainServer = false;
        Assert.Equal(SecurityMechanism.Null, s.Mechanism);

        s.SetOption(SocketOption.PlainUsername, "user");
        s.SetOption(SocketOption.PlainPassword, "pw");
        Assert.Equal(SecurityMechanism.Plain, s.Mechanism);
        Assert.False(s.IsSecurityServer);
        Assert.Equal("user", s.GetOption(SocketOption.PlainUsername));
        Assert.Equal("pw", s.GetOption(SocketOption.PlainPassword));

        var keys = CurveKeyPair.Generate();
        s.SetOption(SocketOption.CurveServerKey, keys.PublicKeyZ85); // Z85 text, as libzmq takes it
        Assert.Equal(SecurityMechanism.Curve, s.Mechanism);
        Assert.Equal(2, s.GetOption(SocketOption.Mechanism));
        Assert.Equal(keys.PublicKey, (byte[])s.GetOption(SocketOption.CurveServerKey));
        s.SetOption(SocketOption.CurveSecretKey, keys.SecretKey);
        Assert.Equal(keys.SecretKey, s.CurveSecretKey);
        s.SetOption(SocketOption.CurveServer, true);
        Assert.True(s.CurveServer);
        Assert.True(s.IsSecurityServer);

        s.SetOption(SocketOption.ZapDomain, "global");
        s.SetOption(SocketOption.ZapEnforceDomain, 1);
        Assert.Equal("global", s.GetOption(SocketOption.ZapDomain));
        Assert.Equal(1, s.GetOption(SocketOption.ZapEnforceDomain));
    }

    [Fact]
    public void Curve_server_without_secret_key_fails_at_bind_naming_the_option()
    {
        using var s = new PullSocket();
        s.CurveServer = true;
        var e = Assert.Throws<ZmqException>(() => s.Bind("tcp://127.0.0.1:*"));
        Assert.Equal(ZmqError.InvalidOption, e.Error);
        Assert.Contains("CURVE_SECRETKEY", e.Message);
    }

    [Fact]
    public void Curve_public_key_that_does_not_match_the_secret_key_fails_at_connect()
    {
        using var s = new PushSocket();
        s.CurveServerKey = CurveKeyPair.Generate().PublicKey;
        s.CurveSecretKey = CurveKeyPair.Generate().SecretKey;
        s.CurvePublicKey = CurveKeyPair.Generate().PublicKey;
        var e = Assert.Throws<ZmqException>(() => s.Connect("tcp://127.0.0.1:5"));
        Assert.Contains("does not belong", e.Message);
    }

    [Fact]
    public void Curve_client_without_own_keys_gets_a_fresh_pair_at_connect()
    {
        using var s = new PushSocket { Linger = TimeSpan.Zero };
        s.CurveServerKey = CurveKeyPair.Generate().PublicKey;
        Assert.Null(s.CurveSecretKey);
        s.Connect("tcp://127.0.0.1:5");
        Assert.NotNull(s.CurveSecretKey);
        Assert.Equal(CurveKeyPair.DerivePublicKey(s.CurveSecretKey!), s.CurvePublicKey);
    }
}
