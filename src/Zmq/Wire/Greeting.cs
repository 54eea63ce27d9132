using System.Text;

namespace Zmq.Wire;

/// <summary>The 64-byte ZMTP 3.x greeting (RFC 37 section "Greeting"), built and parsed.</summary>
internal static class Greeting
{
    /// <summary>What the peer's greeting says.</summary>
    internal readonly record struct PeerGreeting(int Major, int Minor, string Mechanism, bool AsServer);

    /// <summary>Writes our full greeting: signature, version 3.1, mechanism, as-server, filler.</summary>
    public static void Write(Span<byte> dest, string mechanism, bool asServer)
    {
        dest.Slice(0, Zmtp.GreetingSize).Clear();
        dest[0] = 0xFF;
        dest[8] = 1; // padding as libzmq writes it: identity length + 1 for ZMTP/1.0 readers
        dest[9] = 0x7F;
        dest[10] = 3;
        dest[11] = 1;
        Encoding.ASCII.GetBytes(mechanism, dest.Slice(12, 20));
        dest[32] = asServer ? (byte)1 : (byte)0;
    }

    /// <summary>Why a signature is refused, or null when it announces ZMTP 3.x so far.</summary>
    public static string? CheckSignature(ReadOnlySpan<byte> first10)
    {
        if (first10[0] != 0xFF || (first10.Length >= 10 && (first10[9] & 1) == 0))
            return "peer speaks unversioned ZMTP/1.0 (libzmq 2.x), which is not supported";
        return null;
    }

    /// <summary>Why a major version is refused, or null for 3.x (libzmq also reads 2, and anything above 1, as 3.x).</summary>
    public static string? CheckMajor(byte major) => major switch
    {
        0 => "peer speaks ZMTP/1.0 (libzmq 2.x), which is not supported",
        1 => "peer speaks ZMTP/2.0 (libzmq 3.x), which is not supported",
        _ => null,
    };

    /// <summary>Parses the complete 64-byte greeting (signature already checked).</summary>
    public static PeerGreeting Parse(ReadOnlySpan<byte> g)
    {
        var mech = g.Slice(12, 20);
        int end = mech.IndexOf((byte)0);
        if (end < 0) end = mech.Length;
        return new PeerGreeting(g[10], g[11], Encoding.ASCII.GetString(mech.Slice(0, end)), g[32] == 1);
    }

    /// <summary>ZMTP 3.1 behaviour (SUBSCRIBE/CANCEL commands) for 3.1+ and any later major version.</summary>
    public static bool IsV31(PeerGreeting g) => g.Major > 3 || g.Minor >= 1;
}
