using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Zmq.Toolkit;

namespace Zmq.Hosting;

/// <summary>
/// A hosted <see cref="Proxy"/> between two named sockets (and an optional capture socket): it
/// runs on a thread of its own from the host's start until it stops. The sockets stay the host's
/// (closed with their linger after every hosted service has stopped).
/// </summary>
internal sealed class ZmqProxyService(IZmqSockets sockets, string frontend, string backend, string? capture, ILogger logger) : IHostedService, IDisposable
{
    private Proxy? _proxy;
    private Task<ProxyExit>? _running;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _proxy = new Proxy(sockets.Get(frontend), sockets.Get(backend), capture is null ? null : sockets.Get(capture), logger);
        _running = _proxy.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_proxy is null || _running is null) return;
        _proxy.Terminate();
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _proxy?.Dispose();
}
