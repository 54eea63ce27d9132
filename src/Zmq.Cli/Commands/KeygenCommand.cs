using System.CommandLine;

namespace Zmq.Cli.Commands;

/// <summary>
/// <c>zmq keygen [--cert NAME] [--force]</c>: a new CURVE key pair, printed in Z85 as
/// <c>public: ...</c> and <c>secret: ...</c>; with <c>--cert</c> also saved as CZMQ certificates
/// NAME (public key only) and NAME_secret (both keys, owner-only on Unix).
/// </summary>
internal static class KeygenCommand
{
    public static Command Create()
    {
        var cert = new Option<string?>("--cert", "-c")
        {
            Description = "Also write the CZMQ certificate files NAME (public key) and NAME_secret (both keys, mode 0600).",
            HelpName = "NAME",
        };
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite existing certificate files (by default keygen refuses, so a secret key is never lost by accident)." };
        var command = new Command("keygen", "Generate a CURVE key pair: prints 'public: <Z85>' and 'secret: <Z85>' (as zmq_curve_keypair).")
        {
            cert, force,
        };
        command.SetAction(parse => Run(parse.GetValue(cert), parse.GetValue(force)));
        return command;
    }

    private static int Run(string? certName, bool force)
    {
        if (certName is { Length: 0 })
        {
            Console.Error.WriteLine("zmq keygen: --cert needs a file name, not ''");
            return ExitCodes.Usage;
        }
        var keys = CurveKeyPair.Generate();
        if (certName is not null && !Save(keys, certName, force))
            return ExitCodes.Failure;
        Console.WriteLine("public: " + keys.PublicKeyZ85);
        Console.WriteLine("secret: " + keys.SecretKeyZ85);
        return ExitCodes.Ok;
    }

    /// <summary>Writes NAME and NAME_secret; on failure prints one stderr line and returns false.</summary>
    private static bool Save(CurveKeyPair keys, string name, bool force)
    {
        var secretName = name + "_secret";
        if (!force)
        {
            var existing = File.Exists(name) || Directory.Exists(name) ? name : File.Exists(secretName) ? secretName : null;
            if (existing is not null)
            {
                Console.Error.WriteLine($"zmq keygen: '{existing}' already exists (use --force to overwrite it)");
                return false;
            }
        }
        try
        {
            new Certificate(keys).Save(name); // removes a public file it created when the secret one fails
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"zmq keygen: cannot write the certificate '{name}': {e.Message}");
            return false;
        }
    }
}
