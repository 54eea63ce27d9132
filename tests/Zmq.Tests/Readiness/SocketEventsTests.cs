using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Readiness;

/// <summary>
/// <see cref="Socket.Events"/> (ZMQ_EVENTS) by each type's rules, read without taking a message,
/// and <see cref="Socket.WatchReadiness"/> telling a waiter when to look again.
/// </summary>
public sealed class SocketEventsTests
{
    private static void WaitFor(Socket s, PollEvents wanted, string what) =>
        Wait.Until(() => (s.Events & wanted) == wanted, what);

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Pull_is_ready_to_receive_when_a_message_waits_and_reading_Events_takes_nothing(string transport)
    {
        using var scope = new SocketScope();
        var pull = scope.Pull();
        pull.Bind(Endpoints.BindAny(transport));
        var push = scope.Push();
        Assert.Equal(PollEvents.None, push.Events); // no peer yet: a send would wait
        push.Connect(pull.LastEndpoint!);
        Assert.Equal(PollEvents.None, pull.Events);
        WaitFor(push, PollEvents.Out, "PUSH has a peer to send to");

        push.SendString("one");
        WaitFor(pull, PollEvents.In, "PULL has the message");
        Assert.Equal(PollEvents.In, pull.Events); // still there: reading Events did not take it
        Assert.Equal("one", pull.ReceiveString());
        Assert.Equal(PollEvents.None, pull.Events);

        // After a receive that read the connection from this thread, later arrivals are still seen.
        push.SendString("two");
        WaitFor(pull, PollEvents.In, "PULL has the second message");
        Assert.Equal(1, (int)pull.GetOption(SocketOption.Events)); // ZMQ_POLLIN
        Assert.Equal("two", pull.ReceiveString());
        Assert.Equal(0, (int)pull.GetOption(SocketOption.Events));
        Assert.Equal(2, (int)push.GetOption(SocketOption.Events)); // ZMQ_POLLOUT
    }

    [Fact]
    public void Push_is_not_ready_to_send_when_its_peer_queue_is_full()
    {
        using var scope = new SocketScope();
        var pull = scope.Pull();
        pull.ReceiveHighWatermark = 2;
        var ep = Endpoints.NewInproc();
        pull.Bind(ep);
        var push = scope.Push();
        push.SendHighWatermark = 2;
        push.Connect(ep);
        int sent = 0;
        while (push.TrySend("x"u8) && sent < 100) sent++;
        Assert.InRange(sent, 1, 99);
        Assert.Equal(PollEvents.None, push.Events);
        using (pull.Receive()) { }
        WaitFor(push, PollEvents.Out, "room again after a receive");
    }

    [Fact]
    public void Req_and_rep_follow_their_state_machines()
    {
        using var scope = new SocketScope();
        var rep = scope.Rep();
        var ep = Endpoints.NewInproc();
        rep.Bind(ep);
        var req = scope.Req();
        req.Connect(ep);
        Assert.Equal(PollEvents.Out, req.Events); // may send a request, nothing to receive
        Assert.Equal(PollEvents.None, rep.Events); // owes nothing, got nothing

        req.SendString("ping");
        Assert.Equal(PollEvents.None, req.Events); // awaiting the reply: may not send
        WaitFor(rep, PollEvents.In, "REP has the request");
        Assert.Equal(PollEvents.In, rep.Events); // no reply owed before the request is read
        Assert.Equal("ping", rep.ReceiveString());
        Assert.Equal(PollEvents.Out, rep.Events);
        rep.SendString("pong");
        Assert.Equal(PollEvents.None, rep.Events);
        WaitFor(req, PollEvents.In, "REQ has the reply");
        Assert.Equal("pong", req.ReceiveString());
        Assert.Equal(PollEvents.Out, req.Events);
    }

    [Fact]
    public void Rep_does_not_report_a_malformed_request_and_drops_it_as_a_receive_would()
    {
        using var scope = new SocketScope();
        var rep = scope.Rep();
        var ep = Endpoints.NewInproc();
        rep.Bind(ep);
        var dealer = scope.Dealer();
        dealer.Connect(ep);
        dealer.SendString("no envelope"); // no empty delimiter: REP drops it
        dealer.SendFrames([[], "ok"u8.ToArray()]);
        WaitFor(rep, PollEvents.In, "REP has the well-formed request");
        Assert.Equal("ok", rep.ReceiveString());
    }

    [Fact]
    public void Sub_is_not_ready_for_a_message_it_would_drop()
    {
        using var scope = new SocketScope();
        var xpub = scope.XPub(); // passes everything on to the subscriber's queue: SUB must filter
        var ep = Endpoints.NewInproc();
        xpub.Bind(ep);
        var sub = scope.Sub();
        sub.Subscribe("a");
        sub.Connect(ep);
        WaitFor(xpub, PollEvents.In, "XPUB has the subscription");
        Assert.Equal([1, (byte)'a'], xpub.ReceiveBytes());
        Assert.Equal(PollEvents.Out, xpub.Events);
        Assert.Equal(PollEvents.None, sub.Events); // SUB never sends
        xpub.SendString("b-unmatched");
        xpub.SendString("a-matched");
        WaitFor(sub, PollEvents.In, "SUB has the matching message");
        Assert.Equal("a-matched", sub.ReceiveString());
    }

    [Fact]
    public void Router_is_always_ready_to_send_unless_mandatory()
    {
        using var scope = new SocketScope();
        var router = scope.Router();
        Assert.Equal(PollEvents.Out, router.Events);
        router.Mandatory = true;
        Assert.Equal(PollEvents.None, router.Events);
        var pub = scope.Pub();
        Assert.Equal(PollEvents.Out, pub.Events);
        var pull = scope.Pull();
        Assert.Equal(PollEvents.None, pull.Events);
    }

    [Fact]
    public void Events_on_a_disposed_socket_throws_naming_it()
    {
        using var scope = new SocketScope();
        var pull = scope.Pull();
        pull.Dispose();
        var e = Assert.Throws<ZmqException>(() => pull.Events);
        Assert.Equal(ZmqError.Disposed, e.Error);
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public void An_armed_watch_is_called_when_a_message_arrives_and_not_after_Dispose(string transport)
    {
        using var scope = new SocketScope();
        var pull = scope.Pull();
        pull.Bind(Endpoints.BindAny(transport));
        var push = scope.Push();
        push.Connect(pull.LastEndpoint!);
        WaitFor(push, PollEvents.Out, "connected");
        using var woken = new SemaphoreSlim(0);
        var watch = pull.WatchReadiness(() => woken.Release());
        watch.Arm();
        Assert.Equal(PollEvents.None, pull.Events);
        push.SendString("hello");
        Assert.True(SeenThroughWatch(watch, woken, PollEvents.In), "the watch was not called for an arrival");
        Assert.Equal("hello", pull.ReceiveString());

        // A blocking receive that waited (reading the connection from this thread), then a watch.
        var late = new Thread(() => { Thread.Sleep(50); push.SendString("m1"); Thread.Sleep(50); push.SendString("m2"); }) { Name = "late sender" };
        late.Start(); // a thread of its own: the pool may be short of threads while this one blocks
        Assert.Equal("m1", pull.ReceiveString());
        Assert.True(SeenThroughWatch(watch, woken, PollEvents.In), "the watch missed a message after a caller-thread receive");
        Assert.Equal("m2", pull.ReceiveString());
        Wait.Join(late);

        watch.Dispose();
        while (woken.CurrentCount > 0) woken.Wait(0);
        watch.Arm(); // no effect once disposed
        pull.Events.ToString();
        push.SendString("again");
        WaitFor(pull, PollEvents.In, "the second message");
        Assert.False(woken.Wait(TimeSpan.FromMilliseconds(50)), "a disposed watch was called");
    }

    /// <summary>The watch protocol, with no other waiting: arm, look, sleep until called (a call may be spurious), up to 20 calls.</summary>
    private static bool SeenThroughWatch(ReadinessWatch watch, SemaphoreSlim woken, PollEvents wanted)
    {
        for (int i = 0; i < 20; i++)
        {
            watch.Arm();
            if ((watch.Socket.Events & wanted) == wanted) return true;
            if (!woken.Wait(TimeSpan.FromSeconds(5))) return false;
        }
        return false;
    }

    [Fact]
    public void An_armed_watch_is_called_when_the_socket_is_disposed()
    {
        using var scope = new SocketScope();
        var pull = scope.Pull();
        using var woken = new SemaphoreSlim(0);
        using var watch = pull.WatchReadiness(() => woken.Release());
        watch.Arm();
        pull.Dispose();
        Assert.True(woken.Wait(TimeSpan.FromSeconds(5)));
    }
}
