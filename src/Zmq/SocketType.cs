namespace Zmq;

/// <summary>The ZeroMQ socket types, with libzmq's numeric values.</summary>
public enum SocketType
{
    /// <summary>Exclusive pair: talks to exactly one other PAIR.</summary>
    Pair = 0,
    /// <summary>Publisher: distributes messages to subscribers, dropping for slow ones.</summary>
    Pub = 1,
    /// <summary>Subscriber: receives messages that match its prefix subscriptions.</summary>
    Sub = 2,
    /// <summary>Request: strict send-then-receive client.</summary>
    Req = 3,
    /// <summary>Reply: strict receive-then-send server.</summary>
    Rep = 4,
    /// <summary>Dealer: asynchronous round-robin client.</summary>
    Dealer = 5,
    /// <summary>Router: addresses peers by routing id.</summary>
    Router = 6,
    /// <summary>Pull: fair-queued receiver of a pipeline.</summary>
    Pull = 7,
    /// <summary>Push: round-robin sender of a pipeline.</summary>
    Push = 8,
    /// <summary>Extended publisher: also passes subscription messages to the application.</summary>
    XPub = 9,
    /// <summary>Extended subscriber: subscriptions are sent as messages.</summary>
    XSub = 10,
    /// <summary>Stream: raw TCP with any program (no ZMTP); each message is [routing id, data], a connect or disconnect an empty data frame.</summary>
    Stream = 11,
    /// <summary>Server (draft): addresses each client by a 32-bit routing id (<see cref="Message.RoutingId"/>); single-frame messages.</summary>
    Server = 12,
    /// <summary>Client (draft): round-robin sender, fair-queued receiver of a SERVER; single-frame messages.</summary>
    Client = 13,
    /// <summary>Gather (draft): PULL for single-frame messages, from SCATTER peers.</summary>
    Gather = 16,
    /// <summary>Scatter (draft): PUSH for single-frame messages, to GATHER peers.</summary>
    Scatter = 17,
    /// <summary>Peer (draft): SERVER-style routing ids among equals; ConnectPeer returns the id.</summary>
    Peer = 19,
    /// <summary>Channel (draft): PAIR for single-frame messages.</summary>
    Channel = 20,
}
