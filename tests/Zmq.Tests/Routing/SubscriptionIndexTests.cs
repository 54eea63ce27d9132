using Zmq.Routing;

namespace Zmq.Tests.Routing;

/// <summary>A subscriber for the tests: compared by reference, whatever its name.</summary>
internal sealed class FakeSubscriber(string name)
{
    public string Name { get; } = name;

    public override string ToString() => Name;
}

/// <summary>Collects what a match visits (allocates: for semantic tests only).</summary>
internal struct CollectingVisitor() : ISubscriberVisitor<FakeSubscriber>
{
    public List<FakeSubscriber> Seen = [];

    public readonly void Visit(FakeSubscriber subscriber) => Seen.Add(subscriber);
}

/// <summary>Counts what a match visits, without allocating.</summary>
internal struct CountingVisitor : ISubscriberVisitor<FakeSubscriber>
{
    public int Seen;

    public void Visit(FakeSubscriber subscriber) => Seen++;
}

/// <summary>The topic → subscribers trie (libzmq's mtrie).</summary>
public class SubscriptionIndexTests
{
    private static readonly FakeSubscriber A = new("A"), B = new("B"), C = new("C");

    internal static string[] Match(SubscriptionIndex<FakeSubscriber> index, ReadOnlySpan<byte> data)
    {
        var visitor = new CollectingVisitor();
        int n = index.Match(data, ref visitor);
        Assert.Equal(n, visitor.Seen.Count);
        Assert.Equal(visitor.Seen.Count, visitor.Seen.Distinct().Count()); // each once
        return [.. visitor.Seen.Select(s => s.Name).Order()];
    }

    [Fact]
    public void Empty_MatchesNobody()
    {
        var index = new SubscriptionIndex<FakeSubscriber>();
        Assert.Empty(Match(index, "x"u8));
        Assert.Empty(Match(index, []));
        Assert.Equal(0, index.TopicCount);
        Assert.Equal(0, index.SubscriberCount);
        Assert.False(index.HasSubscribers([]));
    }

    [Fact]
    public void Match_FindsOnlySubscribersWithAPrefixTopic()
    {
        var index = new SubscriptionIndex<FakeSubscriber>();
        Assert.True(index.Add("news"u8, A));
        Assert.True(index.Add("weather"u8, B));
        Assert.True(index.Add("news.sport"u8, C));
        Assert.Equal(["A"], Match(index, "news.politics"u8));
        Assert.Equal(["A", "C"], Match(index, "news.sport.tennis"u8));
        Assert.Equal(["B"], Match(index, "weather"u8));
        Assert.Empty(Match(index, "new"u8));
        Assert.Empty(Match(index, "sport"u8));
        Assert.Equal(3, index.TopicCount);
        Assert.Equal(3, index.SubscriberCount);
        index.CheckInvariants();
    }

    [Fact]
    public void SubscriberWithSeveralMatchingTopics_IsVisitedOnce()
    {
        var index = new SubscriptionIndex<FakeSubscriber>();
        index.Add("a"u8, A);
        index.Add("ab"u8, A);
        index.Add([], A);
        index.Add("abc"u8, A);
        index.Add("ab"u8, B);
        Assert.Equal(["A", "B"], Match(index, "abc"u8));
        Assert.Equal(["A", "B"], Match(index, "abc"u8)); // and again on the next match
        Assert.Equal(["A"], Match(index, "a"u8));
        Assert.Equal(["A"], Match(index, "zzz"u8));
    }

    [Fact]
    public void EmptyTopic_MatchesEverything()
    {
        var index = new SubscriptionIndex<FakeSubscriber>();
        Assert.True(index.Add([], A));
        Assert.Equal(["A"], Match(index, []));
        Assert.Equal(["A"], Match(index, [0xFF]));
        Assert.True(index.HasSubscribers([]));
        Assert.Equal([[]], index.Topics.ToArray());
        Assert.True(index.Remove([], A));
        Assert.Empty(Match(index, [0xFF]));
        Assert.Equal(0, index.SubscriberCount);
    }

    [Fact]
    public void RepeatedAdd_IsANoOp_OneRemoveTakesIt()
    {
        var index = new SubscriptionIndex<FakeSubscriber>();
        Assert.True(index.Add("t"u8, A));
        Assert.False(index.Add("t"u8, A));
        Assert.Equal(1, index.CountSubscribers("t"u8));
        Assert.True(index.Remove("t"u8, A));
        Assert.False(index.Remove("t"u8, A));
        Assert.False(index.HasSubscribers("t"u8));
        Assert.Equal(1, index.NodeCount);
    }

    [Fact]
    public void Remove_OfUnknownTopicOrSubscriber_ChangesNothing()
    {
        var index = new SubscriptionIndex<FakeSubscriber>();
        index.Add("abc"u8, A);
        index.Add("abd"u8, A);
        int nodes = index.NodeCount;
        Assert.False(index.Remove("abc"u8, B)); // unknown subscriber
        Assert.False(index.Remove("ab"u8, A)); // branching node
        Assert.False(index.Remove("abcd"u8, A));
        Assert.False(index.Remove("x"u8, A));
        Assert.False(index.Remove([], A));
        Assert.Equal(0, index.RemoveAll(B));
        Assert.Equal(nodes, index.NodeCount);
        Assert.Equal(2, index.TopicCount);
        Assert.True(index.Contains("abc"u8, A));
        Assert.False(index.Contains("abc"u8, B));
        index.CheckInvariants();
    }

    [Fact]
    public void SubscribersOfOneTopic_AreCounted_AndTheTopicGoesWithTheLast()
    {
        var index = new SubscriptionIndex<FakeSubscriber>();
        index.Add("T"u8, A);
        index.Add("T"u8, B);
        Assert.Equal(2, index.CountSubscribers("T"u8));
        Assert.Equal(1, index.TopicCount);
        Assert.True(index.Remove("T"u8, A));
        Assert.True(index.HasSubscribers("T"u8));
        Assert.Equal(["B"], Match(index, "T1"u8));
        Assert.True(index.Remove("T"u8, B));
        Assert.False(index.HasSubscribers("T"u8));
        Assert.Equal(0, index.TopicCount);
    }

    [Fact]
    public void RemoveAll_DropsEveryTopicOfOneSubscriber_ReportingThoseNobodyHasLeft()
    {
        var index = new SubscriptionIndex<FakeSubscriber>();
        index.Add("a"u8, A);
        index.Add("ab"u8, A);
        index.Add([0x00, 0xFF], A);
        index.Add([], A);
        index.Add("ab"u8, B);
        var gone = new List<string>();
        Assert.Equal(4, index.RemoveAll(A, t => gone.Add(Convert.ToHexString(t))));
        Assert.Equal(["", "00FF", "61"], gone.Order());
        Assert.Equal(["B"], Match(index, "abc"u8));
        Assert.Empty(Match(index, "a"u8));
        Assert.Equal(1, index.TopicCount);
        Assert.Equal(1, index.SubscriberCount);
        Assert.Equal(0, index.RemoveAll(A));
        index.CheckInvariants();
        index.RemoveAll(B);
        Assert.Equal(1, index.NodeCount);
    }

    [Fact]
    public void ManySubscribersOnOneTopic_GoFromArrayToHashSetAndBack()
    {
        var index = new SubscriptionIndex<FakeSubscriber>();
        var subs = Enumerable.Range(0, 40).Select(i => new FakeSubscriber("s" + i)).ToArray();
        for (int n = 0; n < subs.Length; n++)
        {
            Assert.True(index.Add("t"u8, subs[n]));
            Assert.False(index.Add("t"u8, subs[n]));
            Assert.Equal(n + 1, index.CountSubscribers("t"u8));
            Assert.Equal(n + 1, Match(index, "topic"u8).Length);
            Assert.All(subs.Take(n + 1), s => Assert.True(index.Contains("t"u8, s)));
        }
        var left = subs.ToList();
        for (int i = 0; i < subs.Length; i++)
        {
            var gone = subs[i * 7 % subs.Length]; // 7 and 40 are coprime: every one, in a scattered order
            Assert.True(index.Remove("t"u8, gone));
            left.Remove(gone);
            Assert.Equal(left.Count, index.CountSubscribers("t"u8));
            Assert.Equal(left.Select(s => s.Name).Order(), Match(index, "t"u8));
        }
        Assert.Equal(1, index.NodeCount);
    }

    [Fact]
    public void SubscribersAreComparedByReference()
    {
        var index = new SubscriptionIndex<FakeSubscriber>();
        var twin = new FakeSubscriber("A");
        index.Add("t"u8, A);
        Assert.True(index.Add("t"u8, twin));
        Assert.Equal(2, index.CountSubscribers("t"u8));
        Assert.Equal(2, index.SubscriberCount);
    }

    [Fact]
    public void BinaryTopics_AndPrefixesOfEachOther()
    {
        var index = new SubscriptionIndex<FakeSubscriber>();
        index.Add([0xFF, 0x00, 0xFF], A);
        index.Add([0xFF], B);
        index.Add([0x00], C);
        index.Add([0xFF, 0x00], C);
        Assert.Equal(["A", "B", "C"], Match(index, [0xFF, 0x00, 0xFF, 0x00]));
        Assert.Equal(["B", "C"], Match(index, [0xFF, 0x00]));
        Assert.Equal(["B"], Match(index, [0xFF, 0x01]));
        Assert.Equal(["C"], Match(index, [0x00, 0xFF]));
        Assert.Equal([[0x00], [0xFF], [0xFF, 0x00], [0xFF, 0x00, 0xFF]], index.Topics.ToArray());
        index.CheckInvariants();
    }
}
