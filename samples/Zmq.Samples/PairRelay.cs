namespace Zmq.Samples;

/// <summary>
/// The guide's mtrelay: three steps on three threads, each signalling the next over an inproc PAIR
/// (an exclusive connection between exactly two sockets). Each step binds before it starts the
/// step that connects to it, so no signal can be lost.
/// </summary>
internal static class PairRelay
{
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        using var context = new Context();
        using var step3 = new PairSocket("@inproc://step3", context);
        var step2 = Threads.Start(() => Step2(context));
        Console.WriteLine($"step 3: step 2 says {step3.ReceiveString()}");
        await step2.WaitAsync(cancellationToken);
        Console.WriteLine("step 3: test successful");
    }

    private static void Step2(Context context)
    {
        using var receiver = new PairSocket("@inproc://step2", context);
        var step1 = Threads.Start(() => Step1(context));
        Console.WriteLine($"step 2: step 1 says {receiver.ReceiveString()}");
        step1.Wait();
        using var sender = new PairSocket(">inproc://step3", context);
        Console.WriteLine("step 2: ready, signalling step 3");
        sender.SendString("READY");
    }

    private static void Step1(Context context)
    {
        using var sender = new PairSocket(">inproc://step2", context);
        Console.WriteLine("step 1: ready, signalling step 2");
        sender.SendString("READY");
    }
}
