namespace Zmq.Toolkit;

public sealed partial class Reactor
{
    private readonly LinkedList<Ticket> _tickets = new();
    private TimeSpan _ticketDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The delay of every ticket (zloop_set_ticket_delay); default 1 s. Set it before adding
    /// tickets: they all share it, which is what makes a reset O(1) (the ticket moves to the end
    /// of one list ordered by expiry).
    /// </summary>
    /// <exception cref="InvalidOperationException">Tickets exist already.</exception>
    public TimeSpan TicketDelay
    {
        get => _ticketDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            if (_tickets.Count > 0) throw new InvalidOperationException("TicketDelay is shared by all tickets: set it before adding any");
            _ticketDelay = value;
        }
    }

    private bool HasTickets => _tickets.Count > 0;

    private long NextTicketDue => _tickets.First is { } first ? first.Value.Due : long.MaxValue;

    /// <summary>
    /// A ticket (zloop_ticket): <paramref name="handler"/> is called once when
    /// <see cref="TicketDelay"/> passes without a <see cref="Ticket.Reset"/>; then the ticket is
    /// gone. For many peers' heartbeat time-outs: reset a peer's ticket on each message from it.
    /// </summary>
    public Ticket AddTicket(Action<Ticket> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();
        var ticket = new Ticket(this, handler);
        ticket.Node = _tickets.AddLast(ticket);
        ticket.Due = Clock.NowMs + 1 + (long)Math.Ceiling(_ticketDelay.TotalMilliseconds); // +1: the clock reads whole milliseconds, never early
        _poller.Interrupt();
        return ticket;
    }

    internal void ResetTicket(Ticket ticket)
    {
        if (ticket.Node is null) throw new InvalidOperationException("the ticket expired or was deleted; add a new one");
        ticket.Due = Clock.NowMs + 1 + (long)Math.Ceiling(_ticketDelay.TotalMilliseconds); // +1: the clock reads whole milliseconds, never early
        _tickets.Remove(ticket.Node);
        _tickets.AddLast(ticket.Node);
    }

    internal void DeleteTicket(Ticket ticket)
    {
        if (ticket.Node is null) return;
        _tickets.Remove(ticket.Node);
        ticket.Node = null;
    }

    private void FireTickets(long now)
    {
        while (_tickets.First is { } first && first.Value.Due <= now)
        {
            var ticket = first.Value;
            DeleteTicket(ticket);
            Invoke(ticket.Handler, ticket, "ticket");
            if (Volatile.Read(ref _stop) != 0) return;
        }
    }

    private void ClearTickets()
    {
        while (_tickets.First is { } first) DeleteTicket(first.Value);
    }
}

/// <summary>A ticket of a <see cref="Reactor"/> (<see cref="Reactor.AddTicket"/>): reset it to push its expiry back by the reactor's <see cref="Reactor.TicketDelay"/>.</summary>
public sealed class Ticket
{
    private readonly Reactor _reactor;

    internal Ticket(Reactor reactor, Action<Ticket> handler)
    {
        _reactor = reactor;
        Handler = handler;
    }

    internal Action<Ticket> Handler { get; }

    internal long Due { get; set; }

    internal LinkedListNode<Ticket>? Node { get; set; }

    /// <summary>True until it expired or was deleted.</summary>
    public bool IsActive => Node is not null;

    /// <summary>Expires a whole <see cref="Reactor.TicketDelay"/> from now (zloop_ticket_reset). On the reactor's thread.</summary>
    /// <exception cref="InvalidOperationException">The ticket expired or was deleted.</exception>
    public void Reset() => _reactor.ResetTicket(this);

    /// <summary>Never expires (zloop_ticket_delete). On the reactor's thread; nothing happens if it is gone already.</summary>
    public void Delete() => _reactor.DeleteTicket(this);
}
