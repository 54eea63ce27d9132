using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Zmq.Hosting;

namespace Zmq.HostedWorker;

/// <summary>Worker:MaxRequests: stop the host after serving this many requests (0: serve until stopped).</summary>
public sealed class WorkerOptions
{
    public int MaxRequests { get; set; }
}

/// <summary>Answers each request on the "requests" REP socket with its text in upper case.</summary>
public sealed partial class UpperCaseWorker(
    [FromKeyedServices("requests")] RepSocket socket,
    IOptions<WorkerOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<UpperCaseWorker> logger) : ZmqWorker(socket)
{
    private int _served;

    protected override async ValueTask HandleAsync(Message request, CancellationToken cancellationToken)
    {
        string text = request.GetString(0);
        await Socket.SendStringAsync(text.ToUpperInvariant(), cancellationToken);
        int served = ++_served;
        Served(logger, served, text);
        if (options.Value.MaxRequests > 0 && served >= options.Value.MaxRequests)
        {
            Done(logger, served);
            lifetime.StopApplication(); // the reply just sent is delivered within the socket's linger
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "request {Count}: {Text}")]
    private static partial void Served(ILogger logger, int count, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "served {Count} request(s), stopping")]
    private static partial void Done(ILogger logger, int count);
}
