namespace Zmq.Internal;

internal static class Hex
{
    public static string Format(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
