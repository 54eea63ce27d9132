namespace Zmq.Cli.Cat;

/// <summary>
/// The security options of <c>zmq cat</c>: CURVE server (<c>--curve-server</c> with <c>--curve-secret</c>
/// or <c>--cert</c>), CURVE client (<c>--curve-serverkey</c>, with an ephemeral key pair unless
/// <c>--curve-secret</c> or <c>--cert</c> gives one), PLAIN server (<c>--plain-server</c>, a ZAP
/// handler checking <c>--plain-users</c> or letting anyone in) and PLAIN client
/// (<c>--plain-user</c>/<c>--plain-password</c>).
/// </summary>
internal static class CatSecurity
{
    /// <summary>Checks combinations and key syntax (usage errors); files are read by <see cref="Apply"/>.</summary>
    public static void CheckSyntax(CatSettings s)
    {
        bool curve = s.CurveServer || s.CurveServerKey is not null || s.CurveSecret is not null || s.CertFile is not null;
        bool plain = s.PlainServer || s.PlainUsersFile is not null || s.PlainUser is not null || s.PlainPassword is not null;
        if (curve && plain) throw new CatUsageException("CURVE and PLAIN options cannot be mixed: choose one mechanism");
        if (s.CurveServer && s.CurveServerKey is not null)
            throw new CatUsageException("--curve-server and --curve-serverkey cannot be mixed: a server has no server key to name");
        if ((s.CurveSecret is not null || s.CertFile is not null) && !s.CurveServer && s.CurveServerKey is null)
            throw new CatUsageException($"{(s.CurveSecret is not null ? "--curve-secret" : "--cert")} needs --curve-server or --curve-serverkey");
        if (s.CurveSecret is not null && s.CertFile is not null)
            throw new CatUsageException("give --curve-secret or --cert, not both");
        if (s.CurveServer && s.CurveSecret is null && s.CertFile is null)
            throw new CatUsageException("--curve-server needs --curve-secret Z85 or --cert FILE");
        if (s.CurveSecret is not null) DecodeKey(s.CurveSecret, "--curve-secret", "secret");
        if (s.CurveServerKey is not null && !File.Exists(s.CurveServerKey)) DecodeKey(s.CurveServerKey, "--curve-serverkey", "public");

        if (s.PlainServer && (s.PlainUser is not null || s.PlainPassword is not null))
            throw new CatUsageException("--plain-server and --plain-user/--plain-password cannot be mixed");
        if (s.PlainUsersFile is not null && !s.PlainServer)
            throw new CatUsageException("--plain-users needs --plain-server");
        if ((s.PlainUser is null) != (s.PlainPassword is null))
            throw new CatUsageException(s.PlainUser is null ? "--plain-password needs --plain-user" : "--plain-user needs --plain-password");
    }

    /// <summary>
    /// Configures <paramref name="socket"/> (before any bind or connect) and, for a PLAIN server,
    /// starts the ZAP handler it needs (returned, to dispose at the end).
    /// </summary>
    /// <exception cref="CatFailureException">A file could not be read.</exception>
    /// <exception cref="CatUsageException">A certificate holds no secret key where one is needed.</exception>
    public static IDisposable? Apply(Socket socket, CatSettings s)
    {
        if (s.CurveServer)
        {
            socket.MakeCurveServer(s.CurveSecret is not null
                ? CurveKeyPair.FromSecretKey(DecodeKey(s.CurveSecret, "--curve-secret", "secret"))
                : OwnKeys(s.CertFile!));
        }
        else if (s.CurveServerKey is not null)
        {
            byte[] serverKey = File.Exists(s.CurveServerKey)
                ? LoadCertificate(s.CurveServerKey, "--curve-serverkey").PublicKey
                : DecodeKey(s.CurveServerKey, "--curve-serverkey", "public");
            CurveKeyPair? own = s.CurveSecret is not null
                ? CurveKeyPair.FromSecretKey(DecodeKey(s.CurveSecret, "--curve-secret", "secret"))
                : s.CertFile is not null ? OwnKeys(s.CertFile) : null;
            socket.MakeCurveClient(serverKey, own);
        }
        else if (s.PlainServer)
        {
            if (s.PlainUsersFile is not null)
            {
                try
                {
                    _ = File.ReadAllText(s.PlainUsersFile);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CatFailureException($"cannot read --plain-users '{s.PlainUsersFile}': {e.Message}");
                }
            }
            var auth = new Authenticator(socket.Context);
            if (s.PlainUsersFile is not null) auth.ConfigurePlain(s.PlainUsersFile);
            else auth.ConfigurePlainAllowAny();
            socket.PlainServer = true;
            return auth;
        }
        else if (s.PlainUser is not null)
        {
            try
            {
                socket.PlainUsername = s.PlainUser;
                socket.PlainPassword = s.PlainPassword;
            }
            catch (ZmqException e)
            {
                throw new CatUsageException($"bad --plain-user or --plain-password: {e.Message}");
            }
        }
        return null;
    }

    private static byte[] DecodeKey(string z85, string option, string what)
    {
        try
        {
            return CurveKeyPair.DecodeKey(z85, what);
        }
        catch (FormatException e)
        {
            throw new CatUsageException($"bad {option} '{z85}': {e.Message}");
        }
    }

    private static CurveKeyPair OwnKeys(string file) =>
        LoadCertificate(file, "--cert").KeyPair
        ?? throw new CatUsageException($"bad --cert '{file}': no secret key in it (and no {file}_secret); give the secret certificate");

    private static Certificate LoadCertificate(string file, string option)
    {
        try
        {
            return Certificate.Load(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new CatFailureException($"cannot read {option} '{file}': {e.Message}");
        }
    }
}
