using Microsoft.Extensions.Configuration;

namespace Zmq.Hosting;

/// <summary>Reads the root section (<c>Zmq</c>): IoThreads, Authenticator; Sockets are read per socket. Unknown keys are errors.</summary>
internal static class RootConfigReader
{
    private static readonly string[] RootKeys = ["IoThreads", "Sockets", "Authenticator"];
    private static readonly string[] AuthKeys = ["Enabled", "Allow", "Deny", "CurveCertificates", "PlainPasswords"];

    public static void Read(IConfiguration section, ZmqOptions o)
    {
        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToLowerInvariant())
            {
                case "iothreads":
                    if (child.Value is null) break;
                    if (ConfigValues.TryInt(child.Value, out int n))
                    {
                        o.IoThreads = n;
                        o.Sources["IoThreads"] = (child.Path, child.Value);
                    }
                    else
                    {
                        o.ConfigurationErrors.Add($"{child.Path} = \"{child.Value}\": expects an integer (1 to 64)");
                    }
                    break;
                case "sockets":
                    if (!child.GetChildren().Any() && !string.IsNullOrEmpty(child.Value))
                        o.ConfigurationErrors.Add($"{child.Path} = \"{child.Value}\": Sockets is a section with one section per socket name");
                    foreach (var socket in child.GetChildren())
                        if (!socket.GetChildren().Any() && socket.Value is not null)
                            o.ConfigurationErrors.Add($"{socket.Path} = \"{socket.Value}\": a socket is a section (Type, Endpoints, ...), not a value");
                    break;
                case "authenticator":
                    ReadAuthenticator(child, o);
                    break;
                default:
                    o.ConfigurationErrors.Add($"{child.Path}: unknown key{SocketConfigReader.Suggest(child.Key, RootKeys)}; the Zmq section takes {string.Join(", ", RootKeys)}");
                    break;
            }
        }
    }

    private static void ReadAuthenticator(IConfigurationSection section, ZmqOptions o)
    {
        var a = o.Authenticator;
        a.Enabled = true;
        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToLowerInvariant())
            {
                case "enabled":
                    if (child.Value is null) break;
                    if (ConfigValues.TryBool(child.Value, out bool b)) a.Enabled = b;
                    else o.ConfigurationErrors.Add($"{child.Path} = \"{child.Value}\": expects true or false");
                    break;
                case "allow":
                    ReadList(child, a.Allow, o);
                    break;
                case "deny":
                    ReadList(child, a.Deny, o);
                    break;
                case "curvecertificates":
                    a.CurveCertificates = child.Value;
                    o.Sources["Authenticator:CurveCertificates"] = (child.Path, child.Value);
                    break;
                case "plainpasswords":
                    a.PlainPasswords = child.Value;
                    o.Sources["Authenticator:PlainPasswords"] = (child.Path, child.Value);
                    break;
                default:
                    o.ConfigurationErrors.Add($"{child.Path}: unknown key{SocketConfigReader.Suggest(child.Key, AuthKeys)}; Authenticator takes {string.Join(", ", AuthKeys)}");
                    break;
            }
        }
    }

    private static void ReadList(IConfigurationSection child, IList<string> into, ZmqOptions o)
    {
        var items = child.GetChildren().ToList();
        into.Clear();
        if (items.Count == 0)
        {
            // One string: a comma-separated list of addresses.
            foreach (var a in (child.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) into.Add(a);
            return;
        }
        foreach (var item in items)
        {
            if (item.Value is null || item.GetChildren().Any()) o.ConfigurationErrors.Add($"{item.Path}: expects an IP address");
            else into.Add(item.Value);
        }
    }
}
