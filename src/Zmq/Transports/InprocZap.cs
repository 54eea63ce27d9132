using Zmq.Security;

namespace Zmq.Transports;

/// <summary>
/// ZAP requests of a context's server sockets, as libzmq sends them: each handshake gets a private
/// DEALER connected to <see cref="Zap.Endpoint"/> over inproc, sends one request and waits for the
/// reply without a thread (the DEALER's receive signal calls back, and the handshake's I/O thread
/// resumes). A handler that never answers costs its DEALER until HANDSHAKE_IVL ends the handshake.
/// </summary>
internal sealed class InprocZap(Context context) : IZapTransport
{
    private const string HandlerName = "zeromq.zap.01";

    public bool HandlerBound => context.Inproc.IsBound(HandlerName);

    public IZapExchange? Send(byte[][] request, Action onReply)
    {
        if (!HandlerBound) return null;
        var dealer = new DealerSocket(null, context) { Linger = TimeSpan.Zero };
        try
        {
            dealer.Connect(Zap.Endpoint);
            dealer.SendFrames([[], .. request]);
        }
        catch
        {
            dealer.Dispose();
            throw;
        }
        var exchange = new Exchange(dealer);
        exchange.Arm(onReply);
        return exchange;
    }

    private sealed class Exchange(DealerSocket dealer) : IZapExchange
    {
        private Action? _onReply;

        public void Arm(Action onReply)
        {
            _onReply = onReply;
            dealer.RecvSignal.NotifyOnce(onReply);
            if (dealer.HasInput) onReply(); // arrived before the callback was in place
        }

        public bool TryTakeReply(out byte[][] frames)
        {
            if (dealer.TryReceive(out var m))
            {
                using (m) frames = m.ToArrays();
                return true;
            }
            frames = [];
            if (_onReply is { } again) Arm(again); // a spurious wake: wait for the real reply
            return false;
        }

        public void Dispose()
        {
            _onReply = null;
            dealer.Dispose();
        }
    }
}
