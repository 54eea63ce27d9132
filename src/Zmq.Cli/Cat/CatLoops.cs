namespace Zmq.Cli.Cat;

/// <summary>The loop of each socket type: what it does with stdin lines and with the messages it receives.</summary>
internal sealed partial class CatRunner
{
    private StdinMessages? _stdin;
    private long _lastArrival = Environment.TickCount64;

    /// <summary>push, pub: send every stdin line (-n: at most N); at EOF the close waits for the queue to drain.</summary>
    private End SendOnly()
    {
        _stdin = StdinMessages.Start();
        int sent = 0;
        while (true)
        {
            if (!NextLine(out var frames, out var end)) return end;
            if (!SingleFrameOk(frames)) continue;
            if (!Send(frames, bounded: true, out end)) return end;
            if (++sent == _s.Count) return End.Done;
        }
    }

    /// <summary>pull, sub: print every message until -n, --timeout or a signal.</summary>
    private End ReceiveOnly() => PrintReceived("nothing arrived");

    /// <summary>req: send each stdin line and print its reply; done after the reply to the last line (or the Nth).</summary>
    private End Requests()
    {
        _stdin = StdinMessages.Start();
        int replies = 0;
        while (true)
        {
            if (!NextLine(out var frames, out var end)) return end;
            if (!SingleFrameOk(frames)) continue;
            if (!Send(frames, bounded: true, out end)) return end;
            _lastArrival = Environment.TickCount64;
            end = Receive(out var reply, stopWhen: null);
            if (end == End.Failed) return TimedOut("no reply");
            if (reply is null) return end;
            using (reply) _out.Write(reply);
            _out.Flush();
            if (!_out.IsOpen) return End.Stopped;
            if (++replies == _s.Count) return End.Done;
        }
    }

    /// <summary>
    /// rep: print each request and answer it with its own frames (--echo) or with the next stdin line;
    /// without --echo, done once stdin is exhausted (every request it could answer is answered).
    /// </summary>
    private End Replies()
    {
        if (!_s.Echo) _stdin = StdinMessages.Start();
        Func<bool>? exhausted = _s.Echo ? null : () => _stdin!.IsExhausted;
        int served = 0;
        while (true)
        {
            if (exhausted?.Invoke() == true) return End.Done;
            var end = Receive(out var request, exhausted);
            if (end == End.Failed) return TimedOut("no request arrived");
            if (request is null) return end;
            byte[][] reply;
            using (request)
            {
                _out.Write(request);
                _out.Flush();
                reply = _s.Echo ? request.ToArrays() : [];
            }
            if (!_out.IsOpen) return End.Stopped;
            if (!_s.Echo && !NextLine(out reply, out end)) return end; // EOF: this request cannot be answered
            if (!Send(reply, bounded: true, out end)) return end;
            _lastArrival = Environment.TickCount64;
            if (++served == _s.Count) return End.Done;
        }
    }

    /// <summary>dealer, router, stream, pair, xpub, xsub: send stdin lines (on their own thread) while printing what arrives.</summary>
    private End Duplex()
    {
        _stdin = StdinMessages.Start();
        new Thread(SendLines) { IsBackground = true, Name = "zmq cat sender" }.Start();
        return PrintReceived("nothing arrived");
    }

    private void SendLines()
    {
        try
        {
            while (NextLine(out var frames, out _))
            {
                if (_s.Type == SocketType.Router && frames.Length < 2)
                {
                    CatOutput.Error("stdin line skipped: a router line is the peer's routing id, a TAB, then the message");
                    continue;
                }
                if (_s.Type == SocketType.Stream && (frames.Length != 2 || frames[0].Length == 0))
                {
                    CatOutput.Error("stdin line skipped: a stream line is the connection's routing id (0x hex, as printed), a TAB, then the data (nothing after the TAB closes the connection)");
                    continue;
                }
                uint routingId = 0;
                if (_s.Type is SocketType.Server or SocketType.Peer)
                {
                    if (frames.Length != 2 || !uint.TryParse(System.Text.Encoding.UTF8.GetString(frames[0]), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out routingId) || routingId == 0)
                    {
                        CatOutput.Error($"stdin line skipped: a {_s.Type.ToString().ToLowerInvariant()} line is the peer's routing id (decimal, as printed), a TAB, then the payload");
                        continue;
                    }
                    frames = [frames[1]];
                }
                else if (!SingleFrameOk(frames)) continue;
                if (!Send(frames, bounded: false, out _, routingId)) return;
            }
        }
        catch (ZmqException) when (_socket.IsDisposed)
        {
            // closing: the receive side ended the run
        }
    }

    /// <summary>The draft types carry one frame: a line with a TAB is reported and skipped (true when it may be sent).</summary>
    private bool SingleFrameOk(byte[][] frames)
    {
        if (frames.Length == 1 || _s.Type is not (SocketType.Client or SocketType.Scatter or SocketType.Channel or SocketType.Server or SocketType.Peer)) return true;
        CatOutput.Error($"stdin line skipped: a {_s.Type.ToString().ToLowerInvariant()} message is one frame, not {frames.Length} (no TAB)");
        return false;
    }

    /// <summary>Prints every message as it arrives (batching what is already there) until -n, --timeout or a signal.</summary>
    private End PrintReceived(string what)
    {
        int received = 0;
        while (true)
        {
            var end = Receive(out var message, stopWhen: null);
            if (end == End.Failed) return TimedOut(what);
            if (message is null) return end;
            do
            {
                using (message) _out.Write(message);
                if (++received == _s.Count)
                {
                    _out.Flush();
                    return End.Done;
                }
            }
            while (_socket.TryReceive(out message));
            _out.Flush();
            if (!_out.IsOpen) return End.Stopped;
        }
    }

    /// <summary>
    /// Waits for a message, at most --timeout after the last arrival: a message, or null with
    /// <see cref="End.Failed"/> (timed out, not yet reported), <see cref="End.Stopped"/> (signal) or
    /// <see cref="End.Done"/> (<paramref name="stopWhen"/> became true).
    /// </summary>
    private End Receive(out Message? message, Func<bool>? stopWhen)
    {
        while (true)
        {
            message = null;
            if (_stop.IsCancellationRequested) return End.Stopped;
            if (stopWhen?.Invoke() == true) return End.Done;
            var wait = Slice;
            if (_s.Timeout is { } timeout)
            {
                var left = TimeSpan.FromMilliseconds(_lastArrival + (long)timeout.TotalMilliseconds - Environment.TickCount64);
                if (left <= TimeSpan.Zero) return End.Failed;
                if (left < wait) wait = left;
            }
            if (_socket.TryReceive(wait, out message))
            {
                _lastArrival = Environment.TickCount64;
                return End.Done;
            }
        }
    }

    private End TimedOut(string what)
    {
        CatOutput.Error($"timed out: {what} for {Seconds(_s.Timeout!.Value)} s (--timeout)");
        return End.Failed;
    }

    /// <summary>The next stdin message; false at EOF (<see cref="End.Done"/>) or on a signal (<see cref="End.Stopped"/>).</summary>
    private bool NextLine(out byte[][] frames, out End end)
    {
        while (true)
        {
            if (_stop.IsCancellationRequested)
            {
                frames = [];
                end = End.Stopped;
                return false;
            }
            if (_stdin!.TryTake(Slice, out frames, out bool eof))
            {
                end = End.Done;
                return true;
            }
            if (eof)
            {
                end = End.Done;
                return false;
            }
        }
    }

    /// <summary>
    /// Sends one message, waiting while no peer can take it. <paramref name="bounded"/>: give up
    /// after --timeout (reported, <see cref="End.Failed"/>). A router line for an unknown peer is
    /// reported and skipped.
    /// </summary>
    private bool Send(byte[][] frames, bool bounded, out End end, uint routingId = 0)
    {
        end = End.Done;
        using var message = new Message(frames) { RoutingId = routingId };
        long start = Environment.TickCount64;
        while (true)
        {
            if (_stop.IsCancellationRequested)
            {
                end = End.Stopped;
                return false;
            }
            var wait = Slice;
            if (bounded && _s.Timeout is { } timeout)
            {
                var left = TimeSpan.FromMilliseconds(start + (long)timeout.TotalMilliseconds - Environment.TickCount64);
                if (left <= TimeSpan.Zero)
                {
                    CatOutput.Error($"timed out: could not send for {Seconds(timeout)} s, no peer took the message (--timeout)");
                    end = End.Failed;
                    return false;
                }
                if (left < wait) wait = left;
            }
            try
            {
                if (_socket.TrySend(message, wait)) return true;
            }
            catch (ZmqException e) when (e.Error == ZmqError.HostUnreachable)
            {
                CatOutput.Error($"message skipped: no peer with routing id {(routingId != 0 ? routingId.ToString(System.Globalization.CultureInfo.InvariantCulture) : LineCodec.FormatLineText([frames[0]], hex: _s.Type == SocketType.Stream))}");
                return true;
            }
        }
    }
}
