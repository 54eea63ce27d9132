using System.Diagnostics;
using Waits = Zmq.Tests.Infrastructure.Wait;

namespace Zmq.Toolkit.Tests;

/// <summary>
/// zpoller/zmq_poll: readiness, time-out, cancellation and a closed socket told apart; fairness;
/// Add and Remove taking effect during a wait; output readiness; no thread per socket, no spinning.
/// </summary>
[Collection(SerialCollection.Name)] // measures the process's threads and CPU time
public sealed class PollerTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(5);
    private readonly Context _context = new();
    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        foreach (var s in _sockets) s.Dispose();
        _context.Dispose();
    }

    /// <summary>A connected PUSH -> PULL pair over inproc (or tcp).</summary>
    private (PushSocket Push, PullSocket Pull) Pipe(string transport = "inproc")
    {
        var pull = Track(new PullSocket(context: _context) { Linger = TimeSpan.Zero, ReceiveTimeout = Long });
        pull.Bind(transport == "tcp" ? "tcp://127.0.0.1:*" : $"inproc://poller-{Guid.NewGuid():N}");
        var push = Track(new PushSocket(context: _context) { Linger = TimeSpan.Zero, SendTimeout = Long });
        push.Connect(pull.LastEndpoint!);
        return (push, pull);
    }

    private T Track<T>(T socket) where T : Socket
    {
        _sockets.Add(socket);
        return socket;
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public void Ready_names_the_socket_and_what_it_is_ready_for(string transport)
    {
        var (push1, pull1) = Pipe(transport);
        var (_, pull2) = Pipe(transport);
        using var poller = new Poller(pull1, pull2);
        Assert.Equal(2, poller.Count);
        push1.SendString("hi");
        var r = poller.Wait(Long);
        Assert.Equal(PollStatus.Ready, r.Status);
        Assert.True(r.Is(pull1));
        Assert.Equal(PollEvents.In, r.Events);
        Assert.Equal("hi", pull1.ReceiveString());
    }

    [Fact]
    public void Time_out_cancellation_and_readiness_are_told_apart()
    {
        var (push, pull) = Pipe();
        using var poller = new Poller(pull);
        Assert.Equal(PollStatus.TimedOut, poller.Wait(TimeSpan.Zero).Status);
        var sw = Stopwatch.StartNew();
        Assert.Equal(PollStatus.TimedOut, poller.Wait(TimeSpan.FromMilliseconds(50)).Status);
        Assert.True(sw.ElapsedMilliseconds >= 45, $"returned after {sw.ElapsedMilliseconds} ms, before its time-out");

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var cancelled = poller.Wait(Long, cts.Token);
        Assert.Equal(PollStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.Socket);
        Assert.Equal(PollStatus.Cancelled, poller.Wait(Long, cts.Token).Status); // already cancelled: at once

        push.SendString("x");
        Assert.Equal(PollStatus.Ready, poller.Wait(Long).Status);
    }

    [Fact]
    public void A_busy_first_socket_does_not_starve_the_others()
    {
        var (push1, pull1) = Pipe();
        var (push2, pull2) = Pipe();
        var (push3, pull3) = Pipe();
        for (int i = 0; i < 100; i++) push1.SendString("busy");
        push2.SendString("two");
        push3.SendString("three");
        using var poller = new Poller(pull1, pull2, pull3);
        var order = new List<Socket>();
        for (int i = 0; i < 3; i++)
        {
            var r = poller.Wait(Long);
            Assert.True(r.IsReady, r.ToString());
            order.Add(r.Socket!);
            using (r.Socket!.Receive()) { }
        }
        Assert.Equal([pull1, pull2, pull3], order);
        var next = poller.Wait(Long);
        Assert.True(next.Is(pull1)); // the only one with more, once the others had their turn
    }

    [Fact]
    public void A_socket_removed_during_a_wait_is_never_returned_and_one_added_is()
    {
        var (push1, pull1) = Pipe();
        var (push2, pull2) = Pipe();
        var (push3, pull3) = Pipe();
        using var poller = new Poller(pull1, pull2);
        var waiting = Task.Factory.StartNew(() => poller.Wait(Long), TaskCreationOptions.LongRunning);
        Thread.Sleep(30); // let it sleep (the outcome does not depend on it)
        Assert.True(poller.Remove(pull2));
        Assert.False(poller.Remove(pull2)); // not there any more
        push2.SendString("to the removed one");
        poller.Add(pull3);
        push3.SendString("to the added one");
        var r = Waits.Result(waiting);
        Assert.True(r.Is(pull3), r.ToString());
        Assert.Equal(PollStatus.TimedOut, RemoveAndWait(poller, pull3, push1: null).Status);
        Assert.Equal(1, poller.Count);
        push1.SendString("one");
        Assert.True(poller.Wait(Long).Is(pull1));
    }

    private static PollResult RemoveAndWait(Poller poller, Socket socket, PushSocket? push1)
    {
        poller.Remove(socket);
        return poller.Wait(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Out_readiness_is_reported_where_asked()
    {
        var rep = Track(new RepSocket(context: _context) { Linger = TimeSpan.Zero });
        string ep = $"inproc://rep-{Guid.NewGuid():N}";
        rep.Bind(ep);
        var req = Track(new ReqSocket(context: _context) { Linger = TimeSpan.Zero });
        req.Connect(ep);
        using var poller = new Poller();
        poller.Add(req, PollEvents.In | PollEvents.Out);
        var r = poller.Wait(Long);
        Assert.Equal(PollEvents.Out, r.Events);
        req.SendString("ping");
        Assert.Equal(PollStatus.TimedOut, poller.Wait(TimeSpan.FromMilliseconds(30)).Status); // awaiting the reply
        Assert.Equal("ping", rep.ReceiveString());
        rep.SendString("pong");
        r = poller.Wait(Long);
        Assert.Equal(PollEvents.In, r.Events);
        Assert.Throws<ArgumentException>(() => poller.Add(req, PollEvents.None));
    }

    [Fact]
    public void WaitAll_returns_every_ready_socket_as_zmq_poll_does()
    {
        var (push1, pull1) = Pipe();
        var (_, pull2) = Pipe();
        var (push3, pull3) = Pipe();
        push1.SendString("a");
        push3.SendString("c");
        using var poller = new Poller(pull1, pull2, pull3);
        var ready = new List<PollResult>();
        Waits.Until(() => pull3.Events != PollEvents.None, "both arrived");
        Assert.Equal(PollStatus.Ready, poller.WaitAll(ready, Long));
        Assert.Equal([pull1, pull3], ready.Select(r => r.Socket));
        Assert.Equal(PollStatus.TimedOut, new Poller(pull2).WaitAll(ready, TimeSpan.Zero));
        Assert.Empty(ready);
    }

    [Fact]
    public void A_disposed_socket_is_reported_closed_and_removed()
    {
        var (_, pull1) = Pipe();
        var (push2, pull2) = Pipe();
        using var poller = new Poller(pull1, pull2);
        var waiting = Task.Factory.StartNew(() => poller.Wait(Long), TaskCreationOptions.LongRunning);
        Thread.Sleep(20);
        pull1.Dispose();
        var r = Waits.Result(waiting);
        Assert.Equal(PollStatus.Closed, r.Status);
        Assert.Same(pull1, r.Socket);
        Assert.Equal(1, poller.Count);
        push2.SendString("still works");
        Assert.True(poller.Wait(Long).Is(pull2));
    }

    [Fact]
    public async Task WaitAsync_completes_on_readiness_and_on_cancellation()
    {
        var (push, pull) = Pipe("tcp");
        using var poller = new Poller(pull);
        var pending = poller.WaitAsync(Long);
        Assert.False(pending.IsCompleted);
        push.SendString("x");
        var r = await pending;
        Assert.True(r.Is(pull));
        Assert.Equal("x", pull.ReceiveString());

        using var cts = new CancellationTokenSource();
        var cancelled = poller.WaitAsync(Long, cts.Token);
        cts.Cancel();
        Assert.Equal(PollStatus.Cancelled, (await cancelled).Status);
        Assert.Equal(PollStatus.TimedOut, (await poller.WaitAsync(TimeSpan.FromMilliseconds(20))).Status);
    }

    [Fact]
    public void An_actor_is_polled_by_its_pipe()
    {
        using var actor = new Actor(pipe =>
        {
            pipe.Signal();
            pipe.SendString("news");
            while (pipe.ReceiveString() != Actor.Term) { }
        }, _context);
        var (_, pull) = Pipe();
        using var poller = new Poller(pull);
        poller.Add(actor);
        var r = poller.Wait(Long);
        Assert.True(r.Is(actor), r.ToString());
        Assert.Equal("news", actor.Pipe.ReceiveString());
        Assert.True(poller.Remove(actor));
    }

    [Fact]
    public void Two_waits_at_once_are_refused()
    {
        var (push, pull) = Pipe();
        using var poller = new Poller(pull);
        var first = Task.Factory.StartNew(() => poller.Wait(Long), TaskCreationOptions.LongRunning);
        Waits.Until(() => first.Status == TaskStatus.Running, "the first wait runs");
        Thread.Sleep(20);
        Assert.Throws<InvalidOperationException>(() => poller.Wait(TimeSpan.Zero));
        push.SendString("x");
        Assert.True(Waits.Result(first).IsReady);
    }

    [Fact]
    public void Many_sockets_cost_no_threads_and_an_idle_wait_does_not_spin()
    {
        var pulls = new List<PullSocket>();
        for (int i = 0; i < 200; i++) pulls.Add(Pipe().Pull);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        int threadsBefore = process.Threads.Count;
        using var poller = new Poller([.. pulls]);
        Assert.Equal(PollStatus.TimedOut, poller.Wait(TimeSpan.FromMilliseconds(20)).Status); // compiled first
        long cpuBefore = ThisThreadCpuMs();
        var r = poller.Wait(TimeSpan.FromMilliseconds(400));
        long cpu = ThisThreadCpuMs() - cpuBefore;
        process.Refresh();
        Assert.Equal(PollStatus.TimedOut, r.Status);
        Assert.True(process.Threads.Count <= threadsBefore + 1, $"threads {threadsBefore} -> {process.Threads.Count}");
        // A busy loop would burn the whole 400 ms on the waiting thread; an idle wait sleeps.
        if (OperatingSystem.IsLinux()) Assert.True(cpu < 100, $"the waiting thread used {cpu} ms of CPU in a 400 ms idle wait");
    }

    /// <summary>The calling thread's CPU time (user + system) in ms, from /proc/thread-self/stat (Linux; 0 elsewhere).</summary>
    private static long ThisThreadCpuMs()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        string stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
    }
}
