namespace Zmq.Interop.Tests;

/// <summary>
/// TCP ports for the interop tests' binds, handed out once each per test run from 20000-31999,
/// below Linux's ephemeral range (32768-60999). Binding tcp://127.0.0.1:* instead let the kernel hand
/// a port that an earlier test's peer, still reconnecting to it (20 ms RECONNECT_IVL), then reached:
/// a stray ACCEPTED in the middle of a monitor test (seen once in CI). A port this class gives is
/// never given again in the run, and no socket of the other test processes gets one from the kernel.
/// </summary>
internal static class TestPorts
{
    private const int First = 20000;
    private const int Count = 12000;
    private const int Tries = 100;
    private static int _next = Random.Shared.Next(Count);

    /// <summary>Binds <c>tcp://127.0.0.1:PORT</c> with <paramref name="bind"/> on the next port that is free; returns the endpoint.</summary>
    public static string BindLoopback(Action<string> bind)
    {
        Exception? last = null;
        for (int i = 0; i < Tries; i++)
        {
            int port = First + (Interlocked.Increment(ref _next) % Count);
            string endpoint = $"tcp://127.0.0.1:{port}";
            try
            {
                bind(endpoint);
                return endpoint;
            }
            catch (Exception ex) when (IsInUse(ex))
            {
                last = ex; // somebody else's: take the next one
            }
        }
        throw new InvalidOperationException($"no free port in {Tries} tries from {First}-{First + Count - 1}", last);
    }

    /// <summary>A port of the range for a peer process to bind itself (never given out twice; free unless another program took it).</summary>
    public static int Next() => First + (Interlocked.Increment(ref _next) % Count);

    private static bool IsInUse(Exception ex) =>
        ex.Message.Contains("in use", StringComparison.OrdinalIgnoreCase)
        || ex is ZmqException { Error: ZmqError.AddressInUse };
}
