namespace Zmq;

// Options that several socket types carry, so the option table maps each once (Socket.OptionTable.cs).

/// <summary>PROBE_ROUTER: ROUTER, DEALER, REQ.</summary>
internal interface IProbeRouterOption
{
    bool ProbeRouter { get; set; }
}

/// <summary>CONFLATE: PUSH, PULL, PUB, SUB, DEALER.</summary>
internal interface IConflateOption
{
    bool Conflate { get; set; }
}

/// <summary>INVERT_MATCHING: PUB, XPUB, SUB.</summary>
internal interface IInvertMatchingOption
{
    bool InvertMatching { get; set; }
}

/// <summary>XPUB_NODROP: XPUB, PUB.</summary>
internal interface INoDropOption
{
    bool NoDrop { get; set; }
}
