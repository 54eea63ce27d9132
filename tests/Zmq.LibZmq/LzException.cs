namespace Zmq.LibZmq;

/// <summary>A libzmq call failed; the message is zmq_strerror(zmq_errno()).</summary>
public sealed class LzException : Exception
{
    /// <summary>Creates the exception for an error number.</summary>
    public LzException(int errno, string message) : base(message) => Errno = errno;

    /// <summary>The libzmq error number (compare with <see cref="LzErrno"/>).</summary>
    public int Errno { get; }

    /// <summary>Builds the exception from the calling thread's zmq_errno().</summary>
    public static LzException FromErrno(string operation)
    {
        var errno = Native.zmq_errno();
        return new LzException(errno, $"{operation} failed: {LibZmq.StrError(errno)} (errno {errno})");
    }
}
