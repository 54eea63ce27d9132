using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>
/// PUB/SUB, XPUB/SUB, PUB/XSUB, XPUB/XSUB, with ours on either end, binding and connecting:
/// subscription forwarding (XPUB sees \x01topic and \x00topic), prefix filtering, a multipart and a
/// large message, a bulk run (high-water marks above the run, so nothing may be dropped), and
/// an unsubscribe that stops the topic.
/// </summary>
public sealed class PubSubTests
{
    private static readonly byte[] Topic = B("topic");
    private static readonly byte[] TopicProbe = B("topic-probe");
    private static readonly byte[] Later = B("zz");
    private static readonly byte[] LaterProbe = B("zz-probe");

    public static TheoryData<SocketType, SocketType, bool> Cases
    {
        get
        {
            var data = new TheoryData<SocketType, SocketType, bool>();
            foreach (var pub in new[] { SocketType.Pub, SocketType.XPub })
            foreach (var sub in new[] { SocketType.Sub, SocketType.XSub })
            foreach (var weBind in new[] { true, false })
            {
                data.Add(pub, sub, weBind);  // ours publishes
                data.Add(sub, pub, weBind);  // ours subscribes
            }
            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void PubSub(SocketType ours, SocketType theirs, bool weBind)
    {
        LibZmqRequired.Check();
        Run(ours, theirs, weBind, Transport.Tcp);
    }

    /// <summary>The scenario over <paramref name="transport"/> (tcp here, ipc in <see cref="IpcInteropTests"/>).</summary>
    internal static void Run(SocketType ours, SocketType theirs, bool weBind, string transport)
    {
        using var duo = new Duo(ours, theirs);
        var oursPublishes = ours is SocketType.Pub or SocketType.XPub;
        var pub = oursPublishes ? duo.Ours : duo.Theirs;
        var sub = oursPublishes ? duo.Theirs : duo.Ours;
        pub.SetHighWatermarks(4 * BulkCount);
        sub.SetHighWatermarks(4 * BulkCount);
        duo.Link(weBind, transport);
        Scenario(pub, sub);
    }

    /// <summary>
    /// The scenario on two linked sides (also run over CURVE by Security/CurveTrafficInteropTests):
    /// subscription forwarding, prefix filtering, multipart, large, bulk, unsubscribe.
    /// </summary>
    internal static void Scenario(Side pub, Side sub)
    {
        var pair = $"{pub} -> {sub}";

        sub.Subscribe(Topic);
        if (pub.Type == SocketType.XPub)
            Equal([[1, .. Topic]], pub.ReceivePumping(sub), $"subscription seen by {pub} from {sub}");
        WaitUntilSubscribed(pub, sub, TopicProbe);

        // Prefix filtering: only the matching messages arrive, in order.
        pub.Send(B("other:1"));
        var multipart = new[] { B("topic:1"), [], B("topic:end") };
        pub.Send(multipart);
        Equal(multipart, NextData(sub), $"first matching message {pair}");
        pub.Send(B("top"));
        pub.Send(B("xtopic"));
        pub.Send(B("Topic:upper"));
        pub.Send(B("topic:2"));
        Equal([B("topic:2")], NextData(sub), $"after non-matching messages {pair}");

        var large = Large(4);
        Topic.CopyTo(large, 0);
        pub.Send(large);
        Equal([large], NextData(sub), $"large {pair}");

        Bulk(pub, [], sub, [], prefix: Topic);

        // Unsubscribe: XPUB sees \x00topic; once a later subscription is active (same connection,
        // so the cancel was processed before it), the old topic no longer arrives.
        sub.Unsubscribe(Topic);
        if (pub.Type == SocketType.XPub)
            Equal([[0, .. Topic]], pub.ReceivePumping(sub), $"unsubscription seen by {pub} from {sub}");
        sub.Subscribe(Later);
        if (pub.Type == SocketType.XPub)
            Equal([[1, .. Later]], pub.ReceivePumping(sub), $"second subscription seen by {pub} from {sub}");
        WaitUntilSubscribed(pub, sub, LaterProbe);
        pub.Send(B("topic:after-unsubscribe"));
        pub.Send(B("zz:end"));
        Equal([B("zz:end")], NextData(sub), $"after unsubscribing {pair}");
    }

    /// <summary>Publishes probes until one arrives (bounded).</summary>
    private static void WaitUntilSubscribed(Side pub, Side sub, byte[] probe)
    {
        var deadline = Environment.TickCount64 + Side.WaitMs;
        while (Environment.TickCount64 < deadline)
        {
            pub.Send(probe);
            var got = sub.TryReceive(20);
            if (got is null)
                continue;
            Equal([probe], got, $"probe {pub} -> {sub}");
            return;
        }
        Assert.Fail($"{sub} never received from {pub}: the subscription did not become active within {Side.WaitMs} ms");
    }

    /// <summary>The next message that is not a leftover probe.</summary>
    private static byte[][] NextData(Side sub)
    {
        while (true)
        {
            var got = sub.Receive();
            if (got.Length == 1 && (got[0].AsSpan().SequenceEqual(TopicProbe) || got[0].AsSpan().SequenceEqual(LaterProbe)))
                continue;
            return got;
        }
    }
}
