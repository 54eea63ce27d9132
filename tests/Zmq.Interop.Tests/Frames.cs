using System.Buffers.Binary;
using System.Text;

namespace Zmq.Interop.Tests;

/// <summary>Frame builders and assertions shared by the scenarios.</summary>
internal static class Frames
{
    /// <summary>Messages of the bulk runs.</summary>
    public const int BulkCount = 10_000;

    /// <summary>Round trips of the lock-step (REQ or REP) bulk runs.</summary>
    public const int RoundTrips = 2_000;

    /// <summary>Size of the large message (over 1 MiB, so the 8-byte length form and many reads are used).</summary>
    public const int LargeSize = (1 << 20) + 12_345;

    public static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The 3-frame message with an empty middle frame.</summary>
    public static byte[][] Multipart(string tag) => [B(tag + ":alpha"), [], B(tag + ":omega")];

    public static byte[] Large(int seed)
    {
        var data = new byte[LargeSize];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>A bulk message: optional prefix, then the sequence number (big-endian int32).</summary>
    public static byte[] Seq(int n, byte[]? prefix = null)
    {
        prefix ??= [];
        var frame = new byte[prefix.Length + 4];
        prefix.CopyTo(frame, 0);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(prefix.Length), n);
        return frame;
    }

    public static int ReadSeq(byte[] frame, int prefixLength = 0)
    {
        Assert.True(frame.Length == prefixLength + 4, $"bulk frame of {frame.Length} bytes, expected {prefixLength + 4}");
        return BinaryPrimitives.ReadInt32BigEndian(frame.AsSpan(prefixLength));
    }

    public static byte[][] Concat(byte[][] head, params byte[][] tail) => [.. head, .. tail];

    public static void Equal(byte[][] expected, byte[][] actual, string context)
    {
        if (expected.Length != actual.Length)
            Assert.Fail($"{context}: expected {expected.Length} frames {Show(expected)}, got {actual.Length} {Show(actual)}");
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i].AsSpan().SequenceEqual(actual[i]))
                continue;
            var at = expected[i].AsSpan().CommonPrefixLength(actual[i]);
            Assert.Fail($"{context}: frame {i} differs at byte {at} (expected {expected[i].Length} B {Show(expected[i])}, got {actual[i].Length} B {Show(actual[i])})");
        }
    }

    public static string Show(byte[][] frames) => "[" + string.Join(", ", frames.Select(Show)) + "]";

    public static string Show(byte[] frame)
    {
        if (frame.Length > 64)
            return $"<{frame.Length} B {Convert.ToHexString(frame, 0, 8)}...>";
        var printable = frame.All(b => b is >= 0x20 and < 0x7F);
        return printable ? $"\"{Encoding.ASCII.GetString(frame)}\"" : "0x" + Convert.ToHexString(frame);
    }

    /// <summary>
    /// Runs <paramref name="send"/> on another thread while <paramref name="receive"/> runs here,
    /// then waits (bounded) for the sender, so no socket is disposed while the other thread uses it.
    /// </summary>
    public static void Concurrently(Action send, Action receive)
    {
        var sender = Task.Factory.StartNew(send, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            receive();
        }
        finally
        {
            // A sender stuck on a full queue gives up within its send timeout.
            if (!sender.Wait(TimeSpan.FromSeconds(Side.WaitMs / 1000 * 3)))
                Assert.Fail("the sending thread did not finish");
        }
        sender.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Sends <see cref="BulkCount"/> sequence-numbered messages from one side and checks that the
    /// other receives all of them, in order. <paramref name="sendHead"/> and <paramref name="receiveHead"/>
    /// are the leading frames (ROUTER routing ids) on each end.
    /// </summary>
    public static void Bulk(Side from, byte[][] sendHead, Side to, byte[][] receiveHead, byte[]? prefix = null)
    {
        var context = $"bulk {from.Name} -> {to.Name}";
        var plen = prefix?.Length ?? 0;
        Concurrently(
            () =>
            {
                for (var i = 0; i < BulkCount; i++)
                    from.Send(Concat(sendHead, Seq(i, prefix)));
            },
            () =>
            {
                for (var i = 0; i < BulkCount; i++)
                {
                    var got = to.TryReceive(Side.WaitMs)
                        ?? throw new Xunit.Sdk.XunitException($"{context}: message {i} of {BulkCount} never arrived ({i} received)");
                    if (got.Length != receiveHead.Length + 1)
                        Assert.Fail($"{context}: message {i} has {got.Length} frames {Show(got)}");
                    Equal(receiveHead, got[..receiveHead.Length], context + $" (head of message {i})");
                    var n = ReadSeq(got[^1], plen);
                    if (n != i)
                        Assert.Fail($"{context}: expected message {i}, got {n} (lost or reordered)");
                }
            });
    }
}
