using System.Diagnostics;

namespace Zmq.Toolkit.Tests;

/// <summary>
/// The beacon's API without a network: argument checks, receiving with time-out, cancellation and
/// disposal, the actor's command handling. Nothing here configures a port on a real interface
/// (that happens only inside test namespaces, see BeaconNamespaceTests).
/// </summary>
public sealed class BeaconApiTests
{
    [Fact]
    public void Payloads_and_prefixes_over_255_bytes_and_bad_ports_are_refused()
    {
        using var beacon = new Beacon();
        var e = Assert.Throws<ArgumentException>(() => beacon.Publish(new byte[256]));
        Assert.Contains("255", e.Message);
        Assert.Throws<ArgumentException>(() => beacon.Subscribe(new byte[256]));
        Assert.Throws<ArgumentException>(() => beacon.Publish(new string('x', 200) + new string('é', 30))); // 260 bytes of UTF-8
        Assert.Throws<ArgumentOutOfRangeException>(() => beacon.Configure(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => beacon.Configure(65536));
        Assert.Throws<ArgumentOutOfRangeException>(() => beacon.Publish("x"u8, TimeSpan.FromMilliseconds(-1)));
        beacon.Publish(new byte[255]);   // the limit itself is fine
        Assert.True(beacon.IsPublishing);
        beacon.Silence();
        Assert.False(beacon.IsPublishing);
        Assert.Null(beacon.Hostname);
        Assert.Null(beacon.Port);
    }

    [Fact]
    public async Task Receiving_times_out_is_cancelled_and_ends_with_dispose()
    {
        var beacon = new Beacon();
        Assert.False(beacon.TryReceive(out _));
        var clock = Stopwatch.StartNew();
        Assert.False(beacon.TryReceive(TimeSpan.FromMilliseconds(100), out _));
        Assert.InRange(clock.ElapsedMilliseconds, 90, 5000);
        Assert.Null(await beacon.TryReceiveAsync(TimeSpan.FromMilliseconds(50)));
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await beacon.ReceiveAsync(cts.Token));
            Assert.ThrowsAny<OperationCanceledException>(() => beacon.TryReceive(Timeout.InfiniteTimeSpan, out _, new CancellationTokenSource(50).Token));
        }
        var waiting = beacon.ReceiveAsync().AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        await beacon.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Throws<ObjectDisposedException>(() => beacon.TryReceive(TimeSpan.FromSeconds(1), out _));
        Assert.Throws<ObjectDisposedException>(() => beacon.Configure(5670));
        beacon.Dispose(); // twice is fine
    }

    [Fact]
    public void A_beacon_with_no_usable_interface_says_so_and_opens_nothing()
    {
        using var beacon = new Beacon();
        var e = Assert.Throws<InvalidOperationException>(() => beacon.Configure(5670, "zb-no-such-interface"));
        Assert.Contains("zb-no-such-interface", e.Message);
        Assert.Null(beacon.Hostname);
        Assert.Null(beacon.Destination);
    }

    [Fact]
    public void The_actor_answers_configure_ignores_what_zbeacon_would_assert_on_and_ends_on_TERM()
    {
        using var actor = new BeaconActor();
        var pipe = actor.Actor.Pipe;
        pipe.SendFrames("VERBOSE");
        pipe.SendFrames("NO-SUCH-COMMAND");
        pipe.SendFrames("PUBLISH"u8.ToArray(), new byte[300], "100"u8.ToArray()); // zbeacon asserts; logged and ignored
        pipe.SendFrames("SUBSCRIBE"u8.ToArray(), new byte[300]);
        pipe.SendFrames("SUBSCRIBE");                                             // no prefix: everything
        pipe.SendFrames("UNSUBSCRIBE");
        pipe.SendFrames("SILENCE");
        // Still serving, in order: a CONFIGURE that cannot work answers "" (no socket is opened).
        pipe.SendFrames("CONFIGURE", "5670", "zb-no-such-interface");
        Assert.True(pipe.TryReceive(TimeSpan.FromSeconds(10), out var reply));
        using (reply) Assert.Equal([""], reply.ToArrays().Select(f => System.Text.Encoding.UTF8.GetString(f)));
        pipe.SendFrames("CONFIGURE", "not-a-port");
        Assert.True(pipe.TryReceive(TimeSpan.FromSeconds(10), out reply));
        using (reply) Assert.Equal("", reply.GetString(0));
        Assert.Equal("", actor.Configure(5670, "zb-no-such-interface"));
        Assert.Throws<ArgumentOutOfRangeException>(() => actor.Configure(0));
        Assert.Throws<ArgumentException>(() => actor.Publish(new byte[256]));
        Assert.Throws<ArgumentException>(() => actor.Subscribe(new byte[256]));
        Assert.False(actor.TryReceive(TimeSpan.FromMilliseconds(50), out _));
        actor.Dispose();
        Assert.True(actor.Actor.HasEnded);
    }
}
