using Zmq.Wire;
using System.Text;
using Zmq.Engine;

namespace Zmq.Tests.Engine;

public class MetadataTests
{
    private static List<KeyValuePair<string, byte[]>> Props(params (string, string)[] p) =>
        p.Select(x => new KeyValuePair<string, byte[]>(x.Item1, Encoding.ASCII.GetBytes(x.Item2))).ToList();

    [Fact]
    public void Write_MatchesTheWireLayout()
    {
        var props = Props(("Socket-Type", "DEALER"), ("Identity", ""));
        var buf = new byte[Metadata.Size(props)];
        Assert.Equal(buf.Length, Metadata.Write(buf, props));
        byte[] expected =
        [
            0x0B, .. "Socket-Type"u8, 0, 0, 0, 6, .. "DEALER"u8,
            0x08, .. "Identity"u8, 0, 0, 0, 0,
        ];
        Assert.Equal(expected, buf);
    }

    [Fact]
    public void RoundTrip_PreservesNamesAndValues()
    {
        var big = new byte[70_000];
        new Random(1).NextBytes(big);
        var props = new List<KeyValuePair<string, byte[]>>
        {
            new("Socket-Type", "ROUTER"u8.ToArray()),
            new("Identity", [0, 1, 2, 255]),
            new("X-Empty", []),
            new("X-Big", big),
            new("a.b_c-d+e", "v"u8.ToArray()),
            new(new string('n', 255), "max name"u8.ToArray()),
        };
        var buf = new byte[Metadata.Size(props)];
        Metadata.Write(buf, props);
        var parsed = Metadata.Parse(buf);
        Assert.NotNull(parsed);
        Assert.Equal(props.Count, parsed.Count);
        foreach (var p in props) Assert.Equal(p.Value, parsed[p.Key]);
    }

    [Fact]
    public void Parse_EmptyIsAnEmptyList()
    {
        var parsed = Metadata.Parse([]);
        Assert.NotNull(parsed);
        Assert.Empty(parsed);
    }

    [Fact]
    public void Parse_NamesAreCaseSensitiveAsLibzmqComparesThem()
    {
        var parsed = Metadata.Parse([0x0B, .. "socket-type"u8, 0, 0, 0, 3, .. "PUB"u8])!;
        Assert.False(parsed.ContainsKey("Socket-Type"));
        Assert.True(parsed.ContainsKey("socket-type"));
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "zero-length name", [0x00, 0, 0, 0, 0] },
        { "name longer than the data", [0x05, (byte)'a', (byte)'b'] },
        { "missing value length", [0x01, (byte)'a', 0, 0] },
        { "value longer than the data", [0x01, (byte)'a', 0, 0, 0, 5, 1, 2] },
        { "value length near 2^32", [0x01, (byte)'a', 0xFF, 0xFF, 0xFF, 0xFF, 1] },
        { "space in name", [0x02, (byte)'a', (byte)' ', 0, 0, 0, 0] },
        { "colon in name", [0x02, (byte)'a', (byte)':', 0, 0, 0, 0] },
        { "non-ASCII name", [0x01, 0xC3, 0, 0, 0, 0] },
        { "leftover byte after a valid property", [0x01, (byte)'a', 0, 0, 0, 1, (byte)'x', 0x07] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_MalformedReturnsNull(string why, byte[] data)
    {
        Assert.True(Metadata.Parse(data) is null, why);
    }
}
