namespace Zmq.Routing;

/// <summary>
/// A set of topic prefixes with reference counts, matched by binary prefix against a message's
/// first frame. An empty topic matches everything.
/// </summary>
internal sealed class Subscriptions
{
    private readonly List<(byte[] Topic, int Count)> _topics = [];
    private bool _all;
    private int _allCount;

    public int Count => _topics.Count + (_all ? 1 : 0);

    /// <summary>Adds a reference; true when the topic is new.</summary>
    public bool Add(ReadOnlySpan<byte> topic)
    {
        if (topic.IsEmpty)
        {
            _allCount++;
            return !_all && (_all = true);
        }
        for (int i = 0; i < _topics.Count; i++)
        {
            if (_topics[i].Topic.AsSpan().SequenceEqual(topic))
            {
                _topics[i] = (_topics[i].Topic, _topics[i].Count + 1);
                return false;
            }
        }
        _topics.Add((topic.ToArray(), 1));
        return true;
    }

    /// <summary>Removes a reference (or every reference with <paramref name="all"/>); true when the topic is gone.</summary>
    public bool Remove(ReadOnlySpan<byte> topic, bool all = false)
    {
        if (topic.IsEmpty)
        {
            if (!_all) return false;
            _allCount = all ? 0 : _allCount - 1;
            if (_allCount > 0) return false;
            _all = false;
            return true;
        }
        for (int i = 0; i < _topics.Count; i++)
        {
            if (_topics[i].Topic.AsSpan().SequenceEqual(topic))
            {
                int left = all ? 0 : _topics[i].Count - 1;
                if (left > 0)
                {
                    _topics[i] = (_topics[i].Topic, left);
                    return false;
                }
                _topics.RemoveAt(i);
                return true;
            }
        }
        return false;
    }

    public bool Contains(ReadOnlySpan<byte> topic)
    {
        if (topic.IsEmpty) return _all;
        foreach (var (t, _) in _topics)
            if (t.AsSpan().SequenceEqual(topic)) return true;
        return false;
    }

    public bool Matches(ReadOnlySpan<byte> data)
    {
        if (_all) return true;
        foreach (var (topic, _) in _topics)
        {
            if (data.StartsWith(topic)) return true;
        }
        return false;
    }

    public IEnumerable<byte[]> Topics
    {
        get
        {
            if (_all) yield return [];
            foreach (var (topic, _) in _topics) yield return topic;
        }
    }

    public void Clear()
    {
        _topics.Clear();
        _all = false;
        _allCount = 0;
    }
}
