using static Zmq.Interop.Tests.Frames;

namespace Zmq.Interop.Tests;

/// <summary>PUSH/PULL: ours as PUSH and as PULL, binding and connecting.</summary>
public sealed class PushPullTests
{
    public static TheoryData<SocketType, SocketType, bool> Cases => new()
    {
        { SocketType.Push, SocketType.Pull, true },
        { SocketType.Push, SocketType.Pull, false },
        { SocketType.Pull, SocketType.Push, true },
        { SocketType.Pull, SocketType.Push, false },
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void PushPull(SocketType ours, SocketType theirs, bool weBind)
    {
        LibZmqRequired.Check();
        Run(ours, theirs, weBind, Transport.Tcp);
    }

    /// <summary>The scenario over <paramref name="transport"/> (tcp here, ipc in <see cref="IpcInteropTests"/>).</summary>
    internal static void Run(SocketType ours, SocketType theirs, bool weBind, string transport)
    {
        using var duo = new Duo(ours, theirs);
        duo.Link(weBind, transport);
        var push = duo.Role(SocketType.Push);
        var pull = duo.Role(SocketType.Pull);

        var multipart = Multipart("push");
        push.Send(multipart);
        Equal(multipart, pull.Receive(), $"multipart {push} -> {pull}");

        var large = Large(1);
        push.Send(large);
        Equal([large], pull.Receive(), $"large {push} -> {pull}");

        Bulk(push, [], pull, []);
    }
}
