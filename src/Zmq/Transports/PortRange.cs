using System.Globalization;

namespace Zmq.Transports;

/// <summary>
/// CZMQ's port forms for a tcp bind (zsock_bind): <c>*[first-last]</c> takes the first free port
/// of the range, <c>!</c> and <c>![first-last]</c> a free one from a random start (then in order,
/// wrapping round), as CZMQ does. Either end may be left out: first defaults to 49152 and last to
/// 65535, IANA's dynamic range (on Linux it overlaps the kernel's ephemeral range, 32768-60999, so
/// a port there may be taken by an outgoing connection meanwhile). A bare <c>*</c> is not a range:
/// it stays an OS-assigned port, as in libzmq.
/// </summary>
internal readonly record struct PortRange(string Host, int First, int Last, bool Random)
{
    public const int DynamicFirst = 49152;
    public const int DynamicLast = 65535;

    /// <summary>
    /// Reads the range of <paramref name="address"/> (what follows <c>tcp://</c>); false when its port
    /// is not one of the range forms (a number, or a bare <c>*</c>).
    /// </summary>
    /// <exception cref="ZmqException"><see cref="ZmqError.InvalidEndpoint"/> for a malformed or empty range.</exception>
    public static bool TryParse(string address, string endpoint, SocketType type, out PortRange range)
    {
        range = default;
        int colon = address.LastIndexOf(':');
        if (colon < 0) return false;
        var spec = address.AsSpan(colon + 1);
        if (spec.Length == 0 || (spec[0] != '*' && spec[0] != '!') || spec is "*") return false;
        bool random = spec[0] == '!';
        var rest = spec[1..];
        int first = DynamicFirst, last = DynamicLast;
        if (rest.Length > 0)
        {
            int dash = rest.IndexOf('-');
            if (rest[0] != '[' || rest[^1] != ']' || dash < 0)
                throw Invalid(endpoint, type, "a port range is [first-last], either end optional, e.g. *[60000-] or ![55000-55999]");
            var a = rest[1..dash];
            var b = rest[(dash + 1)..^1];
            if ((a.Length > 0 && !TryPort(a, out first)) || (b.Length > 0 && !TryPort(b, out last)))
                throw Invalid(endpoint, type, "a port range's ends are ports from 1 to 65535");
        }
        if (first > last) throw Invalid(endpoint, type, $"the port range {first}-{last} is empty");
        range = new PortRange(address[..colon], first, last, random);
        return true;
    }

    /// <summary>The ports to try, in order: all of the range, once each.</summary>
    public IEnumerable<int> Candidates()
    {
        int count = Last - First + 1;
        int port = Random ? First + System.Random.Shared.Next(count) : First;
        for (int i = 0; i < count; i++)
        {
            yield return port;
            port = port == Last ? First : port + 1;
        }
    }

    public override string ToString() => $"{(Random ? '!' : '*')}[{First}-{Last}]";

    private static bool TryPort(ReadOnlySpan<char> text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    private static ZmqException Invalid(string endpoint, SocketType type, string why) =>
        new(ZmqError.InvalidEndpoint, why, type, endpoint);
}
