using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Zmq.Toolkit.Tests;

/// <summary>zactor: ready before the constructor returns, $TERM on Dispose within a bound, failures surface to the owner.</summary>
public sealed class ActorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    /// <summary>Serves "ECHO x" until $TERM.</summary>
    private static void Echo(PairSocket pipe)
    {
        pipe.Signal();
        while (true)
        {
            string command = pipe.ReceiveString();
            if (command == Actor.Term) return;
            if (command == "FAIL") throw new InvalidOperationException("asked to fail");
            pipe.SendString("echo " + command);
        }
    }

    [Fact]
    public void Ready_Serves_AndEndsOnDispose()
    {
        var actor = new Actor(Echo);
        actor.Send("hello");
        Assert.Equal("echo hello", actor.Receive(Wait));
        var sw = Stopwatch.StartNew();
        actor.Dispose();
        Assert.True(actor.HasEnded);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"Dispose took {sw.Elapsed.TotalMilliseconds:0} ms");
        Assert.Throws<ObjectDisposedException>(() => actor.Send("x"));
    }

    [Fact]
    public void AFailureBeforeReady_IsTheConstructorsException()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new Actor(_ => throw new InvalidOperationException("no start")));
        Assert.Equal("no start", e.Message);
    }

    [Fact]
    public void AFailureLater_IsThrownByTheOwnersNextCall_AndLogged()
    {
        var log = new ListLogger();
        using var actor = new Actor(Echo, logger: log);
        actor.Send("FAIL");
        var e = Assert.Throws<InvalidOperationException>(() => actor.Receive(Wait));
        Assert.Equal("asked to fail", e.Message);
        Assert.Throws<InvalidOperationException>(() => actor.Send("again"));
        Assert.Contains(log.Entries, x => x.Level == LogLevel.Error && x.Exception is InvalidOperationException);
    }

    [Fact]
    public void AHandlerThatIgnoresTerm_IsLeftAfterTheBound_AndLogged()
    {
        var log = new ListLogger();
        using var release = new ManualResetEventSlim();
        var actor = new Actor(pipe => { pipe.Signal(); release.Wait(TimeSpan.FromSeconds(30)); }, logger: log) { TerminateTimeout = TimeSpan.FromMilliseconds(200) };
        var sw = Stopwatch.StartNew();
        actor.Dispose();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"Dispose took {sw.Elapsed.TotalMilliseconds:0} ms");
        Assert.False(actor.HasEnded);
        Assert.Contains(log.Entries, x => x.Level == LogLevel.Warning && x.Message.Contains("$TERM", StringComparison.Ordinal));
        release.Set();
        Assert.True(SpinWait.SpinUntil(() => actor.HasEnded, Wait));
    }

    [Fact]
    public void NoReadySignal_IsATimeout_AndTheHandlerIsToldToEnd()
    {
        var ended = new ManualResetEventSlim();
        Assert.Throws<TimeoutException>(() => new Actor(pipe => { pipe.ReceiveString(); ended.Set(); }, readyTimeout: TimeSpan.FromMilliseconds(200)));
        Assert.True(ended.Wait(Wait), "the handler never got $TERM");
    }
}
