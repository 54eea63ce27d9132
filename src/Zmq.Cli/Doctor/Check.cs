namespace Zmq.Cli.Doctor;

/// <summary>
/// One self-check: a name for the report, the transport it runs over (null when it is not about
/// one), and a body that throws <see cref="CheckFailed"/> (or any exception) on failure.
/// </summary>
internal sealed record Check(string Name, string? Transport, Action Run);

/// <summary>A check's expectation was not met; the message is the reason printed after FAIL.</summary>
internal sealed class CheckFailed(string reason) : Exception(reason);
