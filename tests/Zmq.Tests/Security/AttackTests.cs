using System.Diagnostics;
using System.Text;
using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Diagnostics.MonitorExpect;

namespace Zmq.Tests.Security;

/// <summary>
/// Bad input and attacks against our CURVE and PLAIN servers (and our CURVE client), each driven by
/// a hand-written peer (<see cref="RawCurveClient"/>, <see cref="RawPlainClient"/>, <see cref="RawCurveServer"/>).
/// Every attack must be refused: (a) nothing reaches the application, (b) the connection is dropped
/// (the raw socket reads EOF or a reset within a bounded time), (c) the monitor reports the failure
/// with libzmq's value (HANDSHAKE_FAILED_PROTOCOL + ZMQ_PROTOCOL_ERROR_*, or HANDSHAKE_FAILED_AUTH +
/// ZAP status) followed by DISCONNECTED, and (d) the server goes on serving good clients.
/// </summary>
public sealed partial class AttackTests : IDisposable
{
    private static readonly TimeSpan DropWithin = TimeSpan.FromSeconds(8); // an upper bound only: generous for loaded CI machines
    private static readonly TimeSpan EventWithin = TimeSpan.FromSeconds(5);

    private readonly SocketScope S = new();
    private readonly CurveKeyPair _serverKeys = CurveKeyPair.Generate();
    private readonly List<MonitorEvent> _backlog = [];
    private readonly HashSet<string> _rawPeers = [];
    private readonly List<IDisposable> _raws = [];
    private PullSocket? _pull;
    private SocketMonitor? _mon;
    private string _endpoint = "";
    private Authenticator? _auth;
    private string? _certDir;
    private bool _plain;

    public void Dispose()
    {
        foreach (var r in _raws) r.Dispose();
        _mon?.Dispose();
        _auth?.Dispose();
        S.Dispose();
        if (_certDir is not null) Directory.Delete(_certDir, recursive: true);
    }

    private PullSocket Pull => _pull ?? throw new InvalidOperationException("start a server first");

    // ================================================================ fixture

    /// <summary>A CURVE server (PULL, no ZAP handler unless one is added) with a monitor.</summary>
    private void StartCurveServer(Action<PullSocket>? configure = null)
    {
        _pull = S.Pull();
        configure?.Invoke(_pull);
        _pull.MakeCurveServer(_serverKeys);
        Bind();
    }

    /// <summary>A PLAIN server (PULL) whose ZAP handler knows one user, admin/secret.</summary>
    private void StartPlainServer()
    {
        _auth = new Authenticator(S.Context);
        _auth.ConfigurePlain(new Dictionary<string, string> { ["admin"] = "secret" });
        _pull = S.Pull();
        _pull.PlainServer = true;
        _plain = true;
        Bind();
    }

    private void Bind()
    {
        _mon = Pull.Monitor();
        Pull.Bind("tcp://127.0.0.1:*");
        _endpoint = Pull.LastEndpoint!;
        Assert.Equal(MonitorEventType.Listening, Take(_ => true, "LISTENING").Type);
    }

    /// <summary>A ZAP handler (Authenticator) in the server's context that trusts exactly these client keys (a certificate directory).</summary>
    private Authenticator TrustOnly(params CurveKeyPair[] trusted)
    {
        _certDir = Directory.CreateTempSubdirectory("zmq-attack-certs-").FullName;
        for (int i = 0; i < trusted.Length; i++) new Certificate(trusted[i]).SavePublic(Path.Combine(_certDir, $"client{i}.key"));
        _auth = new Authenticator(S.Context);
        _auth.ConfigureCurve(_certDir);
        return _auth;
    }

    /// <summary>A raw CURVE client connected to the server (it believes the server key is <paramref name="serverKey"/>, by default the right one).</summary>
    private RawCurveClient Raw(byte[]? serverKey = null, CurveKeyPair? keys = null)
    {
        var raw = RawCurveClient.Connect(_endpoint, serverKey ?? _serverKeys.PublicKey, keys);
        _raws.Add(raw);
        _rawPeers.Add(LocalEndpoint(raw.Peer.Socket));
        return raw;
    }

    private RawPlainClient RawPlain()
    {
        var raw = RawPlainClient.Connect(_endpoint);
        _raws.Add(raw);
        _rawPeers.Add(LocalEndpoint(raw.Peer.Socket));
        return raw;
    }

    private RawPeer RawPlainPeer()
    {
        var raw = RawPeer.Connect(_endpoint);
        _raws.Add(raw);
        _rawPeers.Add(LocalEndpoint(raw.Socket));
        return raw;
    }

    // ================================================================ the four checks

    /// <summary>
    /// (b) + (c): the server drops <paramref name="raw"/> within <see cref="DropWithin"/> without sending
    /// anything more, and its monitor shows, for this peer: ACCEPTED, [HANDSHAKE_SUCCEEDED,] the failure
    /// <paramref name="type"/> with <paramref name="value"/>, DISCONNECTED (same reason). Returns the failure.
    /// </summary>
    private MonitorEvent AssertDropped(RawPeer raw, MonitorEventType type, long value, bool afterHandshake = false)
    {
        string peer = LocalEndpoint(raw.Socket);
        var rest = raw.ExpectClosed(DropWithin);
        Assert.True(rest.Length == 0, $"the server sent {rest.Length} more bytes before dropping the connection: {Convert.ToHexString(rest)}");
        raw.Dispose();

        var events = EventsOf(peer);
        MonitorEventType[] expected = afterHandshake
            ? [MonitorEventType.Accepted, MonitorEventType.HandshakeSucceeded, type, MonitorEventType.Disconnected]
            : [MonitorEventType.Accepted, type, MonitorEventType.Disconnected];
        Assert.True(expected.SequenceEqual(events.Select(e => e.Type)),
            $"expected {string.Join(", ", expected.Select(MonitorEvent.NameOf))} for {peer}; saw:\n  {string.Join("\n  ", events)}");
        var failed = events[^2];
        Assert.True(value == failed.Value, $"expected value {Describe(type, value)}, got {failed}");
        Assert.False(string.IsNullOrEmpty(failed.Reason));
        Assert.Equal(failed.Reason, events[^1].Reason);
        return failed;
    }

    private static string Describe(MonitorEventType type, long value) =>
        type == MonitorEventType.HandshakeFailedProtocol ? $"{(ZmqProtocolError)value} (0x{value:X8})" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static long P(ZmqProtocolError code) => (long)code;

    /// <summary>(a): nothing (more) reaches the application.</summary>
    private void NothingDelivered()
    {
        if (Pull.TryReceive(TimeSpan.FromMilliseconds(50), out var m))
        {
            using (m) Assert.Fail($"the application received a message from the attacker: \"{Encoding.UTF8.GetString(m.ToArray(0))}\"");
        }
    }

    /// <summary>(d): a good client of ours (CURVE or PLAIN, as the server) gets a message through, and the monitor shows its handshake.</summary>
    private void GoodClientGetsThrough(CurveKeyPair? keys = null)
    {
        var push = S.Push();
        if (_plain)
        {
            push.PlainUsername = "admin";
            push.PlainPassword = "secret";
        }
        else
        {
            push.MakeCurveClient(_serverKeys.PublicKey, keys);
        }
        push.Connect(_endpoint);
        push.SendString("good client");
        using (var m = Pull.Receive()) Assert.Equal("good client", m.GetString(0));
        Take(e => e.Type == MonitorEventType.HandshakeSucceeded && !_rawPeers.Contains(e.PeerAddress ?? ""), "HANDSHAKE_SUCCEEDED of the good client");
    }

    private void Received(params string[] expected)
    {
        foreach (var s in expected)
        {
            Assert.True(Pull.TryReceive(TimeSpan.FromSeconds(2), out var m), $"\"{s}\" did not arrive");
            using (m) Assert.Equal(s, m.GetString(0));
        }
    }

    // ---- monitor reading: events of other peers are kept for later ----

    private MonitorEvent Take(Func<MonitorEvent, bool> match, string what)
    {
        int i = _backlog.FindIndex(e => match(e));
        if (i >= 0)
        {
            var found = _backlog[i];
            _backlog.RemoveAt(i);
            return found;
        }
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var left = EventWithin - sw.Elapsed;
            if (left <= TimeSpan.Zero || !_mon!.TryRead(left, out var e))
            {
                Assert.Fail($"no monitor event {what} within {EventWithin.TotalSeconds:0} s; other events:\n  {string.Join("\n  ", _backlog)}");
                throw new UnreachableException();
            }
            if (match(e)) return e;
            _backlog.Add(e);
        }
    }

    /// <summary>The events of one peer up to and including its DISCONNECTED.</summary>
    private List<MonitorEvent> EventsOf(string peer)
    {
        var list = new List<MonitorEvent>();
        do list.Add(Take(e => e.PeerAddress == peer, $"for {peer} (so far: {string.Join(", ", list.Select(x => x.Name))})"));
        while (list[^1].Type != MonitorEventType.Disconnected);
        return list;
    }

    // ================================================================ CURVE server: a good raw client first

    [Fact]
    public void Raw_good_client_is_accepted_and_its_messages_arrive()
    {
        StartCurveServer();
        var raw = Raw();
        var props = raw.Handshake("PUSH");
        Assert.Equal("PULL", Encoding.ASCII.GetString(props["Socket-Type"]));
        Assert.Equal(1UL, raw.LastServerNonce);
        Assert.Equal(3UL, raw.NextNonce); // HELLO 1, INITIATE 2

        raw.SendMessage("one", more: true);
        raw.SendMessage("two");
        raw.SendMessage("gap", nonce: 100); // gaps are allowed, only "not greater" is refused
        using (var m = Pull.Receive())
        {
            Assert.Equal(2, m.Count);
            Assert.Equal("one", m.GetString(0));
            Assert.Equal("two", m.GetString(1));
            Assert.Equal("PUSH", m.GetProperty("Socket-Type"));
            Assert.Equal("127.0.0.1", m.GetProperty("Peer-Address"));
        }
        Received("gap");

        string peer = LocalEndpoint(raw.Peer.Socket);
        Assert.True(raw.Peer.StaysOpenAndQuiet(TimeSpan.FromMilliseconds(50)));
        raw.Dispose();
        var events = EventsOf(peer);
        Assert.Equal([MonitorEventType.Accepted, MonitorEventType.HandshakeSucceeded, MonitorEventType.Disconnected], events.Select(e => e.Type));
        GoodClientGetsThrough();
    }

    [Fact]
    public void Raw_good_client_opens_the_servers_messages_and_the_server_reads_its_own()
    {
        var server = S.Pair();
        server.MakeCurveServer(_serverKeys);
        server.Bind("tcp://127.0.0.1:*");
        _endpoint = server.LastEndpoint!;
        using var raw = Raw();
        Assert.Equal("PAIR", Encoding.ASCII.GetString(raw.Handshake("PAIR")["Socket-Type"]));
        server.SendFrames("a", "b");
        var first = raw.ReadMessage();
        var second = raw.ReadMessage();
        Assert.True(first.More);
        Assert.False(first.Command);
        Assert.Equal("a", Encoding.UTF8.GetString(first.Payload));
        Assert.False(second.More);
        Assert.Equal("b", Encoding.UTF8.GetString(second.Payload));
        Assert.Equal(3UL, raw.LastServerNonce); // READY 1, then 2 and 3
        raw.SendMessage("back");
        Assert.Equal("back", server.ReceiveString());
    }

    [Fact]
    public void Raw_client_that_pipelines_a_MESSAGE_behind_INITIATE_is_served()
    {
        StartCurveServer();
        var raw = Raw();
        raw.UpToWelcome();
        var initiate = raw.InitiateFrame();
        raw.Peer.Send(RawPeer.Concat(initiate, raw.MessageFrame("pipelined"u8))); // one write: both in the server's first read
        raw.ReadReady();
        Received("pipelined");
    }

    // ================================================================ wrong server key

    [Fact]
    public void Wrong_server_key_in_HELLO_is_refused_with_CRYPTOGRAPHIC()
    {
        StartCurveServer();
        var raw = Raw(serverKey: CurveKeyPair.Generate().PublicKey);
        raw.Greet();
        raw.SendHello();
        var failed = AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpCryptographic));
        Assert.Contains("HELLO", failed.Reason);
        NothingDelivered();
        GoodClientGetsThrough();
    }

    [Fact]
    public void HELLO_with_a_low_order_transient_key_is_refused_with_CRYPTOGRAPHIC()
    {
        StartCurveServer();
        var raw = Raw();
        raw.Greet();
        var hello = raw.HelloFrame();
        Array.Clear(hello, 2 + 6 + 74, 32); // C' = 0: a low-order point libsodium refuses to use
        raw.Peer.Send(hello);
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpCryptographic));
        NothingDelivered();
        GoodClientGetsThrough();
    }

    // ================================================================ ZAP

    [Fact]
    public void Unknown_client_key_is_denied_by_ZAP_with_ERROR_400_and_HANDSHAKE_FAILED_AUTH()
    {
        var trusted = CurveKeyPair.Generate();
        StartCurveServer();
        var auth = TrustOnly(trusted);
        var raw = Raw();
        raw.UpToWelcome();
        raw.SendInitiate();
        raw.Peer.Send(raw.MessageFrame("smuggled"u8)); // sent before the answer: must never be delivered
        Assert.Equal("400", raw.ReadError());
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedAuth, 400);
        NothingDelivered();
        Assert.Equal(1, auth.Denied);
        Assert.Equal(0, auth.Allowed);

        GoodClientGetsThrough(trusted);
        Assert.Equal(1, auth.Allowed);
    }

    [Fact]
    public void Claiming_a_trusted_client_key_without_its_secret_key_is_refused_before_ZAP()
    {
        var trusted = CurveKeyPair.Generate();
        StartCurveServer();
        var auth = TrustOnly(trusted);
        var raw = Raw();
        raw.UpToWelcome();
        raw.SendInitiate(raw.InitiateFrame(claimedKey: trusted.PublicKey)); // the vouch is made with the attacker's own secret key
        raw.Peer.Send(raw.MessageFrame("smuggled"u8));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpCryptographic));
        NothingDelivered();
        Assert.Equal(0, auth.Denied + auth.Allowed); // ZAP was never asked

        GoodClientGetsThrough(trusted);
    }

    // ================================================================ tampered MESSAGE

    [Theory]
    [InlineData("a bit of the MAC", 16 * 8 + 5, "CurveZMQMESSAGEC")]
    [InlineData("a bit of the boxed flags", 32 * 8, "CurveZMQMESSAGEC")]
    [InlineData("the last bit of the boxed payload", 40 * 8 + 7, "CurveZMQMESSAGEC")]
    [InlineData("a bit of the nonce (still increasing)", 15 * 8 + 1, "CurveZMQMESSAGEC")]
    [InlineData("nothing, but boxed as the server's (a reflected message)", -1, "CurveZMQMESSAGES")]
    public void Tampered_MESSAGE_is_refused_with_CRYPTOGRAPHIC(string tampered, int flipBit, string prefix)
    {
        _ = tampered;
        StartCurveServer();
        var raw = Raw();
        raw.Handshake();
        raw.SendMessage("before");
        Received("before");
        // 8 bytes of payload: the body is 07 MESSAGE(8) + nonce(8) + MAC(16) + flags(1) + 8 = 41 bytes.
        var bad = raw.MessageFrame("tampered"u8, nonce: 4, prefix: prefix, flipBit: flipBit);
        raw.Peer.Send(bad, raw.MessageFrame("after"u8));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpCryptographic), afterHandshake: true);
        NothingDelivered();
        GoodClientGetsThrough();
    }

    [Fact]
    public void Tampered_last_part_of_a_multipart_message_drops_the_whole_message()
    {
        StartCurveServer();
        var raw = Raw();
        raw.Handshake();
        raw.Peer.Send(raw.MessageFrame("part 1"u8, more: true), raw.MessageFrame("part 2"u8, flipBit: 20 * 8));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpCryptographic), afterHandshake: true);
        NothingDelivered();
        GoodClientGetsThrough();
    }

    [Theory]
    [InlineData("tampered", (int)ZmqProtocolError.ZmtpCryptographic)]
    [InlineData("replayed nonce", (int)ZmqProtocolError.ZmtpInvalidSequence)]
    public void Bad_MESSAGE_larger_than_the_read_buffer_is_refused(string how, int code)
    {
        StartCurveServer();
        var raw = Raw();
        raw.Handshake();
        var big = new byte[300_000];
        Random.Shared.NextBytes(big);
        raw.Peer.Send(raw.MessageFrame(big));
        using (var m = Pull.Receive()) Assert.Equal(big, m.ToArray(0));
        var bad = how == "tampered" ? raw.MessageFrame(big, flipBit: 200_000 * 8) : raw.MessageFrame(big, nonce: 3);
        raw.Peer.Send(bad);
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, code, afterHandshake: true);
        NothingDelivered();
        GoodClientGetsThrough();
    }

    [Fact]
    public void Plaintext_frame_injected_after_the_CURVE_handshake_is_refused_with_UNEXPECTED_COMMAND()
    {
        StartCurveServer();
        var raw = Raw();
        raw.Handshake();
        raw.Peer.Send(RawPeer.Frame("cleartext"));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpUnexpectedCommand), afterHandshake: true);
        NothingDelivered();
        GoodClientGetsThrough();
    }

    // ================================================================ replays

    [Fact]
    public void Replayed_HELLO_and_INITIATE_of_a_recorded_session_are_refused()
    {
        StartCurveServer();
        // The victim's session, recorded byte for byte.
        var victim = Raw();
        victim.Handshake();
        var victimMessage = victim.MessageFrame("victim"u8);
        victim.Peer.Send(victimMessage);
        Received("victim");

        // The attacker replays it on a new connection: the server answers HELLO with a WELCOME for the
        // victim's C' (useless without c'), and the recorded INITIATE's cookie is not this connection's.
        var attacker = Raw();
        attacker.Greet();
        attacker.Peer.Send(victim.SentHello!);
        var welcome = attacker.ReadOpaqueWelcome();
        Assert.False(attacker.CanOpenWelcome(welcome));
        attacker.Peer.Send(victim.SentInitiate!, victimMessage);
        AssertDropped(attacker.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpCryptographic));
        NothingDelivered();
        GoodClientGetsThrough();
    }

    [Fact]
    public void Replayed_INITIATE_after_a_fresh_HELLO_is_refused()
    {
        StartCurveServer();
        var victim = Raw();
        victim.Handshake();

        var attacker = Raw();
        attacker.UpToWelcome();
        attacker.Peer.Send(victim.SentInitiate!);
        AssertDropped(attacker.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpCryptographic));
        NothingDelivered();
        GoodClientGetsThrough();
    }

    [Fact]
    public void Replayed_HELLO_alone_gets_a_WELCOME_nobody_can_open_and_the_handshake_times_out()
    {
        StartCurveServer(pull => pull.HandshakeInterval = TimeSpan.FromMilliseconds(300));
        var victim = Raw();
        victim.UpToWelcome();

        var attacker = Raw();
        attacker.Greet();
        attacker.Peer.Send(victim.SentHello!);
        Assert.False(attacker.CanOpenWelcome(attacker.ReadOpaqueWelcome()));
        AssertDropped(attacker.Peer, MonitorEventType.HandshakeFailedNoDetail, Zmq.Diagnostics.Errno.ETimedOut);
        NothingDelivered();
        GoodClientGetsThrough();
    }

    [Fact]
    public void HELLO_sent_again_instead_of_INITIATE_is_refused_with_UNEXPECTED_COMMAND()
    {
        StartCurveServer();
        var raw = Raw();
        raw.UpToWelcome();
        raw.Peer.Send(raw.SentHello!);
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpUnexpectedCommand));
        NothingDelivered();
        GoodClientGetsThrough();
    }

    [Fact]
    public void INITIATE_replayed_after_READY_on_the_same_connection_is_refused_with_UNEXPECTED_COMMAND()
    {
        StartCurveServer();
        var raw = Raw();
        raw.Handshake();
        raw.Peer.Send(raw.SentInitiate!, raw.MessageFrame("after"u8));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpUnexpectedCommand), afterHandshake: true);
        NothingDelivered();
        GoodClientGetsThrough();
    }

    // ================================================================ cookie

    [Fact]
    public void Cookie_from_another_connection_is_refused_and_that_connection_still_completes()
    {
        StartCurveServer();
        var a = Raw();
        a.UpToWelcome();

        var b = Raw();
        b.UpToWelcome();
        Assert.False(a.Cookie!.AsSpan().SequenceEqual(b.Cookie));
        b.SendInitiate(b.InitiateFrame(cookie: a.Cookie)); // everything else is b's own and correct
        b.Peer.Send(b.MessageFrame("from b"u8));
        AssertDropped(b.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpCryptographic));
        NothingDelivered();

        // The cookie's own connection is unaffected.
        a.SendInitiate();
        a.ReadReady();
        a.SendMessage("from a");
        Received("from a");
        GoodClientGetsThrough();
    }

    // ================================================================ vouch

    [Theory]
    [InlineData("names another server key (libzmq accepts this; we must not)", (int)ZmqProtocolError.ZmtpKeyExchange)]
    [InlineData("names another transient key C'", (int)ZmqProtocolError.ZmtpKeyExchange)]
    [InlineData("is boxed to the server's long-term key instead of S'", (int)ZmqProtocolError.ZmtpCryptographic)]
    [InlineData("is boxed to another server's transient key", (int)ZmqProtocolError.ZmtpCryptographic)]
    [InlineData("is made with another secret key than the claimed C", (int)ZmqProtocolError.ZmtpCryptographic)]
    [InlineData("claims a low-order client key C = 0", (int)ZmqProtocolError.ZmtpCryptographic)]
    public void Bad_vouch_is_refused(string vouch, int code)
    {
        StartCurveServer();
        var raw = Raw();
        raw.UpToWelcome();
        var other = CurveKeyPair.Generate();
        switch (vouch)
        {
            case var s when s.StartsWith("names another server key", StringComparison.Ordinal):
                raw.SendInitiate(raw.InitiateFrame(vouchServerKey: other.PublicKey));
                break;
            case var s when s.StartsWith("names another transient", StringComparison.Ordinal):
                raw.SendInitiate(raw.InitiateFrame(vouchTransient: other.PublicKey));
                break;
            case var s when s.StartsWith("is boxed to the server's long-term", StringComparison.Ordinal):
                raw.SendInitiate(raw.InitiateFrame(vouchBoxTo: _serverKeys.PublicKey));
                break;
            case var s when s.StartsWith("is boxed to another server's", StringComparison.Ordinal):
                raw.SendInitiate(raw.InitiateFrame(vouchBoxTo: other.PublicKey));
                break;
            case var s when s.StartsWith("claims a low-order", StringComparison.Ordinal):
                raw.SendInitiate(raw.InitiateFrame(claimedKey: new byte[32]));
                break;
            default:
                raw.SendInitiate(raw.InitiateFrame(vouchSigner: other.SecretKey));
                break;
        }
        raw.Peer.Send(raw.MessageFrame("smuggled"u8));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, code);
        NothingDelivered();
        GoodClientGetsThrough();
    }

    // ================================================================ nonces

    [Theory]
    [InlineData(1UL, 1UL)]
    [InlineData(5UL, 4UL)]
    [InlineData(7UL, 0UL)]
    public void INITIATE_nonce_that_does_not_follow_HELLOs_is_refused_with_INVALID_SEQUENCE(ulong helloNonce, ulong initiateNonce)
    {
        StartCurveServer();
        var raw = Raw();
        raw.Greet();
        raw.SendHello(raw.HelloFrame(nonce: helloNonce));
        raw.ReadWelcome();
        raw.SendInitiate(raw.InitiateFrame(nonce: initiateNonce));
        raw.Peer.Send(raw.MessageFrame("smuggled"u8, nonce: helloNonce + 10));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpInvalidSequence));
        NothingDelivered();
        GoodClientGetsThrough();
    }

    [Theory]
    [InlineData("equal to INITIATE's")]
    [InlineData("zero")]
    [InlineData("repeated")]
    [InlineData("decreasing")]
    [InlineData("exact replay of a MESSAGE")]
    public void MESSAGE_nonce_that_does_not_increase_is_refused_with_INVALID_SEQUENCE(string how)
    {
        StartCurveServer();
        var raw = Raw();
        raw.Handshake(); // HELLO 1, INITIATE 2
        string[] delivered;
        switch (how)
        {
            case "equal to INITIATE's":
                raw.Peer.Send(raw.MessageFrame("x"u8, nonce: 2));
                delivered = [];
                break;
            case "zero":
                raw.Peer.Send(raw.MessageFrame("x"u8, nonce: 0));
                delivered = [];
                break;
            case "repeated":
                raw.Peer.Send(raw.MessageFrame("a"u8, nonce: 3), raw.MessageFrame("x"u8, nonce: 3));
                delivered = ["a"];
                break;
            case "decreasing":
                raw.Peer.Send(raw.MessageFrame("a"u8, nonce: 10), raw.MessageFrame("x"u8, nonce: 9));
                delivered = ["a"];
                break;
            default:
                var frame = raw.MessageFrame("a"u8);
                raw.Peer.Send(frame, frame);
                delivered = ["a"];
                break;
        }
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpInvalidSequence), afterHandshake: true);
        Received(delivered);
        NothingDelivered();
        GoodClientGetsThrough();
    }

    // ================================================================ truncated commands

    [Theory]
    [InlineData("one byte short (the data is 194 bytes, 200 with the name)", 1, 0, 72, 193)]
    [InlineData("half", 1, 0, 72, 100)]
    [InlineData("empty", 1, 0, 72, 0)]
    [InlineData("70 zero bytes as the RFC prose says (198 bytes)", 1, 0, 70, -1)]
    [InlineData("version 2.0", 2, 0, 72, -1)]
    public void Malformed_or_truncated_HELLO_is_refused_with_MALFORMED_COMMAND_HELLO(string how, byte major, byte minor, int zeros, int truncateTo)
    {
        _ = how;
        StartCurveServer();
        var raw = Raw();
        raw.Greet();
        raw.SendHello(raw.HelloFrame(zeros: zeros, major: major, minor: minor, truncateTo: truncateTo));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpMalformedCommandHello));
        NothingDelivered();
        GoodClientGetsThrough();
    }

    [Theory]
    [InlineData(247, (int)ZmqProtocolError.ZmtpMalformedCommandInitiate)] // one byte under cookie + nonce + box[C + vouch]
    [InlineData(100, (int)ZmqProtocolError.ZmtpMalformedCommandInitiate)]
    [InlineData(0, (int)ZmqProtocolError.ZmtpMalformedCommandInitiate)]
    [InlineData(-2, (int)ZmqProtocolError.ZmtpCryptographic)] // the last byte cut: long enough, but the box no longer opens
    public void Truncated_INITIATE_is_refused(int truncateTo, int code)
    {
        StartCurveServer();
        var raw = Raw();
        raw.UpToWelcome();
        int full = RawCurveClient.CookieSize + 8 + 16 + 128 + RawPeer.Properties(("Socket-Type", "PUSH"u8.ToArray())).Length;
        raw.SendInitiate(raw.InitiateFrame(truncateTo: truncateTo == -2 ? full - 1 : truncateTo));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, code);
        NothingDelivered();
        GoodClientGetsThrough();
    }

    [Theory]
    [InlineData(32, (int)ZmqProtocolError.ZmtpMalformedCommandMessage)] // the MAC but not even the flags byte
    [InlineData(20, (int)ZmqProtocolError.ZmtpMalformedCommandMessage)]
    [InlineData(8, (int)ZmqProtocolError.ZmtpMalformedCommandMessage)]   // 07 MESSAGE alone
    [InlineData(5, (int)ZmqProtocolError.ZmtpUnexpectedCommand)]         // not even the whole name
    [InlineData(-2, (int)ZmqProtocolError.ZmtpCryptographic)]            // the last byte cut
    public void Truncated_MESSAGE_is_refused(int truncateTo, int code)
    {
        StartCurveServer();
        var raw = Raw();
        raw.Handshake();
        var payload = "truncated"u8;
        raw.Peer.Send(raw.MessageFrame(payload, truncateTo: truncateTo == -2 ? 32 + 1 + payload.Length - 1 : truncateTo));
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, code, afterHandshake: true);
        NothingDelivered();
        GoodClientGetsThrough();
    }

    // ================================================================ MESSAGE before READY

    [Theory]
    [InlineData("instead of HELLO")]
    [InlineData("instead of INITIATE")]
    [InlineData("as a command frame instead of INITIATE")]
    public void MESSAGE_before_READY_is_refused_with_UNEXPECTED_COMMAND(string when)
    {
        StartCurveServer();
        var raw = Raw();
        raw.Greet();
        if (when == "instead of HELLO")
        {
            // No keys are agreed yet: a MESSAGE-shaped data frame with random bytes for the nonce and box.
            var body = new byte[8 + 8 + 16 + 1 + 5];
            "\x07MESSAGE"u8.CopyTo(body);
            Random.Shared.NextBytes(body.AsSpan(8));
            raw.Peer.Send(RawPeer.Frame(body));
        }
        else
        {
            raw.SendHello();
            raw.ReadWelcome();
            var frame = raw.MessageFrame("early"u8); // a proper box under the transient keys
            if (when == "instead of INITIATE")
            {
                raw.Peer.Send(frame);
            }
            else
            {
                var body = frame[2..];
                raw.Peer.Send(RawPeer.Frame(body, command: true));
            }
        }
        AssertDropped(raw.Peer, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpUnexpectedCommand));
        NothingDelivered();
        GoodClientGetsThrough();
    }

    // ================================================================ downgrade

    [Theory]
    [InlineData("CURVE", "NULL")]
    [InlineData("CURVE", "PLAIN")]
    [InlineData("PLAIN", "NULL")]
    public void Downgrade_to_a_weaker_mechanism_is_refused_with_MECHANISM_MISMATCH(string server, string client)
    {
        if (server == "PLAIN") StartPlainServer();
        else StartCurveServer();
        var raw = RawPlainPeer();
        raw.Send(RawPeer.Greeting(mechanism: client));
        var theirs = raw.ReadExactly(64);
        Assert.Equal(server, RawCurveClient.MechanismOf(theirs));
        // What a NULL (or PLAIN) peer sends next, with a message in clear text; the server may have hung up already.
        var next = client == "NULL"
            ? RawPeer.Concat(RawPeer.Ready("PUSH"), RawPeer.Frame("downgraded"))
            : RawPeer.Command("HELLO", RawPlainClient.HelloData("admin", "secret"));
        try
        {
            raw.Send(next);
        }
        catch (System.Net.Sockets.SocketException)
        {
        }
        AssertDropped(raw, MonitorEventType.HandshakeFailedProtocol, P(ZmqProtocolError.ZmtpMechanismMismatch));
        NothingDelivered();
        GoodClientGetsThrough();
    }
}
