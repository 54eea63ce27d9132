using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zmq.HostedWorker;

// dotnet run --project samples/Zmq.HostedWorker        (then: ./zmq cat req tcp://127.0.0.1:5555)
// Every setting can be overridden from the environment or the command line, e.g.
//   Zmq__Sockets__requests__Endpoints=@tcp://127.0.0.1:6000 Worker__MaxRequests=3 dotnet run ...
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory, // appsettings.json next to the program, whatever the current directory
});
builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
builder.Services.Configure<WorkerOptions>(builder.Configuration.GetSection("Worker"));
builder.Services.AddHostedService<UpperCaseWorker>();

using var host = builder.Build();
await host.RunAsync(); // stops on Ctrl+C or SIGTERM; the REP socket closes within its linger
