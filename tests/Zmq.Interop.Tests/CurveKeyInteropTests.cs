using Lz = Zmq.LibZmq.LibZmq;

namespace Zmq.Interop.Tests;

/// <summary>Our CURVE keys agree with libzmq's: its pairs derive the same public key here, and ours there.</summary>
public sealed class CurveKeyInteropTests
{
    [SkippableFact]
    public void KeysAgreeWithLibZmq_BothWays()
    {
        LibZmqRequired.Check();
        for (int i = 0; i < 20; i++)
        {
            var (pub, sec) = Lz.CurveKeypair();
            Assert.Equal(pub, CurveKeyPair.FromSecretKey(sec).PublicKeyZ85);
            var ours = CurveKeyPair.Generate();
            Assert.Equal(ours.PublicKeyZ85, Lz.CurvePublic(ours.SecretKeyZ85));
        }
    }
}
