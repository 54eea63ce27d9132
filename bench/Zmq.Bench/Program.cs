using Zmq.Bench;

// The whole-process server modes of bench/scale.sh, hostile.sh and fanout.sh (ours and libzmq).
if (args.Length >= 2 && ProcessBench.Handles(args[1]))
    return ProcessBench.Run(args);

var args2 = BenchArgs.Parse(args);
if (args2 is null)
    return 2;
try
{
    switch (args2.Lib)
    {
        case "libzmq":
            if (!Zmq.LibZmq.LibZmq.IsAvailable)
            {
                Console.Error.WriteLine("Zmq.Bench: libzmq unavailable: " + Zmq.LibZmq.LibZmq.UnavailableReason);
                return 1;
            }
            if (args2.Curve && !Zmq.LibZmq.LibZmq.Has("curve"))
            {
                Console.Error.WriteLine("Zmq.Bench: this libzmq was built without CURVE (zmq_has(\"curve\") is false)");
                return 1;
            }
            LibZmqBench.Run(args2);
            break;
        default:
            NetMqBench.Run(args2);
            break;
    }
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"Zmq.Bench {args2.Lib} {args2.Mode} failed: {e}");
    return 1;
}
