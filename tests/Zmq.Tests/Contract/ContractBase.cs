using System.Diagnostics;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Contract;

/// <summary>
/// What a transport supplies to the scenario contracts: where to bind, and a concrete endpoint that
/// can be bound again later (reconnect, connect-before-bind). Each contract is an abstract class of
/// [Fact]s; a transport derives it once (TcpPatternTests : PatternContract, and later ipc/inproc).
/// </summary>
public abstract class ContractBase : IDisposable
{
    protected ContractBase(bool portablePoller = false) => S = new SocketScope(portablePoller);

    protected SocketScope S { get; }

    /// <summary>
    /// An endpoint to bind that picks a free address: tcp://127.0.0.1:*, ipc://*. inproc has no
    /// wildcard, so its answer is a fresh name on every read: read it once per Bind (and keep it
    /// when the same string is needed again, e.g. for Unbind).
    /// </summary>
    protected abstract string BindEndpoint { get; }

    /// <summary>A concrete endpoint nobody is bound to yet, that may be bound (again) by the test.</summary>
    protected abstract string NewFixedEndpoint();

    /// <summary>
    /// Fails unless nothing accepts connections at <paramref name="endpoint"/> (e.g. after Unbind):
    /// tcp and ipc refuse a plain connect; an inproc connect stays pending (nothing bound to join).
    /// </summary>
    protected abstract void AssertNotListening(string endpoint);

    /// <summary>
    /// True when a peer that the bound socket refuses (a second PAIR, a duplicate ROUTER routing id)
    /// is refused synchronously by Connect, with ZmqException NotSupported: inproc joins the two
    /// sockets inside Connect. Over tcp and ipc Connect returns and the refusal happens at the
    /// handshake (libzmq returns success on every transport, inproc included, and drops the pipe).
    /// </summary>
    protected virtual bool RefusesPeersAtConnect => false;

    /// <summary>
    /// Connects <paramref name="socket"/> to a bound socket that will refuse it. Returns false when
    /// the connect returned (the refusal comes later, at the handshake); true when the transport
    /// refused it at once (<see cref="RefusesPeersAtConnect"/>): then the socket has no such peer.
    /// </summary>
    protected bool ConnectRefusedPeer(Socket socket, string endpoint)
    {
        if (!RefusesPeersAtConnect)
        {
            socket.Connect(endpoint);
            return false;
        }
        var ex = Assert.Throws<ZmqException>(() => socket.Connect(endpoint));
        Assert.Equal(ZmqError.NotSupported, ex.Error);
        Assert.Equal(endpoint, ex.Endpoint);
        return true;
    }

    /// <summary>Binds to <see cref="BindEndpoint"/> and returns the endpoint peers connect to.</summary>
    protected string Bind(Socket socket)
    {
        socket.Bind(BindEndpoint);
        return socket.LastEndpoint ?? throw new InvalidOperationException("no LastEndpoint after bind");
    }

    /// <summary>
    /// Publishes <c>topic + "-settle"</c> until <paramref name="sub"/> receives one: afterwards the
    /// subscription has reached the publisher. Settle messages stay in the stream; skip them with
    /// <see cref="ReceiveUntil"/>.
    /// </summary>
    protected static void Settle(Socket pub, SubSocket sub, string topic)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            pub.SendString(topic + "-settle");
            if (sub.TryReceive(TimeSpan.FromMilliseconds(20), out var m))
            {
                m.Dispose();
                return;
            }
            if (sw.Elapsed > TimeSpan.FromSeconds(5)) Assert.Fail($"subscription '{topic}' did not settle within 5 s");
        }
    }

    /// <summary>Receives single-frame strings until <paramref name="last"/>, skipping settle messages; returns them all (last included).</summary>
    protected static List<string> ReceiveUntil(Socket s, string last)
    {
        var got = new List<string>();
        while (true)
        {
            var text = s.ReceiveString();
            if (text.EndsWith("-settle", StringComparison.Ordinal)) continue;
            got.Add(text);
            if (text == last) return got;
            if (got.Count > 100_000) Assert.Fail("runaway receive");
        }
    }

    /// <summary>Fills <paramref name="size"/> bytes with a pattern derived from <paramref name="seed"/>.</summary>
    protected static byte[] Pattern(int size, int seed)
    {
        var b = new byte[size];
        new Random(seed).NextBytes(b);
        return b;
    }

    public virtual void Dispose()
    {
        S.Dispose();
        GC.SuppressFinalize(this);
    }
}
