using Microsoft.Extensions.Logging;

namespace Zmq.Toolkit;

public sealed partial class Proxy
{
    /// <summary>
    /// A command handler that replaces libzmq's on the control socket (the zproxy actor's command
    /// set); returns true to end the proxy.
    /// </summary>
    internal Func<Socket, Message, bool>? CommandHandler { get; set; }

    /// <summary>One command from the control socket; true for TERMINATE.</summary>
    private bool HandleCommand(Socket control, Message command)
    {
        if (CommandHandler is { } custom) return custom(control, command);
        string text = command.Count == 1 ? command.GetString(0) : $"({command.Count} frames)";
        bool rep = control.Type == SocketType.Rep;
        switch (text)
        {
            case "PAUSE":
                SetPaused(true);
                break;
            case "RESUME":
                SetPaused(false);
                break;
            case "TERMINATE":
                if (rep) control.TrySend([]);
                return true;
            case "STATISTICS":
                if (control.Type is SocketType.Sub or SocketType.Pull)
                    _logger.LogWarning("proxy: STATISTICS needs a control socket that can send, not {Type}", control.Type);
                else
                    control.TrySend(new Message(Statistics.ToFrames()));
                return false;
            default:
                _logger.LogWarning("proxy: unknown control command '{Command}' (PAUSE, RESUME, TERMINATE, STATISTICS)", text);
                if (rep) control.TrySend(System.Text.Encoding.UTF8.GetBytes($"ERROR unknown command '{text}': PAUSE, RESUME, TERMINATE or STATISTICS"));
                return false;
        }
        if (rep) control.TrySend([]);
        return false;
    }

    /// <summary>For a command handler: pause or resume from the proxy's thread.</summary>
    internal void SetPausedFromHandler(bool paused) => SetPaused(paused);
}
