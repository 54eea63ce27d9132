namespace Zmq.Routing;

/// <summary>
/// A compressed (radix) byte-wise trie of topics, each node holding a <typeparamref name="TValue"/>;
/// the shared core of <see cref="Subscriptions"/> and <see cref="SubscriptionIndex{T}"/>. Walking
/// the path of a message costs O(min(data length, deepest topic)) and allocates nothing; finding a
/// child is a scan of at most 256 first bytes. Invariants: children of a node start with distinct
/// bytes (kept sorted, so enumeration is in byte order); a node other than the root with an empty
/// value has at least two children (anything else is pruned or merged by <see cref="Prune"/>).
/// Not thread-safe.
/// </summary>
internal sealed partial class PrefixTrie<TValue> where TValue : struct, ITrieValue
{
    private Node _root = new([], 0);

    /// <summary>The node of the empty topic: never pruned.</summary>
    public Node Root => _root;

    /// <summary>The node whose topic is exactly <paramref name="topic"/>, or null. Never allocates.</summary>
    public Node? Find(ReadOnlySpan<byte> topic)
    {
        var node = _root;
        while (node.End < topic.Length)
        {
            int i = node.IndexOf(topic[node.End]);
            if (i < 0) return null;
            var child = node.ChildAt(i);
            if (!LabelMatches(child, node.End, topic)) return null;
            node = child;
        }
        return node.End == topic.Length ? node : null;
    }

    /// <summary>
    /// The node of <paramref name="topic"/>, created (with an empty value) when missing, by adding a
    /// leaf and splitting at most one edge. Allocates only when the node is new.
    /// </summary>
    public Node GetOrAdd(ReadOnlySpan<byte> topic)
    {
        var node = _root;
        while (node.End < topic.Length)
        {
            int depth = node.End;
            int i = node.IndexOf(topic[depth]);
            if (i < 0)
            {
                var leaf = new Node(topic.ToArray(), topic.Length);
                node.Insert(topic[depth], leaf);
                return leaf;
            }
            var child = node.ChildAt(i);
            var label = child.Key.AsSpan(depth, child.End - depth);
            int common = label.CommonPrefixLength(topic[depth..]);
            if (common < label.Length)
            {
                // Split the edge: a new node for the common part, sharing the child's key bytes.
                var middle = new Node(child.Key, depth + common);
                middle.Insert(child.Key[depth + common], child);
                node.ReplaceAt(i, middle);
                if (middle.End == topic.Length) return middle;
                var leaf = new Node(topic.ToArray(), topic.Length);
                middle.Insert(topic[middle.End], leaf);
                return leaf;
            }
            node = child;
        }
        return node;
    }

    /// <summary>
    /// Call when the value of <paramref name="topic"/>'s node has become empty: the node is removed
    /// if it has no child (and a parent left with an empty value and one child is merged into that
    /// child), or merged into its only child. Never allocates; no-op for the root or a non-empty node.
    /// </summary>
    public void Prune(ReadOnlySpan<byte> topic)
    {
        Node? grandparent = null, parent = null;
        int parentIndex = -1, nodeIndex = -1;
        var node = _root;
        while (node.End < topic.Length)
        {
            int i = node.IndexOf(topic[node.End]);
            if (i < 0) return;
            var child = node.ChildAt(i);
            if (!LabelMatches(child, node.End, topic)) return;
            (grandparent, parent, parentIndex, nodeIndex, node) = (parent, node, nodeIndex, i, child);
        }
        if (parent is null || node.End != topic.Length || !node.Value.IsEmpty) return;
        if (node.ChildCount == 1)
        {
            parent.ReplaceAt(nodeIndex, node.ChildAt(0)); // the child's key already holds the whole path
        }
        else if (node.ChildCount == 0)
        {
            parent.RemoveAt(nodeIndex);
            if (grandparent is not null && parent.Value.IsEmpty && parent.ChildCount == 1)
                grandparent.ReplaceAt(parentIndex, parent.ChildAt(0));
        }
    }

    /// <summary>Walks the nodes whose topic is a prefix of <paramref name="data"/>, root first. Never allocates.</summary>
    public PathEnumerator Path(ReadOnlySpan<byte> data) => new(_root, data);

    /// <summary>Every node, depth first, children in byte order: topics come out sorted, the empty one first.</summary>
    public IEnumerable<Node> Nodes()
    {
        var stack = new Stack<Node>();
        stack.Push(_root);
        while (stack.TryPop(out var node))
        {
            yield return node;
            for (int i = node.ChildCount - 1; i >= 0; i--) stack.Push(node.ChildAt(i));
        }
    }

    /// <summary>Drops every node.</summary>
    public void Clear() => _root = new([], 0);

    /// <summary>For tests: throws when a structural invariant does not hold.</summary>
    internal void CheckInvariants()
    {
        foreach (var node in Nodes())
        {
            if (node != _root && node.Value.IsEmpty && node.ChildCount < 2)
                throw new InvalidOperationException($"unpruned node at depth {node.End} with {node.ChildCount} children");
            for (int i = 0; i < node.ChildCount; i++)
            {
                var child = node.ChildAt(i);
                if (child.End <= node.End || child.Key.Length < child.End)
                    throw new InvalidOperationException("child not deeper than its parent");
                if (!child.Key.AsSpan(0, node.End).SequenceEqual(node.Topic))
                    throw new InvalidOperationException("child path does not extend its parent's");
                if (node.FirstByteAt(i) != child.Key[node.End] || (i > 0 && node.FirstByteAt(i - 1) >= node.FirstByteAt(i)))
                    throw new InvalidOperationException("first bytes out of step or order");
            }
        }
    }

    /// <summary>True when <paramref name="data"/> continues, after <paramref name="depth"/>, with <paramref name="child"/>'s whole label.</summary>
    private static bool LabelMatches(Node child, int depth, ReadOnlySpan<byte> data) =>
        child.End <= data.Length && data[depth..child.End].SequenceEqual(child.Key.AsSpan(depth, child.End - depth));

    /// <summary>
    /// The nodes along a message's path: each node whose topic is a prefix of the data, root first,
    /// deeper ones after. <see cref="Visited"/> counts the nodes examined, at most data length + 1.
    /// </summary>
    internal ref struct PathEnumerator
    {
        private readonly ReadOnlySpan<byte> _data;
        private readonly Node _root;
        private Node? _current;
        private bool _done;

        /// <summary>Starts before the root.</summary>
        public PathEnumerator(Node root, ReadOnlySpan<byte> data)
        {
            _root = root;
            _data = data;
        }

        /// <summary>The node reached (valid after <see cref="MoveNext"/> returned true).</summary>
        public readonly Node Current => _current!;

        /// <summary>Nodes examined so far, including a last one whose label did not match.</summary>
        public int Visited { get; private set; }

        /// <summary>Steps to the next node on the path; false when the path ends.</summary>
        public bool MoveNext()
        {
            if (_done) return false;
            if (_current is null)
            {
                _current = _root;
                Visited = 1;
                return true;
            }
            int depth = _current.End;
            int i = depth < _data.Length ? _current.IndexOf(_data[depth]) : -1;
            if (i >= 0)
            {
                Visited++;
                var child = _current.ChildAt(i);
                if (LabelMatches(child, depth, _data))
                {
                    _current = child;
                    return true;
                }
            }
            _done = true;
            return false;
        }
    }
}
