using System.Text;

namespace Zmq.Messages;

/// <summary>
/// The properties of one connection that received messages carry (libzmq's <c>zmq_msg_gets</c>):
/// the peer's handshake metadata (Socket-Type, Identity, ...), the ZAP handler's User-Id and
/// metadata, and Peer-Address. Built once per connection; each message holds a reference.
/// </summary>
internal sealed class PeerProperties
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public PeerProperties(IReadOnlyDictionary<string, byte[]> metadata, string peerAddress)
    {
        foreach (var (k, v) in metadata) _values[k] = Encoding.UTF8.GetString(v);
        _values["Peer-Address"] = peerAddress;
    }

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public IReadOnlyDictionary<string, string> All => _values;
}
