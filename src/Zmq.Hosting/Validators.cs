using Microsoft.Extensions.Options;

namespace Zmq.Hosting;

/// <summary>
/// Checks each registered socket's options at start (ValidateOnStart) and whenever they are read:
/// configuration errors, the type, the endpoints' form, then every option applied to a scratch
/// socket of the type (no endpoints, own context), so that the core's own checks decide, and every
/// failure is named with the socket, the key and the value.
/// </summary>
internal sealed class ZmqSocketOptionsValidator(ZmqRegistry registry) : IValidateOptions<ZmqSocketOptions>
{
    public ValidateOptionsResult Validate(string? name, ZmqSocketOptions options)
    {
        name ??= Options.DefaultName;
        var registration = registry.Find(name);
        if (registration is null) return ValidateOptionsResult.Skip;
        name = registration.Name;
        var errors = new List<string>(options.ConfigurationErrors.Select(e => $"socket '{name}': {e}"));
        if (options.Type is not { } type)
        {
            errors.Add($"socket '{name}': no Type: set Zmq:Sockets:{name}:Type (Pair, Pub, Sub, Req, Rep, Dealer, Router, Pull, Push, XPub, XSub) or register it with AddZmqSocket<PullSocket>(\"{name}\")");
            return ValidateOptionsResult.Fail(errors);
        }
        var clr = SocketBuilder.ClrType(type);
        foreach (var asked in registration.ClrTypes)
            if (!asked.IsAssignableFrom(clr))
                errors.Add($"{SocketBuilder.Where(name, options, "Type", type)}: the socket is registered as {asked.Name} (AddZmqSocket<{asked.Name}>), which a {type.ToString().ToUpperInvariant()} socket is not");
        foreach (var entry in options.Endpoints)
        {
            foreach (var endpoint in entry.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var bare = endpoint.TrimStart('@', '>');
                if (!bare.Contains("://", StringComparison.Ordinal) || bare.Length < 4 || endpoint.Length - bare.Length > 1)
                    errors.Add($"{SocketBuilder.Where(name, options, "Endpoints")}: '{endpoint}' is not an endpoint: expected [@|>]transport://address, e.g. @tcp://*:5555 (bind) or >tcp://host:5555 (connect)");
            }
        }
        if (errors.Count == 0)
        {
            using var scratch = new Context();
            try
            {
                SocketBuilder.Create(type, scratch, s => SocketBuilder.Apply(s, name, options, errors, runConfigureSocket: false)).Dispose();
            }
            catch (ZmqException e)
            {
                errors.Add($"socket '{name}': {e.Message}");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Checks the root options: configuration errors, IoThreads by the core's rule, the authenticator's files.</summary>
internal sealed class ZmqOptionsValidator : IValidateOptions<ZmqOptions>
{
    public ValidateOptionsResult Validate(string? name, ZmqOptions options)
    {
        var errors = new List<string>(options.ConfigurationErrors);
        if (options.IoThreads is { } n)
        {
            using var scratch = new Context();
            try
            {
                scratch.IoThreads = n;
            }
            catch (ZmqException e)
            {
                errors.Add($"{Where(options, "IoThreads", n)}: {e.Message}");
            }
        }
        var a = options.Authenticator;
        if (a.PlainPasswords is { } file && file != "*" && !File.Exists(file))
            errors.Add($"{Where(options, "Authenticator:PlainPasswords", file)}: no such password file (full path {Path.GetFullPath(file)}); '*' accepts any user");
        if (a.CurveCertificates is { } dir && dir != "*" && !Directory.Exists(dir))
            errors.Add($"{Where(options, "Authenticator:CurveCertificates", dir)}: no such certificate directory (full path {Path.GetFullPath(dir)}); '*' accepts any client key");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Where(ZmqOptions o, string key, object value) =>
        o.Sources.TryGetValue(key, out var s) ? $"{s.Path} = \"{s.Text}\"" : $"Zmq {key} = {value}";
}
