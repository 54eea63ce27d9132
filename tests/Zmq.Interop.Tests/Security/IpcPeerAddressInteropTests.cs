using System.Collections.Concurrent;
using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests.Security;

/// <summary>
/// The address of an ipc peer, as a ZAP handler and the Peer-Address property see it. libzmq 4.3.4 on
/// Linux reads the peer's credentials (SO_PEERCRED) and gives <c>localhost:&lt;uid&gt;:&lt;gid&gt;:&lt;pid&gt;</c>
/// in the ZAP request's address frame and in Peer-Address, so a ZAP handler can authorise local
/// peers by user. Both peers here live in this process, so both libraries must give the same string.
/// </summary>
public sealed class IpcPeerAddressInteropTests
{
    [SkippableFact]
    public void IpcPeer_ZapAddressAndPeerAddress_AreLibzmqs()
    {
        LibZmqRequired.Check();
        Skip.IfNot(OperatingSystem.IsLinux(), "libzmq reads ipc peer credentials with SO_PEERCRED (Linux)");
        using var rig = new SecurityRig();
        var keys = CurveKeyPair.Generate();

        // What libzmq reports for our ipc client.
        var lzZap = rig.LzZap(_ => LzZapReply.Ok());
        var lzServer = rig.Theirs(SocketType.Pull);
        CurveKeys.MakeServer(lzServer, keys);
        var ourClient = rig.Ours(SocketType.Push);
        CurveKeys.MakeClient(ourClient, keys.PublicKey, CurveKeyPair.Generate());
        ourClient.Connect(rig.Bind(lzServer, Transport.Ipc));
        ourClient.Send(B("to libzmq"));
        lzServer.Socket.SetOption(LzOption.RcvTimeo, Side.WaitMs);
        var atLibzmq = lzServer.Socket.ReceiveWithMetadata("Peer-Address");
        Assert.NotNull(atLibzmq);
        Assert.True(lzZap.Requests.TryPeek(out var lzRequest), "libzmq's ZAP handler saw no request");
        var expected = lzRequest.Address;
        Assert.Matches($"^localhost:\\d+:\\d+:{Environment.ProcessId}$", expected);
        Assert.Equal(expected, atLibzmq.Properties["Peer-Address"]);

        // What we report for a libzmq ipc client (same process, same credentials).
        var seen = new ConcurrentQueue<ZapRequest>();
        var auth = rig.Authenticator();
        auth.Custom = request =>
        {
            seen.Enqueue(request);
            return new ZapReply { StatusCode = Zap.Success, StatusText = "OK" };
        };
        var ourServer = rig.Ours(SocketType.Pull);
        CurveKeys.MakeServer(ourServer, keys);
        var lzClient = rig.Theirs(SocketType.Push);
        CurveKeys.MakeClient(lzClient, keys.PublicKey, CurveKeyPair.Generate());
        lzClient.Connect(rig.Bind(ourServer, Transport.Ipc));
        lzClient.Send(B("to ours"));
        var atOurs = ourServer.TryReceiveWithProperties(Side.WaitMs, "Peer-Address");
        Assert.True(atOurs is not null, "the libzmq ipc client's message did not arrive");
        Assert.True(seen.TryPeek(out var ourRequest), "our ZAP handler saw no request");
        Assert.True(expected == ourRequest.Address, $"ZAP address of an ipc peer: libzmq sends \"{expected}\", we send \"{ourRequest.Address}\"");
        Assert.True(expected == atOurs.Value.Properties["Peer-Address"], $"Peer-Address of an ipc peer: libzmq gives \"{expected}\", we give \"{atOurs.Value.Properties["Peer-Address"] ?? "(null)"}\"");
    }
}
