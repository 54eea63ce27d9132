using Zmq.Routing;

namespace Zmq.Tests.Routing;

/// <summary>
/// Thousands of random operations (fixed seeds) on <see cref="Subscriptions"/> and
/// <see cref="SubscriptionIndex{T}"/>, each compared with a plain list scanned linearly. Topics
/// come from a tiny alphabet (0x00, 0xFF, 'a', 'b') so they are often prefixes of each other.
/// </summary>
public class SubscriptionModelTests
{
    private static byte[] RandomBytes(Random random, int maxLength)
    {
        var t = new byte[random.Next(0, maxLength + 1)];
        for (int i = 0; i < t.Length; i++) t[i] = random.Next(4) switch { 0 => 0x00, 1 => 0xFF, 2 => (byte)'a', _ => (byte)'b' };
        return t;
    }

    private static int Compare(byte[] x, byte[] y) => x.AsSpan().SequenceCompareTo(y);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Subscriptions_BehaveLikeAList(int seed)
    {
        var random = new Random(seed);
        var s = new Subscriptions();
        var model = new List<(byte[] Topic, int Count)>();
        int Find(byte[] t) => model.FindIndex(e => e.Topic.AsSpan().SequenceEqual(t));

        for (int step = 0; step < 20_000; step++)
        {
            var topic = RandomBytes(random, 5);
            int at = Find(topic);
            switch (random.Next(10))
            {
                case < 4:
                    Assert.Equal(at < 0, s.Add(topic));
                    if (at < 0) model.Add((topic, 1));
                    else model[at] = (topic, model[at].Count + 1);
                    break;
                case < 7:
                    bool all = random.Next(4) == 0;
                    bool gone = at >= 0 && (all || model[at].Count == 1);
                    Assert.Equal(gone, s.Remove(topic, all));
                    if (gone) model.RemoveAt(at);
                    else if (at >= 0) model[at] = (topic, model[at].Count - 1);
                    break;
                case < 8:
                    Assert.Equal(at >= 0, s.Contains(topic));
                    break;
                default:
                    var data = RandomBytes(random, 7);
                    Assert.Equal(model.Exists(e => data.AsSpan().StartsWith(e.Topic)), s.Matches(data));
                    Assert.True(s.CountVisited(data) <= data.Length + 1);
                    break;
            }
            Assert.Equal(model.Count, s.Count);
            if (step % 500 == 0)
            {
                s.CheckInvariants();
                var expected = model.Select(e => e.Topic).ToList();
                expected.Sort(Compare);
                Assert.Equal(expected, s.Topics);
            }
        }
        foreach (var (topic, _) in model.ToArray()) Assert.True(s.Remove(topic, all: true));
        Assert.Equal(0, s.Count);
        Assert.Equal(1, s.NodeCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SubscriptionIndex_BehavesLikeAList(int seed)
    {
        var random = new Random(seed);
        var index = new SubscriptionIndex<FakeSubscriber>();
        var subscribers = Enumerable.Range(0, 12).Select(i => new FakeSubscriber("s" + i)).ToArray();
        var model = new List<(byte[] Topic, FakeSubscriber Subscriber)>();
        int Find(byte[] t, FakeSubscriber sub) => model.FindIndex(e => e.Subscriber == sub && e.Topic.AsSpan().SequenceEqual(t));
        bool Anybody(byte[] t) => model.Exists(e => e.Topic.AsSpan().SequenceEqual(t));

        for (int step = 0; step < 20_000; step++)
        {
            var topic = RandomBytes(random, 5);
            var sub = subscribers[random.Next(subscribers.Length)];
            int at = Find(topic, sub);
            switch (random.Next(20))
            {
                case < 8:
                    Assert.Equal(at < 0, index.Add(topic, sub));
                    if (at < 0) model.Add((topic, sub));
                    break;
                case < 13:
                    Assert.Equal(at >= 0, index.Remove(topic, sub));
                    if (at >= 0) model.RemoveAt(at);
                    break;
                case < 14:
                    var had = model.Where(e => e.Subscriber == sub).Select(e => e.Topic).ToList();
                    model.RemoveAll(e => e.Subscriber == sub);
                    var expectedGone = had.Where(t => !Anybody(t)).Select(Convert.ToHexString).Order().ToArray();
                    var gone = new List<string>();
                    Assert.Equal(had.Count, index.RemoveAll(sub, t => gone.Add(Convert.ToHexString(t))));
                    Assert.Equal(expectedGone, gone.Order());
                    break;
                case < 16:
                    Assert.Equal(at >= 0, index.Contains(topic, sub));
                    Assert.Equal(model.Count(e => e.Topic.AsSpan().SequenceEqual(topic)), index.CountSubscribers(topic));
                    break;
                default:
                    var data = RandomBytes(random, 7);
                    var expected = model.Where(e => data.AsSpan().StartsWith(e.Topic)).Select(e => e.Subscriber.Name).Distinct().Order();
                    Assert.Equal(expected, SubscriptionIndexTests.Match(index, data));
                    Assert.True(index.CountVisited(data) <= data.Length + 1);
                    break;
            }
            Assert.Equal(model.Select(e => Convert.ToHexString(e.Topic)).Distinct().Count(), index.TopicCount);
            Assert.Equal(model.Select(e => e.Subscriber).Distinct().Count(), index.SubscriberCount);
            if (step % 500 == 0)
            {
                index.CheckInvariants();
                var topics = model.Select(e => e.Topic).DistinctBy(Convert.ToHexString).ToList();
                topics.Sort(Compare);
                Assert.Equal(topics, index.Topics);
            }
        }
        foreach (var sub in subscribers) index.RemoveAll(sub);
        Assert.Equal(0, index.TopicCount);
        Assert.Equal(1, index.NodeCount);
    }
}
