using Zmq.LibZmq;
using Lz = Zmq.LibZmq.LibZmq;

namespace Zmq.Interop.Tests.Security;

/// <summary>CURVE keys and roles on either side.</summary>
internal static class CurveKeys
{
    /// <summary>A key pair made by libzmq (zmq_curve_keypair), for our side to use.</summary>
    public static CurveKeyPair MadeByLibzmq()
    {
        var (pub, sec) = Lz.CurveKeypair();
        var keys = CurveKeyPair.FromSecretKey(sec);
        Assert.Equal(pub, keys.PublicKeyZ85);
        return keys;
    }

    /// <summary>
    /// Makes <paramref name="side"/> a CURVE server with <paramref name="keys"/>. A libzmq socket is
    /// given the secret key as 32 raw bytes or, with <paramref name="z85"/>, as a 40-character Z85 string.
    /// </summary>
    public static void MakeServer(Side side, CurveKeyPair keys, bool z85 = false)
    {
        if (side is OurSecureSide ours)
        {
            ours.Socket.MakeCurveServer(keys);
            return;
        }
        var lz = ((LzSide)side).Socket;
        lz.SetOption(LzOption.CurveServer, 1);
        if (z85)
            lz.SetOption(LzOption.CurveSecretKey, keys.SecretKeyZ85);
        else
            lz.SetOption(LzOption.CurveSecretKey, keys.SecretKey);
        Assert.Equal(2, lz.GetInt(LzOption.Mechanism)); // ZMQ_CURVE
        Assert.Equal(1, lz.GetInt(LzOption.CurveServer));
    }

    /// <summary>Makes <paramref name="side"/> a CURVE client of the server with <paramref name="serverPublicKey"/>, using <paramref name="keys"/>.</summary>
    public static void MakeClient(Side side, byte[] serverPublicKey, CurveKeyPair keys, bool z85 = true)
    {
        if (side is OurSecureSide ours)
        {
            ours.Socket.MakeCurveClient(serverPublicKey, keys);
            Assert.Equal(SecurityMechanism.Curve, ours.Socket.Mechanism);
            Assert.False(ours.Socket.IsSecurityServer);
            return;
        }
        var lz = ((LzSide)side).Socket;
        if (z85)
        {
            lz.SetOption(LzOption.CurveServerKey, Z85.Encode(serverPublicKey));
            lz.SetOption(LzOption.CurvePublicKey, keys.PublicKeyZ85);
            lz.SetOption(LzOption.CurveSecretKey, keys.SecretKeyZ85);
        }
        else
        {
            lz.SetOption(LzOption.CurveServerKey, serverPublicKey);
            lz.SetOption(LzOption.CurvePublicKey, keys.PublicKey);
            lz.SetOption(LzOption.CurveSecretKey, keys.SecretKey);
        }
        Assert.Equal(2, lz.GetInt(LzOption.Mechanism));
        Assert.Equal(0, lz.GetInt(LzOption.CurveServer));
    }
}
