namespace Zmq.Toolkit;

/// <summary>
/// What <see cref="SocketAdapters.ReceiveAllAsync"/> and <see cref="SocketChannelReader.ReadAllAsync"/>
/// return: each enumeration is one <see cref="Enumerator"/>, itself the reusable wait (a
/// <see cref="SocketOperation{TResult}"/>), so a step costs a TryReceive while messages wait and
/// nothing is allocated when it has to wait. Over a reader, the reader's end ends it too.
/// </summary>
internal sealed class ReceivedMessages(Socket socket, CancellationToken token, SocketChannelReader? reader = null) : IAsyncEnumerable<Message>
{
    public IAsyncEnumerator<Message> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var effective = token;
        CancellationTokenSource? linked = null;
        if (cancellationToken.CanBeCanceled && cancellationToken != token)
        {
            if (!token.CanBeCanceled) effective = cancellationToken;
            else
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken);
                effective = linked.Token;
            }
        }
        try
        {
            var e = new Enumerator(socket, effective, linked, reader);
            if (reader is null || reader.Track(e)) return e;
            e.Dispose();
            linked?.Dispose();
            return new Ended(effective); // the reader has ended
        }
        catch (ZmqException e) when (SocketDirections.IsClosed(e))
        {
            linked?.Dispose();
            return new Ended(effective); // closed since ReceiveAllAsync was called: nothing to enumerate
        }
    }

    private sealed class Enumerator(Socket socket, CancellationToken token, CancellationTokenSource? linked, SocketChannelReader? reader)
        : SocketOperation<bool>(socket, PollEvents.In, temporary: false), IAsyncEnumerator<Message>
    {
        private Message? _current;
        private bool _ended;

        public Message Current => _current ?? throw new InvalidOperationException("no current message: call MoveNextAsync first (and only while it returns true)");

        public ValueTask<bool> MoveNextAsync()
        {
            _current = null; // the last one is the consumer's now
            if (token.IsCancellationRequested) return ValueTask.FromCanceled<bool>(token);
            if (_ended) return new ValueTask<bool>(false);
            if (TryComplete(out bool more)) return new ValueTask<bool>(more);
            if (!TryAcquire()) throw new InvalidOperationException("MoveNextAsync was called again before the previous call completed");
            return Run(token);
        }

        /// <summary>A waiting message becomes <see cref="Current"/> (true, true); a closed socket ends the enumeration (true, false).</summary>
        protected override bool TryComplete(out bool result)
        {
            if (reader is not null)
            {
                result = reader.TryRead(out _current);
                if (!result && reader.HasEnded) _ended = true;
                return result || _ended;
            }
            try
            {
                result = Socket.TryReceive(out _current);
                return result;
            }
            catch (ZmqException e) when (SocketDirections.IsClosed(e))
            {
                _ended = true;
                result = false;
                return true;
            }
        }

        protected override bool Closed()
        {
            _ended = true;
            return false;
        }

        public ValueTask DisposeAsync()
        {
            _ended = true;
            Dispose();
            reader?.Untrack(this);
            linked?.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Ended(CancellationToken token) : IAsyncEnumerator<Message>
    {
        public Message Current => throw new InvalidOperationException("the enumeration has ended");

        public ValueTask<bool> MoveNextAsync() => token.IsCancellationRequested ? ValueTask.FromCanceled<bool>(token) : new ValueTask<bool>(false);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
