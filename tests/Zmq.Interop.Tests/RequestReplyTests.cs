using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>
/// The request-reply family: REQ/REP, REQ/ROUTER, DEALER/REP, DEALER/ROUTER, with ours as the client
/// and as the server, binding and connecting. Envelopes are handled as each pattern requires
/// (a DEALER talking to a REP adds and strips the empty delimiter; a ROUTER keeps the envelope).
/// </summary>
public sealed class RequestReplyTests
{
    public static TheoryData<SocketType, SocketType, bool> Cases
    {
        get
        {
            var data = new TheoryData<SocketType, SocketType, bool>();
            foreach (var (client, server) in new[]
            {
                (SocketType.Req, SocketType.Rep),
                (SocketType.Req, SocketType.Router),
                (SocketType.Dealer, SocketType.Rep),
                (SocketType.Dealer, SocketType.Router),
            })
            {
                foreach (var weBind in new[] { true, false })
                {
                    data.Add(client, server, weBind);  // ours is the client
                    data.Add(server, client, weBind);  // ours is the server
                }
            }
            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void RequestReply(SocketType ours, SocketType theirs, bool weBind)
    {
        LibZmqRequired.Check();
        Run(ours, theirs, weBind, Transport.Tcp);
    }

    /// <summary>The scenario over <paramref name="transport"/> (tcp here, ipc in <see cref="IpcInteropTests"/>).</summary>
    internal static void Run(SocketType ours, SocketType theirs, bool weBind, string transport)
    {
        using var duo = new Duo(ours, theirs);
        var clientType = ours is SocketType.Req or SocketType.Dealer ? ours : theirs;
        var serverType = ours is SocketType.Req or SocketType.Dealer ? theirs : ours;
        var client = duo.Role(clientType);
        var server = duo.Role(serverType);
        if (serverType == SocketType.Router)
            server.SetRouterMandatory(); // a full peer blocks the bulk replies instead of dropping them
        duo.Link(weBind, transport);

        var dealerToRep = clientType == SocketType.Dealer && serverType == SocketType.Rep;
        var routerEnvelope = clientType == SocketType.Req ? 2 : 1; // [id, ""] or [id]
        var pair = $"{client} <-> {server}";

        void ClientSend(byte[][] body) => client.Send(dealerToRep ? [[], .. body] : body);

        byte[][] ClientReceive()
        {
            var got = client.Receive();
            if (!dealerToRep)
                return got;
            Assert.True(got.Length >= 2 && got[0].Length == 0, $"{pair}: DEALER expected [\"\", body...] from REP, got {Show(got)}");
            return got[1..];
        }

        (byte[][] Envelope, byte[][] Body) ServerReceive()
        {
            var got = server.Receive();
            if (serverType == SocketType.Rep)
                return ([], got);
            Assert.True(got.Length > routerEnvelope, $"{pair}: ROUTER got {Show(got)}");
            if (clientType == SocketType.Req)
                Assert.True(got[1].Length == 0, $"{pair}: ROUTER expected [id, \"\", body...] from REQ, got {Show(got)}");
            return (got[..routerEnvelope], got[routerEnvelope..]);
        }

        void ServerSend(byte[][] envelope, byte[][] body) => server.Send(Concat(envelope, body));

        // One multipart round, 3 frames with an empty one each way.
        var request = Multipart("request");
        ClientSend(request);
        var (envelope, body) = ServerReceive();
        Equal(request, body, $"multipart request {pair}");
        var reply = Multipart("reply");
        ServerSend(envelope, reply);
        Equal(reply, ClientReceive(), $"multipart reply {pair}");

        // A large request echoed back.
        var large = Large(2);
        ClientSend([large]);
        (envelope, body) = ServerReceive();
        Equal([large], body, $"large request {pair}");
        ServerSend(envelope, body);
        Equal([large], ClientReceive(), $"large reply {pair}");

        if (clientType == SocketType.Req || serverType == SocketType.Rep)
        {
            // Lock-step patterns: round trips.
            for (var i = 0; i < RoundTrips; i++)
            {
                ClientSend([Seq(i)]);
                (envelope, body) = ServerReceive();
                Assert.True(body.Length == 1 && ReadSeq(body[0]) == i, $"{pair}: round trip {i}: request {Show(body)}");
                ServerSend(envelope, [Seq(i + 1_000_000)]);
                var back = ClientReceive();
                Assert.True(back.Length == 1 && ReadSeq(back[0]) == i + 1_000_000, $"{pair}: round trip {i}: reply {Show(back)}");
            }
        }
        else
        {
            // DEALER/ROUTER: streams both ways, none lost, in order.
            Bulk(client, [], server, envelope);
            Bulk(server, envelope, client, []);
        }
    }
}
