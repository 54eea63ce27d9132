using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Zmq.Io;
using Zmq.Tests.Infrastructure;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Tests.Io;

/// <summary>The I/O thread alone: posted work, timers, and readiness from both pollers.</summary>
public sealed class IoThreadTests
{
    private sealed class Recorder : IIoWork
    {
        public readonly ConcurrentQueue<(int Op, int Thread)> Ran = new();

        public void RunIo(int op) => Ran.Enqueue((op, Environment.CurrentManagedThreadId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PostedWork_RunsOnTheIoThread_InOrder(bool portable)
    {
        using var io = new IoThread("zmq-io-test", NullLogger.Instance, portable);
        Assert.Equal(portable || !OperatingSystem.IsLinux() ? "portable" : "epoll", io.PollerName);
        var r = new Recorder();
        for (int i = 0; i < 1000; i++) io.Post(r, i);
        Wait.Until(() => r.Ran.Count == 1000, "posted work to run");
        Assert.Equal(Enumerable.Range(0, 1000), r.Ran.Select(x => x.Op));
        Assert.Single(r.Ran.Select(x => x.Thread).Distinct());
        Assert.NotEqual(Environment.CurrentManagedThreadId, r.Ran.First().Thread);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Posts_FromManyThreads_AllRun_WhetherTheThreadSleepsOrNot(bool portable)
    {
        using var io = new IoThread("zmq-io-test", NullLogger.Instance, portable);
        var r = new Recorder();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 5000; i++)
            {
                io.Post(r, t);
                if (i % 100 == 0) Thread.Sleep(1); // let the I/O thread fall asleep between bursts
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Wait.Until(() => r.Ran.Count == 20_000, "20,000 posts to run");
        // After all that, a single post still wakes it (a lost wake-up would leave this one waiting).
        for (int k = 0; k < 200; k++)
        {
            int before = r.Ran.Count;
            io.Post(r, -1);
            Wait.Until(() => r.Ran.Count == before + 1, "a lone post to run");
        }
    }

    private sealed class TimerWork(IoThread io, ConcurrentQueue<int> fired) : IIoWork
    {
        public IoTimer? Short, Long, Cancelled, Restarted;

        public void RunIo(int op)
        {
            if (op == 0)
            {
                Short = new IoTimer(io, this, 1);
                Long = new IoTimer(io, this, 2);
                Cancelled = new IoTimer(io, this, 3);
                Restarted = new IoTimer(io, this, 4);
                Long.Start(120);
                Short.Start(30);
                Cancelled.Start(50);
                Cancelled.Cancel();
                Restarted.Start(10);
                Restarted.Start(80); // replaces the first start
                return;
            }
            fired.Enqueue(op);
        }
    }

    [Fact]
    public void Timers_FireInDueOrder_CancelledAndReplacedStartsDoNot()
    {
        using var io = new IoThread("zmq-io-test", NullLogger.Instance);
        var fired = new ConcurrentQueue<int>();
        io.Post(new TimerWork(io, fired), 0);
        Wait.Until(() => fired.Count == 3, "three timers to fire");
        Thread.Sleep(100);
        Assert.Equal([1, 4, 2], fired);
    }

    private sealed class Readable(IoThread io, NetSocket socket) : IPollTarget, IIoWork
    {
        public int Events;
        private PollHandle? _handle;

        public void RunIo(int op)
        {
            _handle = new PollHandle(socket, this);
            io.Register(_handle);
            io.SetInterest(_handle, read: true, write: false);
        }

        public void OnPoll(IoEvents events)
        {
            Interlocked.Increment(ref Events);
            var buf = new byte[16];
            socket.Receive(buf, SocketFlags.None, out _); // drain: level-triggered otherwise repeats
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Readiness_IsReportedOnce_PerArrivalThatIsDrained(bool portable)
    {
        using var io = new IoThread("zmq-io-test", NullLogger.Instance, portable);
        using var listener = new NetSocket(AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new NetSocket(AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        server.Blocking = false;
        var target = new Readable(io, server);
        io.Post(target, 0);
        Thread.Sleep(50);
        Assert.Equal(0, Volatile.Read(ref target.Events));
        client.Send([1]);
        Wait.Until(() => Volatile.Read(ref target.Events) == 1, "one readiness event");
        Thread.Sleep(50);
        Assert.Equal(1, Volatile.Read(ref target.Events));
        client.Send([2]);
        Wait.Until(() => Volatile.Read(ref target.Events) == 2, "a second readiness event");
    }

    [Fact]
    public void AContextsThreads_StartOnFirstUse_AndUseThePollerAskedFor()
    {
        using var portable = new Context { PortablePoller = true };
        Assert.False(portable.IoThreadSet.Started);
        using var pull = new PullSocket("@tcp://127.0.0.1:*", portable);
        Assert.True(portable.IoThreadSet.Started);
        Assert.Equal("portable", portable.IoThreadSet.Next().PollerName);
    }
}
