namespace Zmq.Routing;

/// <summary>
/// A set of topic prefixes with reference counts, matched by binary prefix against a message's
/// first frame. An empty topic matches everything. Kept in a compressed byte-wise trie
/// (<see cref="PrefixTrie{TValue}"/>): <see cref="Matches"/> costs O(min(data length, deepest
/// topic)) whatever the number of topics, and neither it, nor <see cref="Add"/> of a known topic,
/// nor <see cref="Remove"/> allocates. Removing the last reference prunes the trie. Not thread-safe.
/// </summary>
internal sealed class Subscriptions
{
    private readonly PrefixTrie<RefCount> _trie = new();
    private int _count;

    /// <summary>Number of distinct topics (the empty one included).</summary>
    public int Count => _count;

    /// <summary>Adds a reference; true when the topic is new.</summary>
    public bool Add(ReadOnlySpan<byte> topic)
    {
        var node = _trie.GetOrAdd(topic);
        if (node.Value.Count++ > 0) return false;
        _count++;
        return true;
    }

    /// <summary>Removes a reference (or every reference with <paramref name="all"/>); true when the topic is gone.</summary>
    public bool Remove(ReadOnlySpan<byte> topic, bool all = false)
    {
        var node = _trie.Find(topic);
        if (node is null || node.Value.Count == 0) return false;
        node.Value.Count = all ? 0 : node.Value.Count - 1;
        if (node.Value.Count > 0) return false;
        _count--;
        _trie.Prune(topic);
        return true;
    }

    /// <summary>True when <paramref name="topic"/> itself is a subscription (exact, not prefix).</summary>
    public bool Contains(ReadOnlySpan<byte> topic) => _trie.Find(topic) is { Value.Count: > 0 };

    /// <summary>True when a subscription is a prefix of <paramref name="data"/>. Never allocates.</summary>
    public bool Matches(ReadOnlySpan<byte> data)
    {
        var path = _trie.Path(data);
        while (path.MoveNext())
        {
            if (path.Current.Value.Count > 0) return true;
        }
        return false;
    }

    /// <summary>Every topic (a fresh copy each), in byte order: the empty one first if present.</summary>
    public IEnumerable<byte[]> Topics
    {
        get
        {
            foreach (var node in _trie.Nodes())
                if (node.Value.Count > 0) yield return node.Topic.ToArray();
        }
    }

    /// <summary>Drops every topic.</summary>
    public void Clear()
    {
        _trie.Clear();
        _count = 0;
    }

    /// <summary>For tests: the trie nodes a <see cref="Matches"/> of <paramref name="data"/> examines when nothing matches early.</summary>
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

    /// <summary>A topic's reference count (0: no such topic).</summary>
    private struct RefCount : ITrieValue
    {
        public int Count;

        public readonly bool IsEmpty => Count == 0;
    }
}
