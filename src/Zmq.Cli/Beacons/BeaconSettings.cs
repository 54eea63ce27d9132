namespace Zmq.Cli.Beacons;

/// <summary>What <c>zmq beacon announce</c> or <c>listen</c> was asked to do, validated.</summary>
internal sealed record BeaconSettings
{
    public required int Port { get; init; }

    /// <summary>announce: the beacon's bytes (at most 255).</summary>
    public byte[] Payload { get; init; } = [];

    /// <summary>announce: between beacons (null: the beacon's default, 1 s).</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>announce: stop after this long (null: until a signal).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>listen: the subscription prefix (empty: every beacon).</summary>
    public byte[] Prefix { get; init; } = [];

    /// <summary>listen: exit 0 after this many beacons.</summary>
    public int? Count { get; init; }

    /// <summary>listen: exit 1 when no beacon comes for this long.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>--interface (null: ZSYS_INTERFACE, else the first broadcast-capable interface).</summary>
    public string? Interface { get; init; }

    /// <summary>--ipv6 (null: ZSYS_IPV6 decides).</summary>
    public bool? IPv6 { get; init; }

    public bool Verbose { get; init; }
}
