namespace Zmq.Toolkit.Tests;

/// <summary>Tests that measure the whole process (threads, CPU time) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
