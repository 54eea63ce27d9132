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
