using Zmq;

// Busy sockets on every transport, connected and mid-traffic, none disposed.
var pull = new PullSocket("@tcp://127.0.0.1:*");
var push = new PushSocket(">" + pull.LastEndpoint);
var ipcPull = new PullSocket("@ipc://*");
var ipcPush = new PushSocket(">" + ipcPull.LastEndpoint);
var inPull = new PullSocket("@inproc://exit-probe");
var inPush = new PushSocket(">inproc://exit-probe");
var orphan = new PushSocket(">tcp://127.0.0.1:9"); // connecting forever to a closed port
push.HeartbeatInterval = TimeSpan.FromMilliseconds(10);
for (int i = 0; i < 100; i++)
{
    push.SendString("x");
    ipcPush.SendString("x");
    inPush.SendString("x");
    orphan.SendString("queued for nobody");
}
pull.ReceiveString();
ipcPull.ReceiveString();
inPull.ReceiveString();
var blocked = new Thread(() => { try { pull.Receive(); } catch (ZmqException) { } }) { IsBackground = true };
blocked.Start();
Console.WriteLine("returning from Main with undisposed sockets");
GC.KeepAlive(new object[] { push, ipcPush, inPush, orphan });
return 0;
