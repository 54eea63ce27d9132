using Zmq.Routing;

namespace Zmq.Tests.Routing;

public class SubscriptionsTests
{
    [Fact]
    public void Empty_MatchesNothing()
    {
        var s = new Subscriptions();
        Assert.False(s.Matches("anything"u8));
        Assert.False(s.Matches([]));
        Assert.Equal(0, s.Count);
    }

    [Fact]
    public void Prefix_MatchesBinaryPrefixOfFirstFrame()
    {
        var s = new Subscriptions();
        Assert.True(s.Add("AB"u8));
        Assert.True(s.Matches("AB"u8));
        Assert.True(s.Matches("ABC"u8));
        Assert.False(s.Matches("A"u8));
        Assert.False(s.Matches("ab"u8)); // binary, case-sensitive
        Assert.False(s.Matches("XAB"u8));
        Assert.False(s.Matches([]));
    }

    [Fact]
    public void BinaryTopicsWithZeroBytes()
    {
        var s = new Subscriptions();
        s.Add([0, 1, 0]);
        Assert.True(s.Matches([0, 1, 0, 9]));
        Assert.False(s.Matches([0, 1, 1]));
    }

    [Fact]
    public void EmptyTopic_MatchesEverything()
    {
        var s = new Subscriptions();
        Assert.True(s.Add([]));
        Assert.True(s.Matches([]));
        Assert.True(s.Matches("x"u8));
        Assert.True(s.Contains([]));
        Assert.Equal(1, s.Count);
        Assert.Equal([[]], s.Topics.ToArray());
    }

    [Fact]
    public void Add_CountsReferences_RemoveReportsTheLastOne()
    {
        var s = new Subscriptions();
        Assert.True(s.Add("A"u8));
        Assert.False(s.Add("A"u8));
        Assert.False(s.Add("A"u8));
        Assert.Equal(1, s.Count);
        Assert.False(s.Remove("A"u8));
        Assert.False(s.Remove("A"u8));
        Assert.True(s.Matches("A1"u8));
        Assert.True(s.Remove("A"u8));
        Assert.False(s.Matches("A1"u8));
        Assert.False(s.Remove("A"u8)); // unknown: nothing to remove
        Assert.Equal(0, s.Count);
    }

    [Fact]
    public void EmptyTopic_IsCountedToo()
    {
        var s = new Subscriptions();
        Assert.True(s.Add([]));
        Assert.False(s.Add([]));
        Assert.False(s.Remove([]));
        Assert.True(s.Matches("x"u8));
        Assert.True(s.Remove([]));
        Assert.False(s.Matches("x"u8));
        Assert.False(s.Remove([]));
    }

    [Fact]
    public void RemoveAll_DropsEveryReference()
    {
        var s = new Subscriptions();
        s.Add("A"u8);
        s.Add("A"u8);
        s.Add([]);
        s.Add([]);
        Assert.True(s.Remove("A"u8, all: true));
        Assert.True(s.Remove([], all: true));
        Assert.Equal(0, s.Count);
    }

    [Fact]
    public void SeveralTopics_AnyMatches()
    {
        var s = new Subscriptions();
        s.Add("weather."u8);
        s.Add("news"u8);
        Assert.True(s.Matches("weather.paris"u8));
        Assert.True(s.Matches("news"u8));
        Assert.False(s.Matches("sport"u8));
        Assert.True(s.Contains("news"u8));
        Assert.False(s.Contains("new"u8)); // Contains is exact, Matches is prefix
        Assert.Equal(2, s.Count);
        Assert.Equal(2, s.Topics.Count());
    }

    [Fact]
    public void Clear_ForgetsEverything()
    {
        var s = new Subscriptions();
        s.Add("A"u8);
        s.Add([]);
        s.Clear();
        Assert.Equal(0, s.Count);
        Assert.False(s.Matches("A"u8));
        Assert.True(s.Add([])); // the empty topic counts from zero again
        Assert.True(s.Remove([]));
    }

    [Fact]
    public void Add_CopiesTheTopic()
    {
        var s = new Subscriptions();
        var topic = "T"u8.ToArray();
        s.Add(topic);
        topic[0] = (byte)'X';
        Assert.True(s.Matches("T"u8));
        Assert.False(s.Matches("X"u8));
    }
}

/// <summary>The trie behind <see cref="Subscriptions"/>: prefixes of each other, binary bytes, order, pruning.</summary>
public class SubscriptionsTrieTests
{
    [Fact]
    public void TopicsThatArePrefixesOfEachOther_MatchIndependently()
    {
        var s = new Subscriptions();
        s.Add("abc"u8);
        Assert.False(s.Matches("ab"u8));
        s.Add("a"u8); // splits the "abc" edge
        s.Add("abcde"u8);
        s.CheckInvariants();
        Assert.True(s.Matches("ab"u8));
        Assert.True(s.Contains("abc"u8));
        Assert.False(s.Contains("ab"u8));
        Assert.False(s.Contains("abcd"u8));
        Assert.True(s.Remove("a"u8));
        Assert.False(s.Matches("ab"u8));
        Assert.True(s.Matches("abcd"u8));
        Assert.True(s.Remove("abc"u8));
        Assert.False(s.Matches("abcd"u8));
        Assert.True(s.Matches("abcdef"u8));
        Assert.Equal(["abcde"u8.ToArray()], s.Topics);
        s.CheckInvariants();
        Assert.Equal(2, s.NodeCount); // root + one leaf: the emptied nodes were pruned or merged
    }

    [Fact]
    public void SplitInTheMiddleOfAnEdge_WithoutATopicThere()
    {
        var s = new Subscriptions();
        s.Add("abcd"u8);
        s.Add("abxy"u8); // a branching node "ab" that is no topic
        s.CheckInvariants();
        Assert.Equal(4, s.NodeCount);
        Assert.False(s.Contains("ab"u8));
        Assert.False(s.Matches("ab"u8));
        Assert.False(s.Matches("abz"u8));
        Assert.True(s.Matches("abxyz"u8));
        Assert.False(s.Remove("ab"u8)); // a branching node is not a topic
        Assert.True(s.Remove("abcd"u8));
        Assert.Equal(2, s.NodeCount); // "ab" merged into "abxy"
        s.CheckInvariants();
        Assert.True(s.Matches("abxy"u8));
        Assert.False(s.Matches("abcd"u8));
    }

    [Fact]
    public void ZeroAndFfBytes_AreOrdinaryBytes()
    {
        var s = new Subscriptions();
        s.Add([0x00]);
        s.Add([0xFF, 0x00]);
        s.Add([0x00, 0x00, 0xFF]);
        Assert.True(s.Matches([0x00]));
        Assert.True(s.Matches([0x00, 0x01]));
        Assert.False(s.Matches([0xFF]));
        Assert.True(s.Matches([0xFF, 0x00, 0x00]));
        Assert.False(s.Matches([0xFF, 0xFF]));
        Assert.False(s.Matches([0x01]));
        Assert.True(s.Contains([0x00, 0x00, 0xFF]));
        Assert.Equal([[0x00], [0x00, 0x00, 0xFF], [0xFF, 0x00]], s.Topics.ToArray());
        s.CheckInvariants();
    }

    [Fact]
    public void Topics_AreInByteOrder_EmptyFirst_AndCopies()
    {
        var s = new Subscriptions();
        foreach (var t in new[] { "b", "ab", "a", "", "abc", "\u007f" }) s.Add(System.Text.Encoding.ASCII.GetBytes(t));
        var topics = s.Topics.ToArray();
        Assert.Equal(["", "a", "ab", "abc", "b", "\u007f"], topics.Select(t => System.Text.Encoding.ASCII.GetString(t)));
        Assert.Empty(topics[0]);
        topics[2][0] = (byte)'z'; // changing a returned topic changes nothing inside
        Assert.True(s.Contains("ab"u8));
        Assert.False(s.Contains("zb"u8));
    }

    [Fact]
    public void RemoveOfUnknownTopics_ChangesNothing()
    {
        var s = new Subscriptions();
        s.Add("abc"u8);
        s.Add("abd"u8);
        int nodes = s.NodeCount;
        Assert.False(s.Remove("x"u8));
        Assert.False(s.Remove("ab"u8)); // a branching node
        Assert.False(s.Remove("abcd"u8)); // longer than a topic
        Assert.False(s.Remove("abe"u8));
        Assert.False(s.Remove("a"u8)); // inside an edge
        Assert.False(s.Remove([], all: true));
        Assert.Equal(2, s.Count);
        Assert.Equal(nodes, s.NodeCount);
        s.CheckInvariants();
    }

    [Fact]
    public void Churn_PrunesBackToTheRoot()
    {
        var s = new Subscriptions();
        var random = new Random(7);
        for (int round = 0; round < 50; round++)
        {
            var topics = Enumerable.Range(0, 200).Select(_ => RandomTopic(random)).ToArray();
            foreach (var t in topics) s.Add(t);
            s.CheckInvariants();
            foreach (var t in topics) s.Remove(t);
            Assert.Equal(0, s.Count);
            Assert.Equal(1, s.NodeCount);
        }
    }

    [Fact]
    public void NodeCount_StaysBelowTwicePerTopic()
    {
        var s = new Subscriptions();
        var random = new Random(3);
        for (int i = 0; i < 5000; i++) s.Add(RandomTopic(random));
        s.CheckInvariants();
        Assert.True(s.NodeCount <= 2 * s.Count + 1, $"{s.NodeCount} nodes for {s.Count} topics");
    }

    [Fact]
    public void Clear_ThenReuse()
    {
        var s = new Subscriptions();
        s.Add("abc"u8);
        s.Add("abd"u8);
        s.Clear();
        Assert.Equal(1, s.NodeCount);
        Assert.False(s.Matches("abc"u8));
        Assert.True(s.Add("abc"u8));
        Assert.True(s.Matches("abcd"u8));
    }

    internal static byte[] RandomTopic(Random random)
    {
        var t = new byte[random.Next(1, 8)];
        for (int i = 0; i < t.Length; i++) t[i] = (byte)(random.Next(0, 4) switch { 0 => 0x00, 1 => 0xFF, 2 => 'a', _ => random.Next(256) });
        return t;
    }
}
