using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>Symmetric pairs: DEALER/DEALER, ROUTER/ROUTER (explicit routing ids), PAIR/PAIR; ours binding and connecting.</summary>
public sealed class PeerTests
{
    public static TheoryData<SocketType, bool> Cases
    {
        get
        {
            var data = new TheoryData<SocketType, bool>();
            foreach (var type in new[] { SocketType.Dealer, SocketType.Router, SocketType.Pair })
            {
                data.Add(type, true);
                data.Add(type, false);
            }
            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Peers(SocketType type, bool weBind)
    {
        LibZmqRequired.Check();
        Run(type, weBind, Transport.Tcp);
    }

    /// <summary>The scenario over <paramref name="transport"/> (tcp here, ipc in <see cref="IpcInteropTests"/>).</summary>
    internal static void Run(SocketType type, bool weBind, string transport)
    {
        using var duo = new Duo(type, type);
        byte[][] oursHead = [], theirsHead = [];
        if (type == SocketType.Router)
        {
            // ROUTER to ROUTER: the connecting side must know the binder's id, so both set one;
            // the connecting side retries (mandatory routing) until the handshake has made the
            // binder's id known, and the binder learns the connector's id from that first message.
            var binderId = B("binder-router");
            var connectorId = B("connector-router");
            var (b, c) = weBind ? (duo.Ours, duo.Theirs) : (duo.Theirs, duo.Ours);
            b.SetRoutingId(binderId);
            c.SetRoutingId(connectorId);
            b.SetRouterMandatory();
            c.SetRouterMandatory();
            var (binder, connector) = duo.Link(weBind, transport);
            var deadline = Environment.TickCount64 + Side.WaitMs;
            while (!connector.TrySendRouted(binderId, B("hello")))
            {
                if (Environment.TickCount64 > deadline)
                    Assert.Fail($"{connector} never learned the routing id of {binder}");
                Thread.Sleep(10);
            }
            Equal([connectorId, B("hello")], binder.Receive(), $"first message {connector} -> {binder}");
            (oursHead, theirsHead) = weBind ? (new[] { connectorId }, new[] { binderId }) : (new[] { binderId }, new[] { connectorId });
        }
        else
        {
            duo.Link(weBind, transport);
        }
        var ours = duo.Ours;
        var theirs = duo.Theirs;

        // A ROUTER sends and receives with its peer's id as the first frame (its "head"); DEALER and PAIR have none.
        foreach (var (from, fromHead, to, toHead) in new[] { (ours, oursHead, theirs, theirsHead), (theirs, theirsHead, ours, oursHead) })
        {
            var multipart = Multipart(from.IsOurs ? "ours" : "libzmq");
            from.Send(Concat(fromHead, multipart));
            Equal(Concat(toHead, multipart), to.Receive(), $"multipart {from} -> {to}");
        }
        var large = Large(3);
        ours.Send(Concat(oursHead, large));
        Equal(Concat(theirsHead, large), theirs.Receive(), $"large {ours} -> {theirs}");
        theirs.Send(Concat(theirsHead, large));
        Equal(Concat(oursHead, large), ours.Receive(), $"large {theirs} -> {ours}");

        Bulk(ours, oursHead, theirs, theirsHead);
        Bulk(theirs, theirsHead, ours, oursHead);
    }
}
