namespace Zmq.Routing;

/// <summary>
/// A small set of object references, compared by reference, sized for the common case of one or
/// a few items: nothing, then the single item itself, then a small array, then a
/// <see cref="HashSet{T}"/> beyond <see cref="ArrayMax"/> items. Removing never allocates (a hash
/// set is kept until one item is left). A mutable struct: use it only as a field, never copy it.
/// <typeparamref name="TItem"/> must be neither an array nor a hash set type (the representation
/// is told apart by type).
/// </summary>
internal struct CompactSet<TItem> where TItem : class
{
    /// <summary>Largest number of items kept in an array; one more switches to a hash set.</summary>
    public const int ArrayMax = 8;

    /// <summary>null (empty), the item (one), a TItem[] (2 to <see cref="ArrayMax"/>, first Count used) or a HashSet.</summary>
    private object? _items;
    private int _count;

    /// <summary>Number of items.</summary>
    public readonly int Count => _count;

    /// <summary>True when <paramref name="item"/> is in the set.</summary>
    public readonly bool Contains(TItem item) => _count switch
    {
        0 => false,
        1 => ReferenceEquals(_items, item),
        _ => _items is HashSet<TItem> set ? set.Contains(item) : Array.IndexOf((TItem[])_items!, item, 0, _count) >= 0,
    };

    /// <summary>Adds <paramref name="item"/>; false (and no allocation) when it is already there.</summary>
    public bool Add(TItem item)
    {
        if (_count == 0)
        {
            _items = item;
        }
        else if (_count == 1)
        {
            if (ReferenceEquals(_items, item)) return false;
            _items = new TItem[] { (TItem)_items!, item, null!, null! };
        }
        else if (_items is HashSet<TItem> set)
        {
            if (!set.Add(item)) return false;
        }
        else
        {
            var array = (TItem[])_items!;
            if (Array.IndexOf(array, item, 0, _count) >= 0) return false;
            if (_count < array.Length)
            {
                array[_count] = item;
            }
            else if (_count < ArrayMax)
            {
                Array.Resize(ref array, ArrayMax);
                array[_count] = item;
                _items = array;
            }
            else
            {
                _items = new HashSet<TItem>(array, ReferenceEqualityComparer.Instance) { item };
            }
        }
        _count++;
        return true;
    }

    /// <summary>Removes <paramref name="item"/>; false when it was not there. Never allocates.</summary>
    public bool Remove(TItem item)
    {
        if (_count == 0) return false;
        if (_count == 1)
        {
            if (!ReferenceEquals(_items, item)) return false;
            _items = null;
        }
        else if (_items is HashSet<TItem> set)
        {
            if (!set.Remove(item)) return false;
            if (set.Count == 1)
            {
                foreach (var last in set) _items = last;
            }
        }
        else
        {
            var array = (TItem[])_items!;
            int at = Array.IndexOf(array, item, 0, _count);
            if (at < 0) return false;
            int lastIndex = _count - 1;
            array[at] = array[lastIndex]; // order does not matter
            array[lastIndex] = null!;
            if (lastIndex == 1) _items = array[0];
        }
        _count--;
        return true;
    }

    /// <summary>Empties the set.</summary>
    public void Clear()
    {
        _items = null;
        _count = 0;
    }

    /// <summary>An allocation-free enumerator; the set must not change while it is used.</summary>
    public readonly Enumerator GetEnumerator() => new(_items, _count);

    /// <summary>Enumerates a <see cref="CompactSet{TItem}"/> without allocating.</summary>
    public struct Enumerator
    {
        private readonly object? _items;
        private readonly int _count;
        private readonly bool _hashed;
        private HashSet<TItem>.Enumerator _set;
        private int _index;
        private TItem? _current;

        internal Enumerator(object? items, int count)
        {
            _items = items;
            _count = count;
            _index = -1;
            _current = null;
            _hashed = count > 1 && items is HashSet<TItem>;
            _set = _hashed ? ((HashSet<TItem>)items!).GetEnumerator() : default;
        }

        /// <summary>The current item.</summary>
        public readonly TItem Current => _current!;

        /// <summary>Steps to the next item.</summary>
        public bool MoveNext()
        {
            if (_hashed)
            {
                if (!_set.MoveNext()) return false;
                _current = _set.Current;
                return true;
            }
            if (++_index >= _count) return false;
            _current = _count == 1 ? (TItem)_items! : ((TItem[])_items!)[_index];
            return true;
        }
    }
}
