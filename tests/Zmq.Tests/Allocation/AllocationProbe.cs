using Xunit.Abstractions;

namespace Zmq.Tests.Allocation;

/// <summary>The steady-state allocation measurement shared by every allocation test.</summary>
internal static class AllocationProbe
{
    public const int Count = 100_000;
    public const int Batch = 500; // below the HWM: a batch never blocks the one thread doing both sides

    /// <summary>Sends <paramref name="n"/> 64-byte messages in batches and receives each (both on this thread).</summary>
    public static void Batches(Socket sender, Socket receiver, byte[] payload, int n)
    {
        for (int sent = 0; sent < n; sent += Batch)
        {
            for (int i = 0; i < Batch; i++) sender.Send(payload);
            for (int i = 0; i < Batch; i++)
            {
                using var m = receiver.Receive();
                if (m.GetSpan(0).Length != payload.Length) throw new InvalidOperationException("wrong size");
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> over <see cref="Count"/> messages and asserts the process-wide
    /// allocation per message is below 1 byte. Up to three rounds: a per-message cost shows in every
    /// round, while a one-off allocation by something else in the process (the test host reporting a
    /// result, a timer) shows in one at most.
    /// </summary>
    public static void AssertBelowOneBytePerMessage(ITestOutputHelper output, string what, Action<int> run, int count = Count)
    {
        var rounds = new List<long>();
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetTotalAllocatedBytes(true);
            run(count);
            long bytes = GC.GetTotalAllocatedBytes(true) - before;
            rounds.Add(bytes);
            output.WriteLine($"{what}: {bytes} B over {count} messages = {(double)bytes / count:0.000} B/msg");
            if (bytes < count) return;
        }
        Assert.Fail($"{what}: {string.Join(", ", rounds.Select(b => $"{(double)b / count:0.000}"))} B/msg in three rounds; must be < 1");
    }
}
