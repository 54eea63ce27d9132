namespace Zmq.Cli.Cat;

/// <summary>The command line is wrong (unknown type, malformed endpoint or key, bad option value): exit 2, one line on stderr.</summary>
internal sealed class CatUsageException(string message) : Exception(message);

/// <summary>The operation failed at run time (address in use, unreadable file, unresolvable host): exit 1, one line on stderr.</summary>
internal sealed class CatFailureException(string message) : Exception(message);
