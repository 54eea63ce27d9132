using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;
using static Zmq.Interop.Tests.Security.SecurityAssert;

namespace Zmq.Interop.Tests.Security;

/// <summary>
/// Our <see cref="Authenticator"/>'s address rules (zauth's ALLOW/DENY) against libzmq clients over
/// tcp, for NULL (with a ZAP_DOMAIN, so that the server asks the handler, as libzmq does) and CURVE
/// (allow any key): a denied address is refused with ERROR 400, which libzmq reports as
/// HANDSHAKE_FAILED_AUTH 400; an allowed address passes.
/// </summary>
public sealed class AddressRuleInteropTests
{
    public static TheoryData<SecurityMechanism, bool> Cases => new()
    {
        { SecurityMechanism.Null, true },
        { SecurityMechanism.Null, false },
        { SecurityMechanism.Curve, true },
        { SecurityMechanism.Curve, false },
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void LoopbackAllowedOrDenied(SecurityMechanism mechanism, bool deny)
    {
        LibZmqRequired.Check();
        using var rig = new SecurityRig();
        var auth = rig.Authenticator();
        if (deny)
            auth.Deny("127.0.0.1");
        else
            auth.Allow("127.0.0.1");
        auth.ConfigureCurveAllowAny();

        var server = rig.Ours(SocketType.Pull);
        server.Socket.ZapDomain = "interop";
        var serverKeys = CurveKeyPair.Generate();
        if (mechanism == SecurityMechanism.Curve)
            CurveKeys.MakeServer(server, serverKeys);
        var monitor = rig.Monitor(server);
        var endpoint = rig.Bind(server, Transport.Tcp);

        var client = rig.Theirs(SocketType.Push);
        if (mechanism == SecurityMechanism.Curve)
            CurveKeys.MakeClient(client, serverKeys.PublicKey, CurveKeyPair.Generate());
        using var lzMonitor = SecurityRig.Monitor(client);
        client.Connect(endpoint);

        if (deny)
        {
            SendIfPossible(client, B("from a denied address"));
            var theirs = new List<LzMonitorEvent>();
            var refused = AwaitLz(lzMonitor, LzEvent.HandshakeFailedAuth, theirs);
            Assert.Equal(400, refused.Value);
            Assert.DoesNotContain(theirs, e => e.Event == LzEvent.HandshakeSucceeded);
            var ours = Await(monitor, MonitorEventType.HandshakeFailedAuth);
            Assert.Equal(400, ours.Value);
            NothingArrives(server, $"{mechanism} client from a denied address", other: client);
            Assert.Equal(0, auth.Allowed);
        }
        else
        {
            client.Send(B("from an allowed address"));
            var got = server.TryReceiveWithProperties(Side.WaitMs, "Peer-Address", "User-Id");
            Assert.True(got is not null, $"the {mechanism} client from an allowed address was not admitted");
            Equal([B("from an allowed address")], got.Value.Frames, $"{mechanism} client from an allowed address");
            Assert.Equal("127.0.0.1", got.Value.Properties["Peer-Address"]);
            Assert.Equal(1, auth.Allowed);
        }
    }
}
