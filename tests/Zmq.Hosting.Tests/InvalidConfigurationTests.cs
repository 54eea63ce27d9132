using Microsoft.Extensions.DependencyInjection;

namespace Zmq.Hosting.Tests;

/// <summary>Nothing configured is silently ignored: the host fails to start, naming the socket, the key and the value.</summary>
public sealed class InvalidConfigurationTests
{
    public static TheoryData<string, string, string[]> Cases => new()
    {
        // key under Zmq:Sockets:jobs, its value, what the failure must say
        { "Lingr", "100", ["Zmq:Sockets:jobs:Lingr", "did you mean Linger?"] },
        { "Linger", "soon", ["Zmq:Sockets:jobs:Linger = \"soon\"", "expects milliseconds"] },
        { "Linger", "-5", ["Zmq:Sockets:jobs:Linger = \"-5\"", "zero or positive"] },           // the core's own check
        { "SendHighWatermark", "-1", ["Zmq:Sockets:jobs:SendHighWatermark = \"-1\"", "zero or positive"] },
        { "ReceiveHighWatermark", "lots", ["Zmq:Sockets:jobs:ReceiveHighWatermark = \"lots\"", "an integer"] },
        { "HeartbeatTtl", "2h", ["Zmq:Sockets:jobs:HeartbeatTtl = \"2h\"", "6553.5 seconds"] },
        { "RoutingId", "", ["Zmq:Sockets:jobs:RoutingId = \"\"", "1 to 255 bytes"] },
        { "Type", "Pusher", ["Zmq:Sockets:jobs:Type = \"Pusher\"", "not a socket type"] },
        { "RouterMandatory", "true", ["Zmq:Sockets:jobs:RouterMandatory = \"true\"", "ZMQ_ROUTER_MANDATORY does not apply to PUSH"] },
        { "ZMQ_XPUB_VERBOSE", "1", ["Zmq:Sockets:jobs:ZMQ_XPUB_VERBOSE = \"1\"", "ZMQ_XPUB_VERBOSE does not apply to PUSH"] },
        { "Rate", "100", ["Zmq:Sockets:jobs:Rate = \"100\"", "ZMQ_RATE is not supported"] },
        { "Subscribe", "news", ["Zmq:Sockets:jobs:Subscribe = \"news\"", "SUB and XSUB"] },
        { "Curve:Server", "true", ["Zmq:Sockets:jobs:Curve:Server = \"true\"", "needs its secret key"] },
        { "Curve:Secret", "x", ["Zmq:Sockets:jobs:Curve:Secret", "did you mean SecretKey?"] },
        { "Plain:Username", "alice", ["a PLAIN client needs both Plain:Username and Plain:Password"] },
        { "Endpoints", "tcp//127.0.0.1:5555", ["Zmq:Sockets:jobs:Endpoints = \"tcp//127.0.0.1:5555\"", "not an endpoint"] },
        { "Linger:Value", "1", ["Zmq:Sockets:jobs:Linger: expects a value, not a section"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_key_or_value_fails_the_start_naming_it(string key, string value, string[] expected)
    {
        var config = new Dictionary<string, string?>
        {
            ["Zmq:Sockets:jobs:Type"] = "Push",
            ["Zmq:Sockets:jobs:Endpoints"] = $">inproc://jobs-{Guid.NewGuid():N}",
            [$"Zmq:Sockets:jobs:{key}"] = value,
        };
        var builder = TestHosts.Builder(config);
        builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
        string message = await TestHosts.StartFailsAsync(builder);
        Assert.Contains("socket 'jobs'", message);
        foreach (var e in expected) Assert.Contains(e, message);
    }

    [Fact]
    public async Task Every_problem_of_a_socket_is_reported_at_once()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Zmq:Sockets:jobs:Type"] = "Pull",
            ["Zmq:Sockets:jobs:Linger"] = "forever",
            ["Zmq:Sockets:jobs:Hwm"] = "5",
            ["Zmq:Sockets:jobs:ReceiveHighWatermark"] = "-3",
        });
        builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
        string message = await TestHosts.StartFailsAsync(builder);
        Assert.Contains("Zmq:Sockets:jobs:Linger = \"forever\"", message);
        Assert.Contains("Zmq:Sockets:jobs:Hwm", message);
        // Parse errors come first; the core's range checks run once the configuration reads cleanly.
        var fixedUp = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Zmq:Sockets:jobs:Type"] = "Pull",
            ["Zmq:Sockets:jobs:ReceiveHighWatermark"] = "-3",
            ["Zmq:Sockets:jobs:SendHighWatermark"] = "-4",
        });
        fixedUp.Services.AddZmq(fixedUp.Configuration.GetSection("Zmq"));
        string second = await TestHosts.StartFailsAsync(fixedUp);
        Assert.Contains("ReceiveHighWatermark = \"-3\"", second);
        Assert.Contains("SendHighWatermark = \"-4\"", second);
    }

    [Fact]
    public async Task A_secret_key_never_appears_in_the_message()
    {
        string secret = "THIS_IS_A_SECRET_THAT_IS_NOT_VALID_Z85__"; // 40 characters, not Z85 (no _ in its alphabet)
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Zmq:Sockets:jobs:Type"] = "Pull",
            ["Zmq:Sockets:jobs:Curve:Server"] = "true",
            ["Zmq:Sockets:jobs:Curve:SecretKey"] = secret,
            ["Zmq:Sockets:jobs:Plain:Password"] = "hunter2",
        });
        builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
        string message = await TestHosts.StartFailsAsync(builder);
        Assert.Contains("Zmq:Sockets:jobs:Curve:SecretKey = (hidden, 40 characters)", message);
        Assert.DoesNotContain("SECRET", message);
        Assert.DoesNotContain("hunter2", message);
    }

    [Fact]
    public async Task Root_keys_are_checked_too()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Zmq:IoThread"] = "2",
            ["Zmq:Authenticator:PlainPasswords"] = "/nonexistent/passwords",
        });
        builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
        string message = await TestHosts.StartFailsAsync(builder);
        Assert.Contains("Zmq:IoThread: unknown key 'IoThread' (did you mean IoThreads?)", message);
        Assert.Contains("Zmq:Authenticator:PlainPasswords = \"/nonexistent/passwords\": no such password file", message);

        var tooMany = TestHosts.Builder(new Dictionary<string, string?> { ["Zmq:IoThreads"] = "100" });
        tooMany.Services.AddZmq(tooMany.Configuration.GetSection("Zmq"));
        Assert.Contains("Zmq:IoThreads = \"100\": ", await TestHosts.StartFailsAsync(tooMany));
    }

    [Fact]
    public async Task A_socket_without_a_type_or_of_the_wrong_class_fails()
    {
        var untyped = TestHosts.Builder(new Dictionary<string, string?> { ["Zmq:Sockets:jobs:Endpoints"] = "@inproc://x" });
        untyped.Services.AddZmq(untyped.Configuration.GetSection("Zmq"));
        Assert.Contains("socket 'jobs': no Type", await TestHosts.StartFailsAsync(untyped));

        var mismatch = TestHosts.Builder(new Dictionary<string, string?> { ["Zmq:Sockets:jobs:Type"] = "Push" });
        mismatch.Services.AddZmq(mismatch.Configuration.GetSection("Zmq"));
        mismatch.Services.AddZmqSocket<PullSocket>("jobs");
        Assert.Contains("Zmq:Sockets:jobs:Type = \"Push\": the socket is registered as PullSocket", await TestHosts.StartFailsAsync(mismatch));
    }

    [Fact]
    public async Task An_endpoint_the_core_refuses_fails_the_start_naming_it()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Zmq:Sockets:jobs:Type"] = "Pull",
            ["Zmq:Sockets:jobs:Endpoints"] = "@tpc://127.0.0.1:5555",
        });
        builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
        string message = await TestHosts.StartFailsAsync(builder);
        Assert.Contains("Zmq:Sockets:jobs:Endpoints = \"@tpc://127.0.0.1:5555\"", message);
        Assert.Contains("unknown transport 'tpc'", message);
    }

    [Fact]
    public async Task The_same_option_under_two_names_is_a_conflict()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Zmq:Sockets:jobs:Type"] = "Pull",
            ["Zmq:Sockets:jobs:ReceiveHighWatermark"] = "10",
            ["Zmq:Sockets:jobs:RcvHwm"] = "20",
        });
        builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
        Assert.Contains("both set ZMQ option RcvHwm", await TestHosts.StartFailsAsync(builder));
    }
}
