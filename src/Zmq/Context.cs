using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zmq;

/// <summary>
/// Groups sockets the way a libzmq context does: they share a logger factory and (with the
/// inproc transport) a namespace. No context is required: sockets created without one use
/// <see cref="Default"/>. Create your own for isolation, e.g. one per test.
/// </summary>
public sealed class Context : IDisposable
{
    private static readonly Lazy<Context> s_default = new(() => new Context());

    /// <summary>The process-wide context used by sockets constructed without one.</summary>
    public static Context Default => s_default.Value;

    /// <summary>Where sockets of this context write their logs. Defaults to no logging.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>The inproc:// namespace of this context.</summary>
    internal Transports.InprocRegistry Inproc { get; } = new();

    /// <summary>Nothing to release today; present so contexts can be scoped with <c>using</c>.</summary>
    public void Dispose() { }
}
