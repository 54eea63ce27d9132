using Xunit.Abstractions;
using Zmq.Routing;

namespace Zmq.Tests.Routing;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SubscriptionScaleCollection
{
    public const string Name = "Subscription scale (runs alone: it measures the heap)";
}

/// <summary>
/// 100,000 subscriptions: matching examines at most data length + 1 trie nodes whatever their
/// number (work is counted, not timed), matching and removing allocate nothing, and the memory per
/// subscription is measured (and bounded loosely).
/// </summary>
[Collection(SubscriptionScaleCollection.Name)]
public sealed class SubscriptionScaleTests(ITestOutputHelper output)
{
    private const int Many = 100_000;
    private const int Calls = 100_000;

    /// <summary>Random 10-30 byte topics, either random letters or dotted paths sharing prefixes.</summary>
    private static byte[][] Topics(int n, int seed, bool structured)
    {
        var random = new Random(seed);
        var set = new HashSet<string>();
        while (set.Count < n)
        {
            if (structured)
            {
                set.Add($"prices.{random.Next(50)}.{random.Next(1000)}.{random.Next(100_000):D6}");
            }
            else
            {
                var chars = new char[random.Next(10, 31)];
                for (int i = 0; i < chars.Length; i++) chars[i] = (char)random.Next('a', 'z' + 1);
                set.Add(new string(chars));
            }
        }
        return [.. set.Order(StringComparer.Ordinal).OrderBy(_ => random.Next()).Select(System.Text.Encoding.ASCII.GetBytes)];
    }

    private static long AllocatedBy(Action action)
    {
        action(); // warm-up: JIT, first-call paths
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static long RetainedBy<TResult>(Func<TResult> build, out TResult result)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        result = build();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        return after - before;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Subscriptions_MatchWorkIsBoundedByTheDataLength_NotTheNumberOfTopics(bool structured)
    {
        var topics = Topics(Many, seed: 11, structured);
        long bytes = RetainedBy(() =>
        {
            var s = new Subscriptions();
            foreach (var t in topics) s.Add(t);
            return s;
        }, out var big);
        double perTopic = (double)bytes / Many;
        output.WriteLine($"Subscriptions, {(structured ? "dotted" : "random")} topics: {bytes} B retained for {Many} = {perTopic:0.0} B/subscription ({big.NodeCount} nodes)");
        Assert.True(perTopic < 300, $"{perTopic:0.0} B per subscription");
        Assert.Equal(Many, big.Count);
        big.CheckInvariants();

        var small = new Subscriptions();
        foreach (var t in topics.Take(10)) small.Add(t);
        var probe = Topics(1000, seed: 12, structured);
        var random = new Random(13);
        for (int i = 0; i < probe.Length; i++)
        {
            var data = i % 2 == 0 ? probe[i] : [.. topics[random.Next(Many)], .. "+suffix"u8];
            Assert.True(big.CountVisited(data) <= data.Length + 1);
            Assert.True(small.CountVisited(data) <= data.Length + 1);
            if (i % 2 == 1) Assert.True(big.Matches(data));
        }
        foreach (var t in topics.Take(200))
        {
            Assert.True(big.Matches(t));
            var shorter = t.AsSpan(0, t.Length - 1);
            Assert.Equal(AnyPrefix(topics, shorter), big.Matches(shorter));
        }
    }

    private static bool AnyPrefix(byte[][] topics, ReadOnlySpan<byte> data)
    {
        foreach (var t in topics)
            if (data.StartsWith(t)) return true;
        return false;
    }

    [Fact]
    public void SubscriptionIndex_MatchWorkIsBoundedByTheDataLength_NotTheNumberOfSubscriptions()
    {
        var topics = Topics(Many, seed: 21, structured: true);
        var subscribers = Enumerable.Range(0, 1000).Select(i => new FakeSubscriber("s" + i)).ToArray();
        long bytes = RetainedBy(() =>
        {
            var index = new SubscriptionIndex<FakeSubscriber>();
            for (int i = 0; i < topics.Length; i++) index.Add(topics[i], subscribers[i % subscribers.Length]);
            index.Add("prices.7."u8, subscribers[0]); // prefix subscriptions too
            index.Add("prices."u8, subscribers[1]);
            return index;
        }, out var big);
        output.WriteLine($"SubscriptionIndex: {bytes} B retained for {Many} subscriptions of {subscribers.Length} subscribers = {(double)bytes / Many:0.0} B/subscription ({big.NodeCount} nodes)");
        Assert.True((double)bytes / Many < 400, $"{(double)bytes / Many:0.0} B per subscription");
        Assert.Equal(Many + 2, big.TopicCount);
        big.CheckInvariants();

        for (int i = 0; i < 1000; i++)
        {
            byte[] data = [.. topics[i], .. "/x"u8];
            Assert.True(big.CountVisited(data) <= data.Length + 1);
            var expected = new HashSet<FakeSubscriber> { subscribers[i % subscribers.Length], subscribers[1] };
            if (data.AsSpan().StartsWith("prices.7."u8)) expected.Add(subscribers[0]);
            var visitor = new CollectingVisitor();
            big.Match(data, ref visitor);
            Assert.Equal(expected.Count, visitor.Seen.Count);
            Assert.True(expected.SetEquals(visitor.Seen));
        }

        // One subscriber leaving takes its 100 topics with it and nothing else.
        int gone = 0;
        Assert.Equal(Many / subscribers.Length + 1, big.RemoveAll(subscribers[0], _ => gone++));
        Assert.Equal(Many / subscribers.Length + 1, gone);
        Assert.Equal(Many + 2 - gone, big.TopicCount);
        big.CheckInvariants();
    }

    [Fact]
    public void Subscriptions_MatchAddOfAKnownTopicAndRemove_AllocateNothing()
    {
        var topics = Topics(1000, seed: 31, structured: false);
        var s = new Subscriptions();
        foreach (var t in topics) s.Add(t);
        s.Add("abc"u8);
        byte[] hit = [.. topics[5], .. "tail"u8], miss = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"u8.ToArray();

        Assert.Equal(0, AllocatedBy(() =>
        {
            for (int i = 0; i < Calls; i++)
            {
                if (!s.Matches(hit) || s.Matches(miss)) throw new InvalidOperationException("wrong match");
            }
        }));
        Assert.Equal(0, AllocatedBy(() =>
        {
            for (int i = 0; i < Calls; i++)
            {
                s.Add("abc"u8);
                s.Remove("abc"u8);
            }
        }));
        long removing = GC.GetAllocatedBytesForCurrentThread();
        foreach (var t in topics) Assert.True(s.Remove(t)); // every one prunes
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - removing);
        Assert.Equal(2, s.NodeCount);
    }

    [Fact]
    public void SubscriptionIndex_MatchKnownAddAndRemove_AllocateNothing()
    {
        var topics = Topics(1000, seed: 41, structured: true);
        var subscribers = Enumerable.Range(0, 20).Select(i => new FakeSubscriber("s" + i)).ToArray();
        var index = new SubscriptionIndex<FakeSubscriber>();
        for (int i = 0; i < topics.Length; i++) index.Add(topics[i], subscribers[i % subscribers.Length]);
        foreach (var sub in subscribers) index.Add("prices."u8, sub); // one topic with a hash set of subscribers
        foreach (var sub in subscribers.Take(3)) index.Add("prices.1"u8, sub); // one with a small array
        byte[] data = [.. topics.First(t => t.AsSpan().StartsWith("prices.1"u8)), .. "tail"u8]; // single, array and hash set on its path

        Assert.Equal(0, AllocatedBy(() =>
        {
            var visitor = new CountingVisitor();
            for (int i = 0; i < Calls; i++) index.Match(data, ref visitor);
            if (visitor.Seen < Calls * subscribers.Length) throw new InvalidOperationException("too few visited");
        }));
        Assert.Equal(0, AllocatedBy(() =>
        {
            for (int i = 0; i < Calls; i++)
            {
                if (index.Add(topics[7], subscribers[7]) || index.Add("prices."u8, subscribers[3])) throw new InvalidOperationException("not known");
            }
        }));
        long removing = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < topics.Length; i++) Assert.True(index.Remove(topics[i], subscribers[i % subscribers.Length]));
        foreach (var sub in subscribers) index.RemoveAll(sub);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - removing);
        Assert.Equal(1, index.NodeCount);
    }
}
