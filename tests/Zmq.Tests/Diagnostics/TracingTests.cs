using System.Collections.Concurrent;
using System.Diagnostics;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Diagnostics;

/// <summary>The "Zmq" ActivitySource: one zmq.handshake activity per connection, with its outcome.</summary>
public sealed class TracingTests
{
    [Fact]
    public void Each_connection_traces_its_handshake_with_mechanism_peer_and_outcome()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ZmqTracing.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        using var scope = new SocketScope();
        var pull = scope.Pull();
        var push = scope.Push();
        SocketScope.CurvePair(pull, push);
        string endpoint = pull.LastEndpoint!;
        push.SendString("traced");
        Assert.Equal("traced", pull.ReceiveString());

        var bad = scope.Push();
        bad.MakeCurveClient(CurveKeyPair.Generate().PublicKey);
        bad.ReconnectStop = ReconnectStop.HandshakeFailed;
        bad.Connect(endpoint);

        // Both sides name the same endpoint: the client the one it connected to, the server the one it bound.
        Activity[] Mine() => stopped.Where(a => a.OperationName == "zmq.handshake" && (string?)a.GetTagItem("zmq.endpoint") == endpoint).ToArray();
        Wait.Until(() => Mine().Count(a => a.Status == ActivityStatusCode.Ok) >= 2 && Mine().Count(a => a.Status == ActivityStatusCode.Error) >= 1,
            "two successful handshakes and a failed one traced");

        var ok = Mine().Where(a => a.Status == ActivityStatusCode.Ok).ToArray();
        Assert.Contains(ok, a => a.Kind == ActivityKind.Client && (string?)a.GetTagItem("zmq.socket.type") == "PUSH" && (string?)a.GetTagItem("zmq.peer.socket.type") == "PULL");
        Assert.Contains(ok, a => a.Kind == ActivityKind.Server && (string?)a.GetTagItem("zmq.socket.type") == "PULL" && (string?)a.GetTagItem("zmq.mechanism") == "CURVE");
        var failed = Mine().First(a => a.Status == ActivityStatusCode.Error);
        Assert.False(string.IsNullOrEmpty(failed.StatusDescription));
    }
}
