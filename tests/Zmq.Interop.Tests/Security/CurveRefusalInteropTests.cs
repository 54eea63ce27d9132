using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;
using static Zmq.Interop.Tests.Security.SecurityAssert;

namespace Zmq.Interop.Tests.Security;

/// <summary>
/// CURVE refusals against libzmq 4.3 over tcp and ipc: a client holding the wrong server key (ours
/// against libzmq's server and libzmq's against ours) gets nothing through and the server keeps
/// serving a good client afterwards; and downgrade attempts (a NULL peer against a CURVE peer, in
/// every combination of roles and libraries) are refused with MECHANISM_MISMATCH.
/// </summary>
public sealed class CurveRefusalInteropTests
{
    public static TheoryData<string> Transports => new() { Transport.Tcp, Transport.Ipc };

    private const int ZmtpCryptographic = 0x11000001;
    private const int ZmtpMechanismMismatch = 0x11000002;

    // ------------------------------------------------------------------ wrong server key

    /// <summary>
    /// Our client with a server key that is not the libzmq server's: libzmq cannot open our HELLO box
    /// and reports HANDSHAKE_FAILED_PROTOCOL ZMTP_CRYPTOGRAPHIC; our client never completes a
    /// handshake; nothing arrives; a good client of ours is then served.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void OurClientWithWrongServerKey_LibzmqServerRefuses_ThenServesAGoodClient(string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var serverKeys = CurveKeyPair.Generate();
        var server = rig.Theirs(SocketType.Pull);
        CurveKeys.MakeServer(server, serverKeys);
        using var lzMonitor = SecurityRig.Monitor(server);
        var endpoint = rig.Bind(server, transport);

        var bad = rig.Ours(SocketType.Push);
        CurveKeys.MakeClient(bad, CurveKeyPair.Generate().PublicKey, CurveKeyPair.Generate());
        var badMonitor = rig.Monitor(bad);
        bad.Connect(endpoint);
        SendIfPossible(bad, B("from the client with the wrong server key"));

        var theirs = new List<LzMonitorEvent>();
        var failure = AwaitLz(lzMonitor, LzEvent.HandshakeFailedProtocol, theirs);
        Assert.Equal(ZmtpCryptographic, failure.Value);
        Assert.DoesNotContain(theirs, e => e.Event == LzEvent.HandshakeSucceeded);

        var ours = new List<MonitorEvent>();
        Await(badMonitor, MonitorEventType.Disconnected, ours);
        Assert.DoesNotContain(ours, e => e.Type == MonitorEventType.HandshakeSucceeded);
        Assert.Contains(ours, e => e.Type == MonitorEventType.HandshakeFailedNoDetail);
        NothingArrives(server, "wrong server key (ours -> libzmq)");

        var good = rig.Ours(SocketType.Push);
        CurveKeys.MakeClient(good, serverKeys.PublicKey, CurveKeys.MadeByLibzmq());
        good.Connect(endpoint);
        good.Send(B("from the good client"));
        Equal([B("from the good client")], server.Receive(), "good client after a refused one");
        NothingArrives(server, "after the good client's message");
        Assert.DoesNotContain(Drain(badMonitor, 0), e => e.Type == MonitorEventType.HandshakeSucceeded);
    }

    /// <summary>
    /// A libzmq client with a server key that is not ours: our server cannot open its HELLO box and
    /// reports HANDSHAKE_FAILED_PROTOCOL ZMTP_CRYPTOGRAPHIC (as libzmq does); nothing arrives; a good
    /// libzmq client is then served.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void LibzmqClientWithWrongServerKey_OurServerRefuses_ThenServesAGoodClient(string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var serverKeys = CurveKeys.MadeByLibzmq();
        var server = rig.Ours(SocketType.Pull);
        CurveKeys.MakeServer(server, serverKeys);
        var monitor = rig.Monitor(server);
        var endpoint = rig.Bind(server, transport);

        var bad = rig.Theirs(SocketType.Push);
        CurveKeys.MakeClient(bad, CurveKeyPair.Generate().PublicKey, CurveKeyPair.Generate());
        using var badMonitor = SecurityRig.Monitor(bad);
        bad.Connect(endpoint);
        SendIfPossible(bad, B("from the client with the wrong server key"));

        var ours = new List<MonitorEvent>();
        var failure = Await(monitor, MonitorEventType.HandshakeFailedProtocol, ours);
        Assert.Equal(ZmqProtocolError.ZmtpCryptographic, failure.ProtocolError);
        Assert.DoesNotContain(ours, e => e.Type == MonitorEventType.HandshakeSucceeded);
        NothingArrives(server, "wrong server key (libzmq -> ours)", other: bad);
        var theirs = DrainLz(badMonitor, 100);
        Assert.DoesNotContain(theirs, e => e.Event == LzEvent.HandshakeSucceeded);

        var good = rig.Theirs(SocketType.Push);
        CurveKeys.MakeClient(good, serverKeys.PublicKey, CurveKeyPair.Generate());
        good.Connect(endpoint);
        good.Send(B("from the good client"));
        Equal([B("from the good client")], server.Receive(), "good client after a refused one");
        NothingArrives(server, "after the good client's message", other: bad);
    }

    // ------------------------------------------------------------------ downgrade attempts

    /// <summary>
    /// A libzmq NULL client against our CURVE server: refused, nothing arrives, libzmq reports
    /// MECHANISM_MISMATCH (it read our greeting's "CURVE"). See <see cref="AssertRefusedAtTheGreeting"/> for what our side can report.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void LibzmqNullClient_OurCurveServer_Refused(string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var server = rig.Ours(SocketType.Pull);
        CurveKeys.MakeServer(server, CurveKeyPair.Generate());
        var monitor = rig.Monitor(server);
        var endpoint = rig.Bind(server, transport);

        var client = rig.Theirs(SocketType.Push);
        using var lzMonitor = SecurityRig.Monitor(client);
        client.Connect(endpoint);
        SendIfPossible(client, B("plaintext from a NULL client"));

        var theirFailure = AwaitLz(lzMonitor, LzEvent.HandshakeFailedProtocol);
        Assert.Equal(ZmtpMechanismMismatch, theirFailure.Value);
        AssertRefusedAtTheGreeting(monitor);
        NothingArrives(server, "NULL client -> CURVE server", other: client);
        Assert.DoesNotContain(Drain(monitor, 0), e => e.Type == MonitorEventType.HandshakeSucceeded);
    }

    /// <summary>Our NULL client against a libzmq CURVE server: refused, nothing arrives, libzmq reports MECHANISM_MISMATCH.</summary>
    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void OurNullClient_LibzmqCurveServer_Refused(string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var server = rig.Theirs(SocketType.Pull);
        CurveKeys.MakeServer(server, CurveKeyPair.Generate());
        using var lzMonitor = SecurityRig.Monitor(server);
        var endpoint = rig.Bind(server, transport);

        var client = rig.Ours(SocketType.Push);
        var monitor = rig.Monitor(client);
        client.Connect(endpoint);
        SendIfPossible(client, B("plaintext from a NULL client"));

        AssertRefusedAtTheGreeting(monitor);
        var theirs = new List<LzMonitorEvent>();
        var theirFailure = AwaitLz(lzMonitor, LzEvent.HandshakeFailedProtocol, theirs);
        Assert.Equal(ZmtpMechanismMismatch, theirFailure.Value);
        NothingArrives(server, "our NULL client -> libzmq CURVE server");
        Assert.DoesNotContain(theirs, e => e.Event == LzEvent.HandshakeSucceeded);
    }

    /// <summary>The server-side downgrade: our CURVE client meets a libzmq NULL server (e.g. an impostor) and sends nothing to it.</summary>
    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void OurCurveClient_LibzmqNullServer_Refused(string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var server = rig.Theirs(SocketType.Pull);
        using var lzMonitor = SecurityRig.Monitor(server);
        var endpoint = rig.Bind(server, transport);

        var client = rig.Ours(SocketType.Push);
        CurveKeys.MakeClient(client, CurveKeyPair.Generate().PublicKey, CurveKeyPair.Generate());
        var monitor = rig.Monitor(client);
        client.Connect(endpoint);
        SendIfPossible(client, B("must never travel in clear text"));

        AssertRefusedAtTheGreeting(monitor);
        var theirFailure = AwaitLz(lzMonitor, LzEvent.HandshakeFailedProtocol);
        Assert.Equal(ZmtpMechanismMismatch, theirFailure.Value);
        NothingArrives(server, "our CURVE client -> libzmq NULL server");
        Assert.DoesNotContain(Drain(monitor, 0), e => e.Type == MonitorEventType.HandshakeSucceeded);
    }

    /// <summary>A libzmq CURVE client meeting our NULL server: refused, nothing arrives, libzmq reports MECHANISM_MISMATCH.</summary>
    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void LibzmqCurveClient_OurNullServer_Refused(string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var server = rig.Ours(SocketType.Pull);
        var monitor = rig.Monitor(server);
        var endpoint = rig.Bind(server, transport);

        var client = rig.Theirs(SocketType.Push);
        CurveKeys.MakeClient(client, CurveKeyPair.Generate().PublicKey, CurveKeyPair.Generate());
        using var lzMonitor = SecurityRig.Monitor(client);
        client.Connect(endpoint);
        SendIfPossible(client, B("must never travel in clear text"));

        var theirFailure = AwaitLz(lzMonitor, LzEvent.HandshakeFailedProtocol);
        Assert.Equal(ZmtpMechanismMismatch, theirFailure.Value);
        AssertRefusedAtTheGreeting(monitor);
        NothingArrives(server, "libzmq CURVE client -> our NULL server", other: client);
        Assert.DoesNotContain(Drain(monitor, 0), e => e.Type == MonitorEventType.HandshakeSucceeded);
    }

    /// <summary>
    /// Our side of a handshake that libzmq refused at the greeting (mechanism mismatch). libzmq 4.3.4
    /// checks the mechanism as soon as our whole 64-byte greeting is in, and closes having sent only
    /// its 10-byte signature (PROTOCOL-NOTES 2.1), so our side usually never sees libzmq's mechanism:
    /// it reports HANDSHAKE_FAILED_NO_DETAIL with EPIPE (or ECONNRESET), the way libzmq reports a peer
    /// that closes mid-handshake. Should libzmq's greeting arrive first, MECHANISM_MISMATCH is the only
    /// acceptable report. Either way the failure comes before the first DISCONNECTED, and no handshake succeeds.
    /// </summary>
    private static void AssertRefusedAtTheGreeting(SocketMonitor monitor)
    {
        var ours = new List<MonitorEvent>();
        Await(monitor, MonitorEventType.Disconnected, ours);
        Assert.DoesNotContain(ours, e => e.Type == MonitorEventType.HandshakeSucceeded);
        var failure = ours.Find(e => e.Type is MonitorEventType.HandshakeFailedProtocol or MonitorEventType.HandshakeFailedNoDetail or MonitorEventType.HandshakeFailedAuth);
        Assert.True(failure is not null, $"no handshake failure before DISCONNECTED: {Names(ours)}");
        var ok = failure.Type == MonitorEventType.HandshakeFailedProtocol
            ? failure.ProtocolError == ZmqProtocolError.ZmtpMechanismMismatch
            : failure.Type == MonitorEventType.HandshakeFailedNoDetail && (!OperatingSystem.IsLinux() || failure.Value is 32 or 104);
        Assert.True(ok, $"a refusal at the greeting reported as {failure}");
    }
}
