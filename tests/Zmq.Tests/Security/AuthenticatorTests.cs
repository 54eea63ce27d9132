using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Security;

/// <summary>
/// The ZAP handler with zauth's rules, driven over a real DEALER (and REQ) connected to
/// <see cref="Zap.Endpoint"/> in a context of the test's own, checking the exact reply frames.
/// </summary>
public sealed class AuthenticatorTests : IDisposable
{
    private static readonly TimeSpan ReplyWait = TimeSpan.FromSeconds(5);
    private readonly string _dir = Directory.CreateTempSubdirectory("zmq-auth-").FullName;
    private readonly SocketScope _scope = new();
    private readonly CapturingLoggerFactory _logs = new();

    public AuthenticatorTests() => _scope.Context.LoggerFactory = _logs;

    public void Dispose()
    {
        _scope.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(byte[] b) => Encoding.UTF8.GetString(b);

    private static ZapRequest Request(string mechanism, string address = "127.0.0.1", string id = "1", params byte[][] credentials) => new()
    {
        Version = "1.0",
        RequestId = B(id),
        Domain = "global",
        Address = address,
        Identity = B("server-id"),
        Mechanism = mechanism,
        Credentials = credentials,
    };

    private static ZapRequest Plain(string user, string password, string address = "127.0.0.1", string id = "1") =>
        Request("PLAIN", address, id, B(user), B(password));

    private static ZapRequest Curve(byte[] clientKey, string address = "127.0.0.1", string id = "1") =>
        Request("CURVE", address, id, clientKey);

    private DealerSocket Client()
    {
        var dealer = _scope.Dealer();
        dealer.Connect(Zap.Endpoint);
        return dealer;
    }

    /// <summary>Sends <c>""</c> + the request's frames, returns the reply's frames (with the delimiter).</summary>
    private static byte[][] Ask(DealerSocket dealer, ZapRequest request) => AskRaw(dealer, request.ToFrames());

    private static byte[][] AskRaw(DealerSocket dealer, params byte[][] frames)
    {
        dealer.SendFrames([[], .. frames]);
        Assert.True(dealer.TryReceive(ReplyWait, out var reply), "no ZAP reply within 5 s");
        using (reply) return reply.ToArrays();
    }

    /// <summary>The exact 7 reply frames a DEALER receives.</summary>
    private static void AssertReply(byte[][] reply, string id, string status, string text, string userId = "", byte[]? metadata = null)
    {
        Assert.Equal(7, reply.Length);
        Assert.Empty(reply[0]);
        Assert.Equal("1.0", S(reply[1]));
        Assert.Equal(id, S(reply[2]));
        Assert.Equal(status, S(reply[3]));
        Assert.Equal(text, S(reply[4]));
        Assert.Equal(userId, S(reply[5]));
        Assert.Equal(metadata ?? [], reply[6]);
    }

    private static void AssertOk(byte[][] reply, string userId = "", string id = "1", byte[]? metadata = null) =>
        AssertReply(reply, id, "200", "OK", userId, metadata);

    private static void AssertDenied(byte[][] reply, string text, string id = "1") => AssertReply(reply, id, "400", text);

    /// <summary>ZMTP metadata encoded by hand (name length byte, name, 4-byte big-endian value length, value), independent of the library's encoder.</summary>
    private static byte[] Properties(params (string Name, string Value)[] props)
    {
        var bytes = new List<byte>();
        foreach (var (name, value) in props)
        {
            bytes.Add((byte)name.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(name));
            var len = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(len, Encoding.UTF8.GetByteCount(value));
            bytes.AddRange(len);
            bytes.AddRange(B(value));
        }
        return [.. bytes];
    }

    private string PathOf(string name) => Path.Combine(_dir, name);

    private Authenticator NewAuthenticator() => new(_scope.Context);

    // ---------------------------------------------------------------- NULL and addresses

    [Fact]
    public void Null_IsAllowed_WithEmptyUserIdAndMetadata_AndTheRequestIdEchoed()
    {
        using var auth = NewAuthenticator();
        var dealer = Client();
        AssertOk(Ask(dealer, Request("NULL", id: "1")));
        AssertOk(Ask(dealer, Request("NULL", id: "req-42")), id: "req-42");
        Assert.Equal(2, auth.Allowed);
        Assert.Equal(0, auth.Denied);
    }

    [Fact]
    public void AllowList_PassesListedAddresses_AndDeniesAllOthers_EvenThoseNotOnTheDenyList()
    {
        using var auth = NewAuthenticator();
        auth.Allow("10.0.0.1", "10.0.0.2");
        auth.Deny("10.0.0.2"); // ignored while an allow list exists (zauth)
        var dealer = Client();
        AssertOk(Ask(dealer, Request("NULL", "10.0.0.1")));
        AssertOk(Ask(dealer, Request("NULL", "10.0.0.2")));
        AssertDenied(Ask(dealer, Request("NULL", "10.0.0.3")), "address not in allow list");
        AssertDenied(Ask(dealer, Request("NULL", "")), "address not in allow list"); // ipc: no address
        Assert.Equal(2, auth.Allowed);
        Assert.Equal(2, auth.Denied);
    }

    [Fact]
    public void DenyList_DeniesListedAddresses_AndAllowsOthers()
    {
        using var auth = NewAuthenticator();
        auth.Deny("192.168.1.66");
        var dealer = Client();
        AssertDenied(Ask(dealer, Request("NULL", "192.168.1.66")), "address denied");
        AssertOk(Ask(dealer, Request("NULL", "192.168.1.67")));
        auth.ConfigurePlainAllowAny();
        AssertDenied(Ask(dealer, Plain("admin", "x", "192.168.1.66")), "address denied"); // before any mechanism check
    }

    [Fact]
    public void UnknownMechanism_IsDenied_EvenFromAnAllowedAddress()
    {
        using var auth = NewAuthenticator();
        auth.Allow("127.0.0.1");
        var dealer = Client();
        AssertDenied(Ask(dealer, Request("GSSAPI", credentials: B("principal"))), "mechanism GSSAPI not supported");
        AssertDenied(Ask(dealer, Request("FOO")), "mechanism FOO not supported");
    }

    // ---------------------------------------------------------------- PLAIN

    [Fact]
    public void Plain_InMemoryUsers_RightPasswordAllowed_WrongPasswordAndUnknownUserDenied()
    {
        using var auth = NewAuthenticator();
        auth.ConfigurePlain(new Dictionary<string, string> { ["admin"] = "secret", ["bob"] = "" });
        var dealer = Client();
        AssertOk(Ask(dealer, Plain("admin", "secret")), userId: "admin");
        AssertDenied(Ask(dealer, Plain("admin", "Secret")), "no such user or wrong password");
        AssertDenied(Ask(dealer, Plain("admin", "secret ")), "no such user or wrong password");
        AssertDenied(Ask(dealer, Plain("eve", "secret")), "no such user or wrong password");
        AssertOk(Ask(dealer, Plain("bob", "")), userId: "bob");
        Assert.Equal(2, auth.Allowed);
        Assert.Equal(3, auth.Denied);
    }

    [Fact]
    public void Plain_WithoutConfiguration_IsDenied_EvenFromAnAllowedAddress()
    {
        using var auth = NewAuthenticator();
        auth.Allow("127.0.0.1");
        var dealer = Client();
        AssertDenied(Ask(dealer, Plain("admin", "secret")), "PLAIN not configured");
        auth.ConfigurePlain(new Dictionary<string, string> { ["admin"] = "secret" });
        AssertDenied(Ask(dealer, Plain("admin", "wrong")), "no such user or wrong password"); // listed, still must authenticate
        AssertOk(Ask(dealer, Plain("admin", "secret")), userId: "admin");
    }

    [Fact]
    public void Plain_AllowAny_AcceptsAnyUserAndPassword_WithTheUserNameAsUserId()
    {
        using var auth = NewAuthenticator();
        auth.ConfigurePlainAllowAny();
        var dealer = Client();
        AssertOk(Ask(dealer, Plain("whoever", "whatever")), userId: "whoever");
        AssertOk(Ask(dealer, Plain("", "")), userId: "");
    }

    [Fact]
    public void Plain_PasswordFile_FollowsZhashxFormat()
    {
        string file = PathOf("passwords");
        File.WriteAllText(file,
            "# a comment=not a user\n" +
            "\n" +
            "admin=secret\n" +
            "carol=pa=ss\n" +          // split at the first '='
            "=nobody\n" +              // no user name: skipped
            "no equals sign\n" +
            "dave=old\n" +
            "dave=new\n" +             // a later line wins
            "erin = spaced\n" +        // nothing is trimmed
            "frank=crlf\r\n" +
            "  #indented=kept\n");      // only a '#' in column 1 is a comment
        using var auth = NewAuthenticator();
        auth.ConfigurePlain(file);
        var dealer = Client();
        AssertOk(Ask(dealer, Plain("admin", "secret")), userId: "admin");
        AssertOk(Ask(dealer, Plain("carol", "pa=ss")), userId: "carol");
        AssertDenied(Ask(dealer, Plain("carol", "pa")), "no such user or wrong password");
        AssertDenied(Ask(dealer, Plain("", "nobody")), "no such user or wrong password");
        AssertDenied(Ask(dealer, Plain("# a comment", "not a user")), "no such user or wrong password");
        AssertDenied(Ask(dealer, Plain("dave", "old")), "no such user or wrong password");
        AssertOk(Ask(dealer, Plain("dave", "new")), userId: "dave");
        AssertOk(Ask(dealer, Plain("erin ", " spaced")), userId: "erin ");
        AssertDenied(Ask(dealer, Plain("erin", "spaced")), "no such user or wrong password");
        AssertOk(Ask(dealer, Plain("frank", "crlf")), userId: "frank");
        AssertOk(Ask(dealer, Plain("  #indented", "kept")), userId: "  #indented");
    }

    [Fact]
    public void Plain_PasswordFile_IsReadAgain_WhenRewrittenAtOnce_EvenWithTheSameSize()
    {
        string file = PathOf("passwords");
        File.WriteAllText(file, "admin=secret1\n");
        using var auth = NewAuthenticator();
        auth.ConfigurePlain(file);
        var dealer = Client();
        AssertOk(Ask(dealer, Plain("admin", "secret1")), userId: "admin");
        var stamp = File.GetLastWriteTimeUtc(file);
        File.WriteAllText(file, "admin=secret2\n");
        File.SetLastWriteTimeUtc(file, stamp); // same size and time stamp, as on a file system with coarse time stamps
        AssertOk(Ask(dealer, Plain("admin", "secret2")), userId: "admin");
        AssertDenied(Ask(dealer, Plain("admin", "secret1")), "no such user or wrong password");
    }

    [Fact]
    public void Plain_PasswordFile_IsReadAgain_WhenItsTimeStampChanges()
    {
        string file = PathOf("passwords");
        File.WriteAllText(file, "admin=secret\n");
        var old = DateTime.UtcNow.AddHours(-2); // long settled: only a changed stamp makes it re-read
        File.SetLastWriteTimeUtc(file, old);
        using var auth = NewAuthenticator();
        auth.ConfigurePlain(file);
        var dealer = Client();
        AssertOk(Ask(dealer, Plain("admin", "secret")), userId: "admin");
        File.WriteAllText(file, "admin=other\n");
        File.SetLastWriteTimeUtc(file, old.AddMinutes(1));
        AssertOk(Ask(dealer, Plain("admin", "other")), userId: "admin");
        AssertDenied(Ask(dealer, Plain("admin", "secret")), "no such user or wrong password");
        File.AppendAllText(file, "bob=builder\n");
        File.SetLastWriteTimeUtc(file, old.AddMinutes(2));
        AssertOk(Ask(dealer, Plain("bob", "builder")), userId: "bob");
    }

    [Fact]
    public void Plain_MissingPasswordFile_DeniesEveryone_WithAReasonLogged_UntilTheFileAppears()
    {
        string file = PathOf("not-yet");
        using var auth = NewAuthenticator();
        auth.ConfigurePlain(file);
        var dealer = Client();
        AssertDenied(Ask(dealer, Plain("admin", "secret")), $"password file {file} not found");
        Assert.Contains(_logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains(file) && l.Text.Contains("not found"));
        File.WriteAllText(file, "admin=secret\n");
        AssertOk(Ask(dealer, Plain("admin", "secret")), userId: "admin");
        File.Delete(file);
        AssertDenied(Ask(dealer, Plain("admin", "secret")), $"password file {file} not found");
    }

    [Fact]
    public void Plain_ConfiguringAgain_ReplacesTheEarlierSource()
    {
        string file = PathOf("passwords");
        File.WriteAllText(file, "fileuser=pw\n");
        using var auth = NewAuthenticator();
        auth.ConfigurePlainAllowAny();
        auth.ConfigurePlain(file);
        var dealer = Client();
        AssertDenied(Ask(dealer, Plain("anyone", "pw")), "no such user or wrong password");
        auth.ConfigurePlain(new Dictionary<string, string> { ["memuser"] = "pw" });
        AssertDenied(Ask(dealer, Plain("fileuser", "pw")), "no such user or wrong password");
        AssertOk(Ask(dealer, Plain("memuser", "pw")), userId: "memuser");
    }

    // ---------------------------------------------------------------- CURVE

    [Fact]
    public void Curve_WithoutConfiguration_IsDenied()
    {
        using var auth = NewAuthenticator();
        var dealer = Client();
        AssertDenied(Ask(dealer, Curve(Certificate.Generate().PublicKey)), "CURVE not configured");
    }

    [Fact]
    public void Curve_AllowAny_AcceptsAnyKey_WithTheZ85KeyAsUserId()
    {
        using var auth = NewAuthenticator();
        auth.ConfigureCurveAllowAny();
        var dealer = Client();
        var key = Certificate.Generate();
        AssertOk(Ask(dealer, Curve(key.PublicKey)), userId: key.PublicKeyZ85);
    }

    [Fact]
    public void Curve_CertificateDirectory_TrustsItsKeys_WithTheCertificateMetadata_AndDeniesOthers()
    {
        var alice = Certificate.Generate();
        alice.SetMeta("name", "Alice");
        alice.SetMeta("email", "alice@example.com");
        alice.Save(PathOf("alice")); // alice + alice_secret
        var bob = Certificate.Generate();
        bob.SavePublic(PathOf("bob.cert")); // no metadata
        using var auth = NewAuthenticator();
        auth.ConfigureCurve(_dir);
        var dealer = Client();

        AssertOk(Ask(dealer, Curve(alice.PublicKey)), userId: alice.PublicKeyZ85,
            metadata: Properties(("name", "Alice"), ("email", "alice@example.com")));
        AssertOk(Ask(dealer, Curve(bob.PublicKey)), userId: bob.PublicKeyZ85);
        AssertDenied(Ask(dealer, Curve(Certificate.Generate().PublicKey)), "client key not trusted");
    }

    [Fact]
    public void Curve_CertificateAddedToTheDirectoryLater_IsAccepted_AndARemovedOneDenied()
    {
        using var auth = NewAuthenticator();
        auth.ConfigureCurve(_dir);
        var dealer = Client();
        var carol = Certificate.Generate();
        AssertDenied(Ask(dealer, Curve(carol.PublicKey)), "client key not trusted");
        carol.SetMeta("role", "ops");
        carol.SavePublic(PathOf("carol")); // a new file changes the directory listing: seen on the next lookup
        AssertOk(Ask(dealer, Curve(carol.PublicKey)), userId: carol.PublicKeyZ85, metadata: Properties(("role", "ops")));
        File.Delete(PathOf("carol"));
        AssertDenied(Ask(dealer, Curve(carol.PublicKey)), "client key not trusted");
    }

    [Fact]
    public void Curve_InMemoryStore_AndAnAllowedAddressMustStillAuthenticate()
    {
        var store = new CertificateStore();
        var dan = Certificate.Generate();
        store.Insert(new Certificate(dan.PublicKey));
        using var auth = NewAuthenticator();
        auth.Allow("127.0.0.1");
        auth.ConfigureCurve(store);
        var dealer = Client();
        AssertOk(Ask(dealer, Curve(dan.PublicKey)), userId: dan.PublicKeyZ85);
        AssertDenied(Ask(dealer, Curve(Certificate.Generate().PublicKey)), "client key not trusted");
        AssertDenied(Ask(dealer, Curve(dan.PublicKey, "127.0.0.2")), "address not in allow list");
    }

    [Fact]
    public void Curve_ConfiguringAgain_ReplacesAllowAny()
    {
        using var auth = NewAuthenticator();
        auth.ConfigureCurveAllowAny();
        var dealer = Client();
        var key = Certificate.Generate().PublicKey;
        AssertOk(Ask(dealer, Curve(key)), userId: Z85.Encode(key));
        auth.ConfigureCurve(new CertificateStore());
        AssertDenied(Ask(dealer, Curve(key)), "client key not trusted");
    }

    // ---------------------------------------------------------------- malformed requests

    [Fact]
    public void MalformedRequests_Get500WhenTheyHaveAnId_AndTheHandlerKeepsServing()
    {
        using var auth = NewAuthenticator();
        var dealer = Client();

        var badVersion = AskRaw(dealer, B("2.0"), B("7"), B("global"), B("127.0.0.1"), [], B("NULL"));
        AssertReply(badVersion, "7", "500", "malformed ZAP request: unsupported ZAP version \"2.0\"");

        var tooShort = AskRaw(dealer, B("1.0"), B("8"), B("global"));
        AssertReply(tooShort, "8", "500", "malformed ZAP request: a ZAP request has at least 6 frames, not 3");

        var plainOneCredential = AskRaw(dealer, B("1.0"), B("9"), B("global"), B("127.0.0.1"), [], B("PLAIN"), B("admin"));
        AssertReply(plainOneCredential, "9", "500", "malformed ZAP request: a PLAIN ZAP request carries 2 credential frame(s), not 1");

        var shortKey = AskRaw(dealer, B("1.0"), B("10"), B("global"), B("127.0.0.1"), [], B("CURVE"), new byte[31]);
        AssertReply(shortKey, "10", "500", "malformed ZAP request: a CURVE credential is a 32-byte public key");

        // No request id at all: nothing can be answered, and the next request still is.
        dealer.SendFrames([[], B("1.0")]);
        Assert.False(dealer.TryReceive(TimeSpan.FromMilliseconds(200), out var none));
        none?.Dispose();
        AssertOk(Ask(dealer, Request("NULL", id: "11")), id: "11");

        Assert.Equal(1, auth.Allowed);
        Assert.Equal(5, auth.Denied);
        Assert.Contains(_logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("malformed request"));
    }

    [Fact]
    public void ARequestWithoutDelimiter_IsAnsweredWithoutOne()
    {
        using var auth = NewAuthenticator();
        var dealer = Client();
        dealer.SendFrames(Request("NULL", id: "5").ToFrames());
        Assert.True(dealer.TryReceive(ReplyWait, out var reply));
        byte[][] frames;
        using (reply) frames = reply.ToArrays();
        AssertOk([[], .. frames], id: "5");
    }

    [Fact]
    public void AReqClient_GetsItsReply() // REQ adds and strips the delimiter itself
    {
        using var auth = NewAuthenticator();
        var req = _scope.Req();
        req.Connect(Zap.Endpoint);
        req.SendFrames(Plain("u", "p", id: "3").ToFrames());
        var frames = req.ReceiveFrames();
        Assert.Equal(["1.0", "3", "400", "PLAIN not configured", "", ""], frames.Select(S));
    }

    // ---------------------------------------------------------------- concurrency and lifetime

    [Fact]
    public void ConcurrentRequests_FromTwoDealers_EachGetTheirOwnReplies()
    {
        using var auth = NewAuthenticator();
        auth.ConfigurePlain(new Dictionary<string, string> { ["a"] = "pa", ["b"] = "pb" });
        const int N = 200;
        var dealers = new[] { Client(), Client() };
        var users = new[] { "a", "b" };
        var failures = new ConcurrentQueue<string>();
        var threads = Enumerable.Range(0, 2).Select(c => new Thread(() =>
        {
            try
            {
                var dealer = dealers[c];
                for (int i = 0; i < N; i++) // pipelined: all sent first, then all received, so requests interleave
                {
                    string password = i % 2 == 0 ? "p" + users[c] : "wrong";
                    dealer.SendFrames([[], .. Plain(users[c], password, id: $"{users[c]}-{i}").ToFrames()]);
                }
                for (int i = 0; i < N; i++)
                {
                    if (!dealer.TryReceive(ReplyWait, out var m)) { failures.Enqueue($"{users[c]}: reply {i} missing"); return; }
                    byte[][] f;
                    using (m) f = m.ToArrays();
                    string expect = i % 2 == 0 ? $"200 {users[c]}" : "400 ";
                    string got = $"{S(f[3])} {S(f[5])}";
                    if (S(f[2]) != $"{users[c]}-{i}" || got != expect) failures.Enqueue($"{users[c]}: reply {i} was id {S(f[2])}, {got}");
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e.ToString());
            }
        }) { IsBackground = true, Name = $"zap-client-{c}" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Wait.Join(t));
        Assert.Empty(failures);
        Assert.Equal(N, auth.Allowed);
        Assert.Equal(N, auth.Denied);
    }

    [Fact]
    public void ASecondHandlerInTheSameContext_IsRefused_AndAfterDisposeANewOneBinds()
    {
        var first = NewAuthenticator();
        var e = Assert.Throws<ZmqException>(() => new Authenticator(_scope.Context));
        Assert.Equal(ZmqError.AddressInUse, e.Error);
        Assert.Contains("a ZAP handler is already bound in this context", e.Message);
        Assert.Equal(Zap.Endpoint, e.Endpoint);

        using var other = new Context();
        using (new Authenticator(other)) { } // another context has its own namespace

        first.Dispose();
        first.Dispose(); // idempotent
        using var second = NewAuthenticator();
        second.ConfigurePlainAllowAny();
        AssertOk(Ask(Client(), Plain("x", "y")), userId: "x");
        Assert.Equal(1, second.Allowed);
    }

    [Fact]
    public async Task DisposeAsync_Unbinds_SoANewHandlerCanBind()
    {
        var first = NewAuthenticator();
        AssertOk(Ask(Client(), Request("NULL")));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await first.DisposeAsync();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"DisposeAsync took {sw.Elapsed}");
        await using var second = NewAuthenticator();
        second.Deny("127.0.0.1");
        AssertDenied(Ask(Client(), Request("NULL")), "address denied");
    }

    [Fact]
    public void Dispose_IsQuick_AndStopsTheThread()
    {
        var auth = NewAuthenticator();
        var dealer = Client();
        AssertOk(Ask(dealer, Request("NULL")));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        auth.Dispose();
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"Dispose took {sw.Elapsed}");
        Assert.DoesNotContain(_logs.Lines, l => l.Level >= LogLevel.Error);
    }

    // ---------------------------------------------------------------- custom hook, logging

    [Fact]
    public void Custom_DecidesFirst_NullFallsThrough_AndFailuresGive500()
    {
        using var auth = NewAuthenticator();
        auth.Custom = r => r.Domain == "special"
            ? new ZapReply { StatusCode = 200, StatusText = "welcome", UserId = "vip", Metadata = new Dictionary<string, byte[]> { ["tier"] = B("gold") } }
            : r.Domain == "boom" ? throw new InvalidOperationException("hook failed")
            : r.Domain == "odd" ? new ZapReply { StatusCode = 201 }
            : null;
        var dealer = Client();
        var special = Request("PLAIN", credentials: [B("u"), B("p")]);
        AssertReply(Ask(dealer, new ZapRequest
        {
            Version = "1.0", RequestId = B("1"), Domain = "special", Address = "127.0.0.1", Identity = [], Mechanism = "PLAIN",
            Credentials = [B("u"), B("p")],
        }), "1", "200", "welcome", "vip", Properties(("tier", "gold")));
        AssertDenied(Ask(dealer, special), "PLAIN not configured"); // domain "global": falls through to the rules
        AssertReply(Ask(dealer, new ZapRequest
        {
            Version = "1.0", RequestId = B("2"), Domain = "boom", Address = "", Identity = [], Mechanism = "NULL", Credentials = [],
        }), "2", "500", "internal error: hook failed");
        AssertReply(Ask(dealer, new ZapRequest
        {
            Version = "1.0", RequestId = B("3"), Domain = "odd", Address = "", Identity = [], Mechanism = "NULL", Credentials = [],
        }), "3", "500", "the custom handler returned status 201, not 200, 300, 400 or 500");
        AssertOk(Ask(dealer, Request("NULL", id: "4")), id: "4");
        Assert.Equal(2, auth.Allowed);
        Assert.Equal(3, auth.Denied);
    }

    [Fact]
    public void EveryDecision_IsLoggedAtInformation_WithMechanismAddressAndUser_ButNeverThePassword()
    {
        using var auth = NewAuthenticator();
        auth.ConfigurePlain(new Dictionary<string, string> { ["admin"] = "hunter2" });
        auth.ConfigureCurveAllowAny();
        var dealer = Client();
        AssertOk(Ask(dealer, Plain("admin", "hunter2", "10.1.2.3")), userId: "admin");
        AssertDenied(Ask(dealer, Plain("admin", "letmein", "10.1.2.4")), "no such user or wrong password");
        var key = Certificate.Generate();
        AssertOk(Ask(dealer, Curve(key.PublicKey, "10.1.2.5")), userId: key.PublicKeyZ85);
        AssertOk(Ask(dealer, Request("NULL", "10.1.2.6")));

        var decisions = _logs.Lines.Where(l => l.Category == "Zmq.Authenticator" && l.Level == LogLevel.Information && l.Text.StartsWith("ZAP ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, decisions.Count);
        Assert.Equal("ZAP PLAIN from address '10.1.2.3' (domain 'global') user 'admin': allowed (password correct)", decisions[0].Text);
        Assert.Equal("ZAP PLAIN from address '10.1.2.4' (domain 'global') user 'admin': denied, status 400 (no such user or wrong password)", decisions[1].Text);
        Assert.Equal($"ZAP CURVE from address '10.1.2.5' (domain 'global') key {key.PublicKeyZ85}: allowed (any client key allowed)", decisions[2].Text);
        Assert.Equal("ZAP NULL from address '10.1.2.6' (domain 'global'): allowed (NULL)", decisions[3].Text);
        Assert.DoesNotContain(_logs.Lines, l => l.Text.Contains("hunter2") || l.Text.Contains("letmein"));
    }

    [Fact]
    public void Counters_CountEveryDecision()
    {
        using var auth = NewAuthenticator();
        auth.Deny("6.6.6.6");
        var dealer = Client();
        for (int i = 0; i < 5; i++) AssertOk(Ask(dealer, Request("NULL", id: $"{i}")), id: $"{i}");
        for (int i = 0; i < 3; i++) AssertDenied(Ask(dealer, Request("NULL", "6.6.6.6")), "address denied");
        Assert.Equal(5, auth.Allowed);
        Assert.Equal(3, auth.Denied);
    }

    /// <summary>Collects formatted log lines from every logger it creates.</summary>
    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        private readonly ConcurrentQueue<(string Category, LogLevel Level, string Text)> _lines = new();

        public IReadOnlyList<(string Category, LogLevel Level, string Text)> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void AddProvider(ILoggerProvider provider) { }

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
