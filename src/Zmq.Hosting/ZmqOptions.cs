namespace Zmq.Hosting;

/// <summary>
/// Options of the host's ZeroMQ context and its ZAP authenticator (configuration: the section
/// given to <c>AddZmq</c>, usually <c>Zmq</c>; its sockets are under <c>Zmq:Sockets</c>).
/// </summary>
public sealed class ZmqOptions
{
    /// <summary><see cref="Context.IoThreads"/> of the host's context (1 to 64; default 1).</summary>
    public int? IoThreads { get; set; }

    /// <summary>The ZAP authenticator (CZMQ's zauth rules) of the host's context; none unless configured.</summary>
    public ZmqAuthenticatorOptions Authenticator { get; } = new();

    internal Dictionary<string, (string Path, string? Text)> Sources { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal List<string> ConfigurationErrors { get; } = [];
}

/// <summary>
/// The host's <see cref="global::Zmq.Authenticator"/>: created before the first socket, so no
/// server socket ever runs without it (a CURVE server without a ZAP handler accepts every client that
/// knows its key). Configuration: <c>Zmq:Authenticator</c>.
/// </summary>
public sealed class ZmqAuthenticatorOptions
{
    /// <summary>Create the authenticator even if nothing else below is set (then only NULL peers pass, and PLAIN/CURVE peers are refused). Set by the presence of the section too.</summary>
    public bool Enabled { get; set; }

    /// <summary>IP addresses to allow (every other address is refused once one is allowed).</summary>
    public IList<string> Allow { get; } = new List<string>();

    /// <summary>IP addresses to refuse.</summary>
    public IList<string> Deny { get; } = new List<string>();

    /// <summary>CURVE clients: a directory of their public certificates (CZMQ's zcert files), or <c>*</c> for any client that knows the server's key.</summary>
    public string? CurveCertificates { get; set; }

    /// <summary>PLAIN clients: a password file (<c>user=password</c> lines), or <c>*</c> to accept any user name and password.</summary>
    public string? PlainPasswords { get; set; }

    /// <summary>Runs last with the authenticator (e.g. <see cref="global::Zmq.Authenticator.Custom"/>).</summary>
    public Action<global::Zmq.Authenticator>? Configure { get; set; }

    internal bool IsEnabled => Enabled || Allow.Count > 0 || Deny.Count > 0 || CurveCertificates is not null || PlainPasswords is not null || Configure is not null;
}
