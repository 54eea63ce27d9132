namespace Zmq.Routing;

/// <summary>Receives the subscribers <see cref="SubscriptionIndex{T}.Match"/> finds.</summary>
internal interface ISubscriberVisitor<in T> where T : class
{
    /// <summary>Called once per matching subscriber.</summary>
    void Visit(T subscriber);
}

/// <summary>Receives a topic (valid only during the call) that no subscriber has any more.</summary>
internal delegate void TopicGone(ReadOnlySpan<byte> topic);

/// <summary>
/// Topics mapped to the subscribers that subscribed to them (libzmq's mtrie), in a compressed
/// byte-wise trie, so a publisher finds every subscriber with a topic that is a prefix of a
/// message in O(min(data length, deepest topic) + matches), never looking at the others. A
/// subscriber has a topic at most once (a set, not counts). Subscribers are compared by reference.
/// Each subscriber gets a small record (its topics, for <see cref="RemoveAll"/>, and a mark that
/// deduplicates a match), so <typeparamref name="T"/> needs no special interface. Not thread-safe;
/// the index must not be changed from inside <see cref="Match"/>'s visitor.
/// </summary>
internal sealed class SubscriptionIndex<T> where T : class
{
    private readonly PrefixTrie<Subscribers> _trie = new();
    private readonly Dictionary<T, Entry> _entries = new(ReferenceEqualityComparer.Instance);
    private long _epoch;
    private int _topicCount;

    /// <summary>Number of topics with at least one subscriber.</summary>
    public int TopicCount => _topicCount;

    /// <summary>Number of subscribers with at least one topic.</summary>
    public int SubscriberCount => _entries.Count;

    /// <summary>Gives <paramref name="subscriber"/> <paramref name="topic"/>; false (and no allocation) when it had it already.</summary>
    public bool Add(ReadOnlySpan<byte> topic, T subscriber)
    {
        if (!_entries.TryGetValue(subscriber, out var entry)) _entries.Add(subscriber, entry = new Entry(subscriber));
        var node = _trie.GetOrAdd(topic);
        if (!node.Value.Set.Add(entry)) return false;
        entry.Topics.Add(node);
        if (node.Value.Set.Count == 1) _topicCount++;
        return true;
    }

    /// <summary>Takes <paramref name="topic"/> from <paramref name="subscriber"/>; false when it did not have it. Never allocates.</summary>
    public bool Remove(ReadOnlySpan<byte> topic, T subscriber)
    {
        if (!_entries.TryGetValue(subscriber, out var entry)) return false;
        var node = _trie.Find(topic);
        if (node is null || !node.Value.Set.Remove(entry)) return false;
        entry.Topics.Remove(node);
        if (entry.Topics.Count == 0) _entries.Remove(subscriber);
        if (node.Value.Set.Count == 0)
        {
            _topicCount--;
            _trie.Prune(topic);
        }
        return true;
    }

    /// <summary>
    /// Drops every topic of <paramref name="subscriber"/> (it left), in O(its topics × topic
    /// length); <paramref name="gone"/> hears each topic that no subscriber has any more (it must
    /// not change the index). Returns the number of topics the subscriber had.
    /// </summary>
    public int RemoveAll(T subscriber, TopicGone? gone = null)
    {
        if (!_entries.Remove(subscriber, out var entry)) return 0;
        int removed = entry.Topics.Count;
        foreach (var node in entry.Topics)
        {
            // Nodes holding a subscriber are never pruned or replaced, so the others stay valid.
            node.Value.Set.Remove(entry);
            if (node.Value.Set.Count > 0) continue;
            _topicCount--;
            gone?.Invoke(node.Topic);
            _trie.Prune(node.Topic);
        }
        entry.Topics.Clear();
        return removed;
    }

    /// <summary>True when <paramref name="subscriber"/> has exactly <paramref name="topic"/>.</summary>
    public bool Contains(ReadOnlySpan<byte> topic, T subscriber) =>
        _entries.TryGetValue(subscriber, out var entry) && _trie.Find(topic) is { } node && node.Value.Set.Contains(entry);

    /// <summary>True when some subscriber has exactly <paramref name="topic"/>.</summary>
    public bool HasSubscribers(ReadOnlySpan<byte> topic) => CountSubscribers(topic) > 0;

    /// <summary>Number of subscribers having exactly <paramref name="topic"/>.</summary>
    public int CountSubscribers(ReadOnlySpan<byte> topic) => _trie.Find(topic)?.Value.Set.Count ?? 0;

    /// <summary>
    /// Calls <paramref name="visitor"/> once for each subscriber having a topic that is a prefix of
    /// <paramref name="data"/> (once even when several of its topics are). Returns how many were
    /// visited. Never allocates (with a struct visitor).
    /// </summary>
    public int Match<TVisitor>(ReadOnlySpan<byte> data, ref TVisitor visitor)
        where TVisitor : ISubscriberVisitor<T>, allows ref struct
    {
        long epoch = ++_epoch;
        int visited = 0;
        var path = _trie.Path(data);
        while (path.MoveNext())
        {
            foreach (var entry in path.Current.Value.Set)
            {
                if (entry.Mark == epoch) continue;
                entry.Mark = epoch;
                visited++;
                visitor.Visit(entry.Subscriber);
            }
        }
        return visited;
    }

    /// <summary>Every topic with at least one subscriber (a fresh copy each), in byte order, the empty one first.</summary>
    public IEnumerable<byte[]> Topics
    {
        get
        {
            foreach (var node in _trie.Nodes())
                if (node.Value.Set.Count > 0) yield return node.Topic.ToArray();
        }
    }

    /// <summary>For tests: the trie nodes a <see cref="Match"/> of <paramref name="data"/> examines.</summary>
    internal int CountVisited(ReadOnlySpan<byte> data)
    {
        var path = _trie.Path(data);
        while (path.MoveNext()) { }
        return path.Visited;
    }

    /// <summary>For tests: the number of trie nodes, the root included.</summary>
    internal int NodeCount => _trie.Nodes().Count();

    /// <summary>For tests: throws when the trie's structure is inconsistent.</summary>
    internal void CheckInvariants() => _trie.CheckInvariants();

    /// <summary>One subscriber's record: its topics' nodes and the epoch of the last match that visited it.</summary>
    private sealed class Entry(T subscriber)
    {
        public readonly T Subscriber = subscriber;
        public CompactSet<PrefixTrie<Subscribers>.Node> Topics;
        public long Mark;
    }

    /// <summary>The subscribers of one topic.</summary>
    private struct Subscribers : ITrieValue
    {
        public CompactSet<Entry> Set;

        public readonly bool IsEmpty => Set.Count == 0;
    }
}
