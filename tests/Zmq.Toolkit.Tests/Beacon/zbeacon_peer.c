/*  CZMQ's zbeacon driven by lines on stdin: the beacon tests build this with gcc against
    libczmq-dev and run it inside network namespaces, with the same line protocol as
    tests/Zmq.BeaconPeer (payloads and prefixes in lowercase hex, "" for empty):
      CONFIGURE port            -> HOST<TAB>address   (zbeacon's answer; "" when it failed)
      PUBLISH hex interval-ms | SILENCE | SUBSCRIBE hex | UNSUBSCRIBE | VERBOSE
      QUIT (or end of input)
    stdout: BEACON<TAB>address<TAB>hex for each beacon zbeacon delivers.  */
#include <czmq.h>
#include <unistd.h>

static size_t s_unhex (const char *hex, byte *out)
{
    size_t n = strlen (hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned int b;
        sscanf (hex + 2 * i, "%2x", &b);
        out [i] = (byte) b;
    }
    return n;
}

static void s_handle (zactor_t *beacon, char *line, bool *quit)
{
    char *cmd = strtok (line, " ");
    char *a1 = strtok (NULL, " ");
    char *a2 = strtok (NULL, " ");
    byte data [1024];
    if (!cmd)
        return;
    if (streq (cmd, "CONFIGURE")) {
        zsock_send (beacon, "si", "CONFIGURE", atoi (a1 ? a1 : "0"));
        char *host = zstr_recv (beacon);
        printf ("HOST\t%s\n", host ? host : "");
        fflush (stdout);
        zstr_free (&host);
    }
    else if (streq (cmd, "PUBLISH")) {
        size_t n = s_unhex (a1 ? a1 : "", data);
        zsock_send (beacon, "sbi", "PUBLISH", data, n, atoi (a2 ? a2 : "0"));
    }
    else if (streq (cmd, "SILENCE"))
        zstr_send (beacon, "SILENCE");
    else if (streq (cmd, "SUBSCRIBE")) {
        size_t n = s_unhex (a1 ? a1 : "", data);
        zsock_send (beacon, "sb", "SUBSCRIBE", data, n);
    }
    else if (streq (cmd, "UNSUBSCRIBE"))
        zstr_send (beacon, "UNSUBSCRIBE");
    else if (streq (cmd, "VERBOSE"))
        zstr_send (beacon, "VERBOSE");
    else if (streq (cmd, "QUIT"))
        *quit = true;
    else
        fprintf (stderr, "unknown command: %s\n", cmd);
}

int main (void)
{
    zactor_t *beacon = zactor_new (zbeacon, NULL);
    char buffer [4096];
    size_t used = 0;
    bool quit = false;
    while (!quit) {
        zmq_pollitem_t items [] = {
            { zsock_resolve (beacon), 0, ZMQ_POLLIN, 0 },
            { NULL, STDIN_FILENO, ZMQ_POLLIN, 0 }
        };
        if (zmq_poll (items, 2, -1) == -1)
            break;
        if (items [0].revents & ZMQ_POLLIN) {
            zmsg_t *msg = zmsg_recv (beacon);
            if (!msg)
                break;
            char *address = zmsg_popstr (msg);
            zframe_t *payload = zmsg_pop (msg);
            printf ("BEACON\t%s\t", address ? address : "");
            for (size_t i = 0; payload && i < zframe_size (payload); i++)
                printf ("%02x", zframe_data (payload) [i]);
            printf ("\n");
            fflush (stdout);
            zstr_free (&address);
            zframe_destroy (&payload);
            zmsg_destroy (&msg);
        }
        if (items [1].revents & (ZMQ_POLLIN | ZMQ_POLLERR)) {
            ssize_t n = read (STDIN_FILENO, buffer + used, sizeof (buffer) - used - 1);
            if (n <= 0)
                break;
            used += (size_t) n;
            char *start = buffer, *nl;
            while (!quit && (nl = memchr (start, '\n', used - (start - buffer)))) {
                *nl = 0;
                s_handle (beacon, start, &quit);
                start = nl + 1;
            }
            used -= (size_t) (start - buffer);
            memmove (buffer, start, used);
        }
    }
    zactor_destroy (&beacon);
    return 0;
}
