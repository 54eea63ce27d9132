namespace Zmq.Cli;

/// <summary>The process exit codes of every <c>zmq</c> verb.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked (doctor: every check passed).</summary>
    public const int Ok = 0;

    /// <summary>The operation failed: a doctor check failed, an endpoint could not be reached, a benchmark broke.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong (unknown verb or option, missing or invalid value).</summary>
    public const int Usage = 2;
}
