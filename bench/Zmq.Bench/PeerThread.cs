namespace Zmq.Bench;

/// <summary>The other side of an --inproc run, on its own thread; a failure there ends the process (exit 1).</summary>
internal static class PeerThread
{
    public static Thread Start(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                // The measuring side would wait forever for messages that never come.
                Console.Error.WriteLine($"Zmq.Bench: inproc {name} thread failed: {e}");
                Environment.Exit(1);
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }
}
