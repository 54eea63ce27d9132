using System.Diagnostics;
using Zmq.LibZmq;
using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>
/// The main scenarios over ipc:// (Unix domain sockets) against libzmq 4.3: the same bodies as the
/// tcp tests (<see cref="PushPullTests"/>, <see cref="RequestReplyTests"/>, <see cref="PubSubTests"/>,
/// <see cref="PeerTests"/>), every type pair with ours on either end, binding a fresh path and
/// connecting: a multipart and a large message, and a 10,000-message bulk run with none lost.
/// Then ipc specifics: wildcard paths bound by either library, and the linger tail.
/// </summary>
public sealed class IpcInteropTests
{
    public static TheoryData<SocketType, SocketType, bool> PushPullCases => PushPullTests.Cases;

    public static TheoryData<SocketType, SocketType, bool> RequestReplyCases => RequestReplyTests.Cases;

    public static TheoryData<SocketType, SocketType, bool> PubSubCases => PubSubTests.Cases;

    public static TheoryData<SocketType, bool> PeerCases => PeerTests.Cases;

    [SkippableTheory]
    [MemberData(nameof(PushPullCases))]
    public void PushPull(SocketType ours, SocketType theirs, bool weBind)
    {
        LibZmqRequired.Check();
        PushPullTests.Run(ours, theirs, weBind, Transport.Ipc);
    }

    /// <summary>REQ/REP, REQ/ROUTER, DEALER/REP and DEALER/ROUTER.</summary>
    [SkippableTheory]
    [MemberData(nameof(RequestReplyCases))]
    public void RequestReply(SocketType ours, SocketType theirs, bool weBind)
    {
        LibZmqRequired.Check();
        RequestReplyTests.Run(ours, theirs, weBind, Transport.Ipc);
    }

    /// <summary>PUB/SUB, XPUB/SUB, PUB/XSUB, XPUB/XSUB.</summary>
    [SkippableTheory]
    [MemberData(nameof(PubSubCases))]
    public void PubSub(SocketType ours, SocketType theirs, bool weBind)
    {
        LibZmqRequired.Check();
        PubSubTests.Run(ours, theirs, weBind, Transport.Ipc);
    }

    /// <summary>DEALER/DEALER, ROUTER/ROUTER, PAIR/PAIR.</summary>
    [SkippableTheory]
    [MemberData(nameof(PeerCases))]
    public void Peers(SocketType type, bool weBind)
    {
        LibZmqRequired.Check();
        PeerTests.Run(type, weBind, Transport.Ipc);
    }

    /// <summary>libzmq's <c>ipc://*</c> (a fresh path in a temp directory) is reachable from ours, and ours from libzmq.</summary>
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void WildcardPath_BoundByEither_IsReachableByTheOther(bool weBind)
    {
        LibZmqRequired.Check();
        using var duo = new Duo(SocketType.Pull, SocketType.Push);
        var (ours, theirs) = ((OurSide)duo.Ours, (LzSide)duo.Theirs);
        string endpoint;
        if (weBind)
        {
            ours.Socket.Bind("ipc://*");
            endpoint = ours.Socket.LastEndpoint!;
            theirs.Connect(endpoint);
        }
        else
        {
            theirs.Socket.Bind("ipc://*");
            endpoint = theirs.Socket.LastEndpoint;
            ours.Connect(endpoint);
        }
        Assert.StartsWith("ipc://", endpoint);
        Assert.DoesNotContain("*", endpoint);
        Assert.True(File.Exists(endpoint["ipc://".Length..]), $"{endpoint}: no socket file");
        theirs.Send(B("via the wildcard path"));
        Equal([B("via the wildcard path")], ours.Receive(), $"libzmq PUSH -> ours over {endpoint}");
    }

    /// <summary>Linux abstract names (<c>ipc://@name</c>, no file): both libraries spell the address the same way (a leading NUL, no padding).</summary>
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void AbstractName_BoundByEither_IsReachableByTheOther(bool weBind)
    {
        LibZmqRequired.Check();
        Skip.IfNot(OperatingSystem.IsLinux(), "abstract socket names exist only on Linux");
        using var duo = new Duo(SocketType.Dealer, SocketType.Dealer);
        var endpoint = "ipc://@zmq-interop-" + Guid.NewGuid().ToString("N");
        var (binder, connector) = weBind ? (duo.Ours, duo.Theirs) : (duo.Theirs, duo.Ours);
        binder.Bind(endpoint);
        connector.Connect(endpoint);
        connector.Send(B("to the binder"));
        Equal([B("to the binder")], binder.Receive(), $"{connector} -> {binder} over {endpoint}");
        binder.Send(B("back"));
        Equal([B("back")], connector.Receive(), $"{binder} -> {connector} over {endpoint}");
        Assert.False(File.Exists(endpoint["ipc://".Length..]), "an abstract name must not create a file");
    }

    /// <summary>Our bind refuses a path where libzmq listens (libzmq would unlink it and take it over; we never steal a live path).</summary>
    [SkippableFact]
    public void OurBind_WhereLibzmqListens_IsAddressInUse()
    {
        LibZmqRequired.Check();
        using var duo = new Duo(SocketType.Pull, SocketType.Pull);
        var endpoint = Transport.NewIpcEndpoint();
        duo.Theirs.Bind(endpoint);
        var ex = Assert.Throws<ZmqException>(() => duo.Ours.Bind(endpoint));
        Assert.Equal(ZmqError.AddressInUse, ex.Error);

        using var push = Side.Ours(SocketType.Push);
        push.Connect(endpoint);
        push.Send(B("libzmq still owns the path"));
        Equal([B("libzmq still owns the path")], duo.Theirs.Receive(), "after the refused bind");
        push.Dispose();
        duo.Dispose();
        Transport.RemoveIpcFile(endpoint); // libzmq leaves an explicit path's file behind
    }

    public static TheoryData<bool, int?> TailCases => new()
    {
        { true, null },   // our PUSH binds; the library's default linger (30 s)
        { false, null },  // our PUSH connects; default linger
        { true, -1 },     // infinite linger
        { false, -1 },
    };

    /// <summary>
    /// The linger tail over ipc: our PUSH sends 10,000 messages and is disposed at once; libzmq's PULL
    /// (reading all along) gets every one. "Delivered" means the peer has the bytes, not our kernel
    /// send buffer (DECISIONS.md); libzmq itself loses the tail over ipc in this situation.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(TailCases))]
    public void LingerTail_OurPushDisposedRightAfterSending_LibzmqPullGetsEverything(bool weBind, int? lingerMs)
    {
        LibZmqRequired.Check();
        using var context = new LzContext();
        using var pull = Side.Lz(context, SocketType.Pull);
        var push = new PushSocket { SendTimeout = TimeSpan.FromMilliseconds(Side.WaitMs), ReconnectInterval = TimeSpan.FromMilliseconds(20) };
        if (lingerMs is { } ms) push.Linger = TimeSpan.FromMilliseconds(ms);
        else Assert.Equal(TimeSpan.FromSeconds(30), push.Linger); // left at the library's default
        Task? receiver = null;
        var endpoint = Transport.NewIpcEndpoint();
        try
        {
            if (weBind)
            {
                push.Bind(endpoint);
                pull.Connect(endpoint);
            }
            else
            {
                pull.Bind(endpoint);
                push.Connect(endpoint);
            }

            // The libzmq socket moves to the receiving thread here and is used only there until it ends.
            receiver = Task.Factory.StartNew(() =>
            {
                for (var i = 0; i < BulkCount; i++)
                {
                    var got = pull.TryReceive(Side.WaitMs)
                        ?? throw new Xunit.Sdk.XunitException($"libzmq PULL: message {i} of {BulkCount} never arrived (the tail was lost)");
                    var n = ReadSeq(got[0]);
                    if (n != i)
                        Assert.Fail($"libzmq PULL: expected message {i}, got {n}");
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            for (var i = 0; i < BulkCount; i++)
                push.Send(Seq(i));
        }
        finally
        {
            var sw = Stopwatch.StartNew();
            var disposing = Task.Run(push.Dispose); // right after the last send
            Assert.True(disposing.Wait(TimeSpan.FromSeconds(15)), "our PUSH's Dispose did not return within 15 s");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"Dispose took {sw.Elapsed}");
            // The receiver gives up within its own bounded waits; the libzmq socket is closed only after it ended.
            if (receiver is not null && !((IAsyncResult)receiver).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(Side.WaitMs / 1000 * 3)))
                Assert.Fail("the receiving thread did not finish");
        }
        receiver.GetAwaiter().GetResult();
        pull.Dispose();
        Transport.RemoveIpcFile(endpoint); // libzmq leaves an explicit path's file behind
    }
}
