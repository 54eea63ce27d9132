namespace Zmq.Routing;

/// <summary>What a <see cref="PrefixTrie{TValue}"/> keeps per node; a node whose value is empty holds no topic.</summary>
internal interface ITrieValue
{
    /// <summary>True when no topic ends at this node (the node only exists as a branching point, or is pruned).</summary>
    bool IsEmpty { get; }
}

internal sealed partial class PrefixTrie<TValue> where TValue : struct, ITrieValue
{
    /// <summary>
    /// One node of the compressed trie. Its full path from the root is <c>Key[..End]</c>; its edge
    /// label is the part of that path below its parent, <c>Key[parent.End..End]</c>. Nodes created
    /// by a split share the key array of the node they were split from, so splitting and merging
    /// never copy bytes. Key arrays are never written after creation.
    /// </summary>
    internal sealed class Node
    {
        /// <summary>An array whose first <see cref="End"/> bytes are this node's full path (it may be longer: shared with a descendant).</summary>
        public byte[] Key;

        /// <summary>Length of this node's full path, i.e. its depth in bytes.</summary>
        public int End;

        /// <summary>What is stored for the topic ending here (empty: no such topic).</summary>
        public TValue Value;

        /// <summary>The first label byte of each child, sorted ascending, in step with <see cref="_children"/> (null when there are none).</summary>
        private byte[]? _firstBytes;

        /// <summary>The children, in the order of <see cref="_firstBytes"/> (null when there are none).</summary>
        private Node[]? _children;

        /// <summary>Creates a node whose full path is <c>key[..end]</c>, without value or children.</summary>
        public Node(byte[] key, int end)
        {
            Key = key;
            End = end;
        }

        /// <summary>Number of children (at most 256: one per first byte).</summary>
        public int ChildCount { get; private set; }

        /// <summary>This node's full path from the root: the topic it stands for.</summary>
        public ReadOnlySpan<byte> Topic => Key.AsSpan(0, End);

        /// <summary>The child at <paramref name="index"/> (0 to <see cref="ChildCount"/> - 1).</summary>
        public Node ChildAt(int index) => _children![index];

        /// <summary>
        /// The index of the child whose label starts with <paramref name="b"/>, or -1. A vectorized
        /// scan of at most 256 bytes: bounded, whatever the number of topics.
        /// </summary>
        public int IndexOf(byte b) => ChildCount == 0 ? -1 : _firstBytes.AsSpan(0, ChildCount).IndexOf(b);

        /// <summary>Replaces the child at <paramref name="index"/> with one whose label starts with the same byte.</summary>
        public void ReplaceAt(int index, Node child) => _children![index] = child;

        /// <summary>Adds a child whose label starts with <paramref name="first"/> (no child may start with it yet), keeping the order.</summary>
        public void Insert(byte first, Node child)
        {
            int n = ChildCount;
            if (_children is null || n == _children.Length)
            {
                int capacity = Math.Min(256, Math.Max(2, n * 2));
                Array.Resize(ref _children, capacity);
                Array.Resize(ref _firstBytes, capacity);
            }
            int at = ~_firstBytes.AsSpan(0, n).BinarySearch(first);
            Array.Copy(_firstBytes!, at, _firstBytes!, at + 1, n - at);
            Array.Copy(_children, at, _children, at + 1, n - at);
            _firstBytes![at] = first;
            _children[at] = child;
            ChildCount = n + 1;
        }

        /// <summary>Removes the child at <paramref name="index"/>; the arrays are released when the last child goes. Never allocates.</summary>
        public void RemoveAt(int index)
        {
            int n = ChildCount - 1;
            if (n == 0)
            {
                _children = null;
                _firstBytes = null;
                ChildCount = 0;
                return;
            }
            Array.Copy(_firstBytes!, index + 1, _firstBytes!, index, n - index);
            Array.Copy(_children!, index + 1, _children!, index, n - index);
            _children![n] = null!;
            ChildCount = n;
        }

        /// <summary>The first label byte of the child at <paramref name="index"/> (for invariant checks).</summary>
        public byte FirstByteAt(int index) => _firstBytes![index];
    }
}
