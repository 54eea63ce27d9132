using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Lifecycle;

/// <summary><see cref="Socket.Closed"/>: cancelled when Dispose begins or the context terminates, already cancelled when read afterwards.</summary>
public sealed class ClosedTokenTests
{
    [Fact]
    public void Dispose_cancels_it_and_its_callbacks_run()
    {
        using var scope = new SocketScope();
        var s = scope.Pull();
        var token = s.Closed;
        Assert.True(token.CanBeCanceled);
        Assert.False(token.IsCancellationRequested);
        Assert.Equal(token, s.Closed); // one token
        bool called = false;
        using var registration = token.Register(() => called = true);
        s.Dispose();
        Assert.True(token.IsCancellationRequested);
        Assert.True(called);
    }

    [Fact]
    public void Read_after_the_close_it_is_already_cancelled()
    {
        using var scope = new SocketScope();
        var s = scope.Dealer();
        s.Dispose();
        Assert.True(s.Closed.IsCancellationRequested);
    }

    [Fact]
    public void Terminating_the_context_cancels_it()
    {
        var context = new Context();
        var s = new PairSocket(context: context) { Linger = TimeSpan.Zero };
        var token = s.Closed;
        context.Dispose();
        Assert.True(token.IsCancellationRequested);
        s.Dispose();
    }

    [Fact]
    public void A_throwing_callback_does_not_stop_the_close()
    {
        using var scope = new SocketScope();
        var s = scope.Push();
        using var registration = s.Closed.Register(() => throw new InvalidOperationException("callback"));
        s.Dispose();
        Assert.True(s.IsDisposed);
        Assert.Equal(ZmqError.Disposed, Assert.Throws<ZmqException>(() => s.Send("x"u8)).Error);
    }
}
