using Xunit.Abstractions;
using Zmq.Tests.Allocation;
using Waits = Zmq.Tests.Infrastructure.Wait;

namespace Zmq.Toolkit.Tests.Adapters;

/// <summary>
/// The adapters allocate nothing per message in steady state, also when every message makes them
/// wait (the pooled readiness waiter and state machines): round trips with a bare echo thread, so
/// that each read sleeps until the reply comes; writes into a HWM of 1, so that writes keep waiting
/// for room. Counted process-wide (AllocationProbe), in the serial collection.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class AdapterAllocationTests(ITestOutputHelper output) : AdapterFixture
{
    private const int Warmup = 20_000;

    /// <summary>A PAIR for the adapter and a PAIR echoed by a bare thread until the returned action stops it.</summary>
    private (PairSocket Mine, Action Stop) EchoPair(string transport)
    {
        var (echo, mine) = Pair(transport, c => new PairSocket(context: c), c => new PairSocket(context: c));
        bool done = false;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                while (!Volatile.Read(ref done))
                {
                    if (!echo.TryReceive(TimeSpan.FromMilliseconds(50), out var m)) continue;
                    using (m) echo.Send(m);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "echo" };
        thread.Start();
        return (mine, () =>
        {
            Volatile.Write(ref done, true);
            Waits.Join(thread);
            Assert.Null(failure);
        });
    }

    /// <summary>Runs on the thread pool: the test runner's synchronization context would post (and allocate) at every await of the test's own loop.</summary>
    private void Measure(string what, Func<int, Task> run)
    {
        Waits.Done(Task.Run(() => run(Warmup)));
        AllocationProbe.AssertBelowOneBytePerMessage(output, what, n => Waits.Done(Task.Run(() => run(n))));
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public void Channel_reads_and_writes_that_wait_for_each_reply(string transport)
    {
        var (mine, stop) = EchoPair(transport);
        using var channel = mine.AsChannel();
        var payload = new byte[64];
        try
        {
            Measure($"SocketChannel round trips over {transport}", async n =>
            {
                for (int i = 0; i < n; i++)
                {
                    var m = Message.Rent();
                    payload.CopyTo(m.AddFrame(64));
                    await channel.Writer.WriteAsync(m);
                    using var reply = await channel.Reader.ReadAsync();
                    if (reply.GetSpan(0).Length != 64) throw new InvalidOperationException("wrong size");
                }
            });
        }
        finally
        {
            stop();
        }
    }

    [Fact]
    public void Enumeration_that_waits_for_each_reply()
    {
        var (mine, stop) = EchoPair("inproc");
        var payload = new byte[64];
        try
        {
            Measure("ReceiveAllAsync round trips", async n =>
            {
                mine.Send(payload);
                int i = 0;
                await foreach (var reply in mine.ReceiveAllAsync())
                {
                    reply.Dispose();
                    if (++i == n) break;
                    mine.Send(payload);
                }
            });
        }
        finally
        {
            stop();
        }
    }

    [Fact]
    public void Stream_reads_and_writes_that_wait_for_each_reply()
    {
        var (mine, stop) = EchoPair("inproc");
        using var stream = new SocketStream(mine);
        var payload = new byte[64];
        var buffer = new byte[64];
        try
        {
            Measure("SocketStream round trips", async n =>
            {
                for (int i = 0; i < n; i++)
                {
                    await stream.WriteAsync(payload);
                    if (await stream.ReadAsync(buffer) != 64) throw new InvalidOperationException("wrong size");
                }
            });
        }
        finally
        {
            stop();
        }
    }

    [Fact]
    public void Writes_that_wait_for_room_at_a_HWM_of_1()
    {
        var (push, pull) = Pipeline("inproc", hwm: 1);
        using var writer = push.AsChannelWriter();
        using var stream = new SocketStream(push);
        bool done = false;
        var reader = new Thread(() =>
        {
            while (!Volatile.Read(ref done))
                if (pull.TryReceive(TimeSpan.FromMilliseconds(50), out var m)) m.Dispose();
        }) { IsBackground = true, Name = "drain" };
        reader.Start();
        var payload = new byte[64];
        try
        {
            Measure("SocketChannelWriter at HWM 1", async n =>
            {
                for (int i = 0; i < n; i++)
                {
                    var m = Message.Rent();
                    m.AddFrame(64);
                    await writer.WriteAsync(m);
                }
            });
            Measure("SocketStream writes at HWM 1", async n =>
            {
                for (int i = 0; i < n; i++) await stream.WriteAsync(payload);
            });
        }
        finally
        {
            Volatile.Write(ref done, true);
            Waits.Join(reader);
        }
    }
}
