using System.Text;
using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;
using static Zmq.Interop.Tests.Security.SecurityAssert;

namespace Zmq.Interop.Tests.Security;

/// <summary>
/// CURVE with ZAP against libzmq 4.3 over tcp and ipc. A libzmq server asks a ZAP handler written
/// as libzmq applications write one (a libzmq REP at inproc://zeromq.zap.01): a 400 reaches our
/// client as libzmq's ERROR "400" (HANDSHAKE_FAILED_AUTH 400 on our monitor), a 200 lets it
/// through with the User-Id and metadata the handler gave. Our server with an
/// <see cref="Authenticator"/> refuses a libzmq client whose key is not in the certificate
/// directory and admits a trusted one (User-Id = its Z85 public key); its Custom hook's metadata
/// reaches our received messages.
/// </summary>
public sealed class CurveZapInteropTests
{
    public static TheoryData<string> Transports => new() { Transport.Tcp, Transport.Ipc };

    private const string Domain = "interop";

    /// <summary>A libzmq CURVE PULL server with ZAP_DOMAIN set, bound on <paramref name="transport"/>.</summary>
    private static (LzSide Server, string Endpoint) LibzmqServer(SecurityRig rig, CurveKeyPair keys, string transport)
    {
        var server = rig.Theirs(SocketType.Pull);
        CurveKeys.MakeServer(server, keys);
        server.Socket.SetOption(LzOption.ZapDomain, Domain);
        return (server, rig.Bind(server, transport));
    }

    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void LibzmqZapHandlerDenies_OurClientSeesAuthFailure400(string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var zap = rig.LzZap(_ => LzZapReply.Denied());
        var serverKeys = CurveKeyPair.Generate();
        var (server, endpoint) = LibzmqServer(rig, serverKeys, transport);
        using var lzMonitor = SecurityRig.Monitor(server);

        var clientKeys = CurveKeys.MadeByLibzmq();
        var client = rig.Ours(SocketType.Push);
        CurveKeys.MakeClient(client, serverKeys.PublicKey, clientKeys);
        var monitor = rig.Monitor(client);
        client.Connect(endpoint);
        SendIfPossible(client, B("must not pass"));

        var ours = new List<MonitorEvent>();
        var auth = Await(monitor, MonitorEventType.HandshakeFailedAuth, ours);
        Assert.Equal(400, auth.Value);
        Assert.DoesNotContain(ours, e => e.Type == MonitorEventType.HandshakeSucceeded);
        var theirs = AwaitLz(lzMonitor, LzEvent.HandshakeFailedAuth);
        Assert.Equal(400, theirs.Value);
        NothingArrives(server, "ZAP 400");

        // What libzmq asked its handler about our client.
        Assert.True(zap.Requests.TryPeek(out var request), "the libzmq ZAP handler saw no request");
        Assert.Equal("1.0", request.Version);
        Assert.Equal("1", Encoding.ASCII.GetString(request.RequestId));
        Assert.Equal(Domain, request.Domain);
        Assert.Equal("CURVE", request.Mechanism);
        Assert.Single(request.Credentials);
        Assert.Equal(clientKeys.PublicKey, request.Credentials[0]);
        if (transport == Transport.Tcp)
            Assert.Equal("127.0.0.1", request.Address);
    }

    /// <summary>A 200 with a user id and metadata: our client gets through, and libzmq shows both on the received message (zmq_msg_gets).</summary>
    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void LibzmqZapHandlerAdmits_OurClient_UserIdAndMetadataOnLibzmqSide(string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var meta = new Dictionary<string, string> { ["Hello"] = "World", ["X-Tier"] = "gold" };
        rig.LzZap(r => LzZapReply.Ok(userId: "alice", metadata: meta));
        var serverKeys = CurveKeyPair.Generate();
        var (server, endpoint) = LibzmqServer(rig, serverKeys, transport);

        var client = rig.Ours(SocketType.Push);
        CurveKeys.MakeClient(client, serverKeys.PublicKey, CurveKeys.MadeByLibzmq());
        var monitor = rig.Monitor(client);
        client.Connect(endpoint);
        client.Send(B("through ZAP"));

        server.Socket.SetOption(LzOption.RcvTimeo, Side.WaitMs);
        var got = server.Socket.ReceiveWithMetadata("User-Id", "Hello", "X-Tier", "Socket-Type");
        Assert.NotNull(got);
        Assert.Equal(B("through ZAP"), got.Data);
        Assert.Equal("alice", got.Properties["User-Id"]);
        Assert.Equal("World", got.Properties["Hello"]);
        Assert.Equal("gold", got.Properties["X-Tier"]);
        Assert.Equal("PUSH", got.Properties["Socket-Type"]);

        var ours = new List<MonitorEvent>();
        Await(monitor, MonitorEventType.HandshakeSucceeded, ours);
        Assert.DoesNotContain(ours, e => e.Type is MonitorEventType.HandshakeFailedAuth or MonitorEventType.HandshakeFailedProtocol);
    }

    /// <summary>
    /// Our CURVE server with an <see cref="Authenticator"/> trusting one certificate (a directory of
    /// public certificates): an untrusted libzmq client is refused (HANDSHAKE_FAILED_AUTH 400 on
    /// both monitors, nothing arrives), the trusted one is admitted with User-Id = its Z85 public key
    /// and its certificate's metadata as properties.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void OurAuthenticator_CertificateDirectory_RefusesUntrustedLibzmqClient_AdmitsTrusted(string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var trusted = CurveKeyPair.Generate();
        var certDir = rig.TempDirectory();
        var cert = Certificate.FromPublicKey(trusted.PublicKeyZ85);
        cert.SetMeta("name", "trusted-client");
        cert.SavePublic(Path.Combine(certDir, "trusted.key"));
        var auth = rig.Authenticator();
        auth.ConfigureCurve(certDir);

        var serverKeys = CurveKeys.MadeByLibzmq();
        var server = rig.Ours(SocketType.Pull);
        CurveKeys.MakeServer(server, serverKeys);
        var monitor = rig.Monitor(server);
        var endpoint = rig.Bind(server, transport);

        var stranger = rig.Theirs(SocketType.Push);
        CurveKeys.MakeClient(stranger, serverKeys.PublicKey, CurveKeyPair.Generate());
        using var strangerMonitor = SecurityRig.Monitor(stranger);
        stranger.Connect(endpoint);
        SendIfPossible(stranger, B("from an untrusted key"));

        var theirs = new List<LzMonitorEvent>();
        var refused = AwaitLz(strangerMonitor, LzEvent.HandshakeFailedAuth, theirs);
        Assert.Equal(400, refused.Value);
        Assert.DoesNotContain(theirs, e => e.Event == LzEvent.HandshakeSucceeded);
        var ours = new List<MonitorEvent>();
        var ourRefusal = Await(monitor, MonitorEventType.HandshakeFailedAuth, ours);
        Assert.Equal(400, ourRefusal.Value);
        NothingArrives(server, "untrusted libzmq client", other: stranger);
        // libzmq 4.3.4 takes an ERROR as final: its client does not try that endpoint again (RECONNECT_IVL is 20 ms here).
        var after = DrainLz(strangerMonitor, 100);
        Assert.DoesNotContain(after, e => e.Event is LzEvent.ConnectRetried or LzEvent.HandshakeSucceeded);
        Assert.Equal(1, auth.Denied);
        Assert.Equal(0, auth.Allowed);

        var friend = rig.Theirs(SocketType.Push);
        CurveKeys.MakeClient(friend, serverKeys.PublicKey, trusted, z85: false);
        friend.Connect(endpoint);
        friend.Send(B("from the trusted key"));
        var got = server.TryReceiveWithProperties(Side.WaitMs, "User-Id", "name", "Socket-Type");
        Assert.True(got is not null, "the trusted libzmq client's message did not arrive");
        var (frames, props) = got.Value;
        Equal([B("from the trusted key")], frames, "trusted libzmq client -> our server");
        Assert.Equal(trusted.PublicKeyZ85, props["User-Id"]);
        Assert.Equal("trusted-client", props["name"]);
        Assert.Equal("PUSH", props["Socket-Type"]);
        Assert.True(auth.Allowed >= 1, $"Authenticator.Allowed = {auth.Allowed}");
        NothingArrives(server, "after the trusted client's message", other: stranger);
    }

    /// <summary>
    /// Our server's ZAP metadata: an <see cref="Authenticator.Custom"/> hook answers 200 with a user
    /// id and metadata; a libzmq CURVE client's message carries them as properties on our side.
    /// The hook sees libzmq's client key as the CURVE credential.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void OurAuthenticatorCustomHook_MetadataOnOurReceivedMessages(string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var seen = new System.Collections.Concurrent.ConcurrentQueue<ZapRequest>();
        var auth = rig.Authenticator();
        auth.Custom = request =>
        {
            seen.Enqueue(request);
            return new ZapReply
            {
                StatusCode = Zap.Success,
                StatusText = "OK",
                UserId = "custom-user",
                Metadata = new Dictionary<string, byte[]> { ["Hello"] = B("World") },
            };
        };

        var serverKeys = CurveKeyPair.Generate();
        var server = rig.Ours(SocketType.Pull);
        CurveKeys.MakeServer(server, serverKeys);
        server.Socket.ZapDomain = Domain;
        var endpoint = rig.Bind(server, transport);

        var clientKeys = CurveKeys.MadeByLibzmq();
        var client = rig.Theirs(SocketType.Push);
        CurveKeys.MakeClient(client, serverKeys.PublicKey, clientKeys);
        client.Connect(endpoint);
        client.Send(B("with metadata"));

        var got = server.TryReceiveWithProperties(Side.WaitMs, "Hello", "User-Id");
        Assert.True(got is not null, "the libzmq client's message did not arrive");
        Equal([B("with metadata")], got.Value.Frames, "libzmq CURVE client -> our server");
        Assert.Equal("World", got.Value.Properties["Hello"]);
        Assert.Equal("custom-user", got.Value.Properties["User-Id"]);

        Assert.True(seen.TryPeek(out var request), "the Custom hook saw no request");
        Assert.Equal("CURVE", request.Mechanism);
        Assert.Equal(Domain, request.Domain);
        Assert.Equal(clientKeys.PublicKey, request.ClientKey);
        if (transport == Transport.Tcp)
            Assert.Equal("127.0.0.1", request.Address);
    }

    /// <summary>A libzmq ZAP handler answering 300 (temporary): libzmq closes without ERROR; our client is refused and nothing arrives.</summary>
    [SkippableTheory]
    [MemberData(nameof(Transports))]
    public void LibzmqZapHandlerTemporaryFailure_OurClientRefused(string transport)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        rig.LzZap(_ => new LzZapReply("300", Text: "try later"));
        var serverKeys = CurveKeyPair.Generate();
        var (server, endpoint) = LibzmqServer(rig, serverKeys, transport);
        using var lzMonitor = SecurityRig.Monitor(server);

        var client = rig.Ours(SocketType.Push);
        CurveKeys.MakeClient(client, serverKeys.PublicKey, CurveKeyPair.Generate());
        var monitor = rig.Monitor(client);
        client.Connect(endpoint);
        SendIfPossible(client, B("must not pass"));

        var theirs = AwaitLz(lzMonitor, LzEvent.HandshakeFailedAuth);
        Assert.Equal(300, theirs.Value);
        var ours = new List<MonitorEvent>();
        Await(monitor, MonitorEventType.Disconnected, ours);
        Assert.DoesNotContain(ours, e => e.Type == MonitorEventType.HandshakeSucceeded);
        NothingArrives(server, "ZAP 300");
    }
}
