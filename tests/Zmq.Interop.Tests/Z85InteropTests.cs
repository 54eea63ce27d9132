using Lz = Zmq.LibZmq.LibZmq;

namespace Zmq.Interop.Tests;

/// <summary>Our Z85 reads and writes exactly what libzmq's does (keys from zmq_curve_keypair).</summary>
public sealed class Z85InteropTests
{
    [SkippableFact]
    public void LibZmqKeys_RoundTripThroughOurZ85()
    {
        LibZmqRequired.Check();
        Assert.True(Lz.Has("curve"), "this libzmq was built without CURVE (Debian's libzmq5 has it)");
        for (int i = 0; i < 50; i++)
        {
            var (pub, sec) = Lz.CurveKeypair();
            Assert.Equal(pub, Z85.Encode(Z85.Decode(pub)));
            Assert.Equal(sec, Z85.Encode(Z85.Decode(sec)));
            Assert.Equal(32, Z85.Decode(sec).Length);
        }
    }
}
