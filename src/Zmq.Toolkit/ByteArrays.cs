namespace Zmq.Toolkit;

/// <summary>Byte arrays compared by content (routing ids as dictionary keys).</summary>
internal static class ByteArrays
{
    public static readonly IEqualityComparer<byte[]> Comparer = new ContentComparer();

    private sealed class ContentComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var h = new HashCode();
            h.AddBytes(obj);
            return h.ToHashCode();
        }
    }
}
