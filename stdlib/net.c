/*
 * net.c — the `net` module (TCP): listen, dial, and the methods of
 * listeners (accept, close, addr) and connections (read, write, close,
 * local_addr, remote_addr). Each blocks only its goroutine (handle.h).
 *
 * Errors are Go's texts: `dial tcp 127.0.0.1:1: connect: connection
 * refused`, `listen tcp :80: bind: permission denied`, `read tcp
 * 127.0.0.1:5000->127.0.0.1:41000: connection reset by peer`, `EOF` at
 * the end of input, `use of closed network connection` after close().
 */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stdlib/handle.h"
#include "stdlib/stdlib.h"

#define READ_DEFAULT 65536         /* conn.read() without max */

static Value cstr(Gor *g, const char *s)
{
    return STR_VAL(str_new(&g->heap, s, strlen(s)));
}

static Value errorf(Gor *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static Value errorf(Gor *g, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return cstr(g, buf);
}

static const char *errtext(int err, char *buf, size_t size)
{
    if (err == IO_ERR_CLOSED)
        return "use of closed network connection";
    return stdlib_strerror(err, buf, size);
}

/* "127.0.0.1:80", "[::1]:80" */
static void format_addr(const struct sockaddr *sa, char *buf, size_t size)
{
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
        snprintf(buf, size, "%s:%d", host, port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        port = ntohs(in6->sin6_port);
        snprintf(buf, size, "[%s]:%d", host, port);
    } else {
        snprintf(buf, size, "?");
    }
}

static void fill_addrs(Handle *h)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(h->fd, (struct sockaddr *)&ss, &len) == 0)
        format_addr((struct sockaddr *)&ss, h->local, sizeof h->local);
    len = sizeof ss;
    if (h->kind == HANDLE_CONN && getpeername(h->fd, (struct sockaddr *)&ss, &len) == 0)
        format_addr((struct sockaddr *)&ss, h->remote, sizeof h->remote);
}

static void set_nodelay(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* Splits "host:port" / "[v6]:port" / ":port". False: no port. */
static bool split_addr(const char *addr, char *host, size_t hsize, char *port, size_t psize)
{
    const char *colon = strrchr(addr, ':');
    if (!colon)
        return false;
    const char *h = addr;
    size_t hlen = (size_t)(colon - addr);
    if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    if (hlen >= hsize || strlen(colon + 1) >= psize || colon[1] == '\0')
        return false;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    strcpy(port, colon + 1);
    return true;
}

/* Resolves addr; IPv4 addresses first (a server on 127.0.0.1 is then
 * found through "localhost"). On failure returns NULL with *err set. */
static struct addrinfo *resolve(Gor *g, const char *op, const char *addr, bool passive,
                                Value *err)
{
    char host[256], port[32];
    if (!split_addr(addr, host, sizeof host, port, sizeof port)) {
        *err = errorf(g, "%s tcp: address %s: missing port in address", op, addr);
        return NULL;
    }
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0) };
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (rc != 0) {
        if (rc == EAI_NONAME || rc == EAI_NODATA)
            *err = errorf(g, "%s tcp: lookup %s: no such host", op, host);
        else if (rc == EAI_SERVICE)
            *err = errorf(g, "%s tcp: address %s: invalid port", op, addr);
        else
            *err = errorf(g, "%s tcp: lookup %s: %s", op, host, gai_strerror(rc));
        return NULL;
    }
    /* Stable partition: IPv4 first for dialing; for a passive listen on
     * all interfaces, IPv6 first (dual-stack [::] takes both, as in Go). */
    struct addrinfo *first = NULL, **ft = &first, *second = NULL, **st = &second;
    for (struct addrinfo *a = res; a;) {
        struct addrinfo *next = a->ai_next;
        bool front = (a->ai_family == AF_INET) != (passive && !host[0]);
        a->ai_next = NULL;
        if (front) {
            *ft = a;
            ft = &a->ai_next;
        } else {
            *st = a;
            st = &a->ai_next;
        }
        a = next;
    }
    *ft = second;
    return first;
}

/* ------------------------------------------------------------------ */
/* net.listen, net.dial                                                  */

STDLIB_NATIVE(listen, "net.listen");
static int fn_listen(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "net.listen", nargs, 1, 1) ||
        !stdlib_check_type(g, "net.listen", args, 0, VAL_STR, "string"))
        return NATIVE_PANIC;
    const char *addr = AS_STR(args[0])->chars;
    Value err = NIL_VAL;
    struct addrinfo *res = resolve(g, "listen", addr, true, &err);
    if (!res) {
        out[0] = NIL_VAL;
        out[1] = err;
        return 2;
    }
    int fd = -1, last_err = 0;
    const char *stage = "socket";
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            last_err = errno;
            stage = "socket";
            continue;
        }
        int one = 1, zero = 0;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (a->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        if (bind(fd, a->ai_addr, a->ai_addrlen) < 0) {
            last_err = errno;
            stage = "bind";
        } else if (listen(fd, SOMAXCONN) < 0) {
            last_err = errno;
            stage = "listen";
        } else {
            break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        char eb[128];
        out[0] = NIL_VAL;
        out[1] = errorf(g, "listen tcp %s: %s: %s", addr, stage, errtext(last_err, eb, sizeof eb));
        return 2;
    }
    Handle *h = handle_new(HANDLE_LISTENER, fd, true);
    fill_addrs(h);
    out[0] = handle_value(&g->heap, h);
    out[1] = NIL_VAL;
    return 2;
}

static int connect_complete(Gor *g, Value *out)
{
    IoReq *r = g->wait.data;
    Handle *h = r->h;
    int err = r->err;
    free(r);
    if (err != 0) {
        char eb[128];
        out[0] = NIL_VAL;
        out[1] = errorf(g, "dial tcp %s: connect: %s", h->remote, errtext(err, eb, sizeof eb));
        handle_release(h);
        return 2;
    }
    fill_addrs(h);
    out[0] = handle_value(&g->heap, h);
    out[1] = NIL_VAL;
    return 2;
}

STDLIB_NATIVE(dial, "net.dial");
static int fn_dial(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "net.dial", nargs, 1, 1) ||
        !stdlib_check_type(g, "net.dial", args, 0, VAL_STR, "string"))
        return NATIVE_PANIC;
    const char *addr = AS_STR(args[0])->chars;
    Value err = NIL_VAL;
    struct addrinfo *res = resolve(g, "dial", addr, false, &err);
    if (!res) {
        out[0] = NIL_VAL;
        out[1] = err;
        return 2;
    }
    /* Addresses that fail at once are skipped; one whose connection is in
     * progress is waited for. */
    char tried[64] = "";
    int last_err = 0;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        format_addr(a->ai_addr, tried, sizeof tried);
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            last_err = errno;
            continue;
        }
        set_nodelay(fd);
        Handle *h = handle_new(HANDLE_CONN, fd, true);
        snprintf(h->remote, sizeof h->remote, "%s", tried);
        int rc;
        while ((rc = connect(fd, a->ai_addr, a->ai_addrlen)) < 0 && errno == EINTR)
            ;
        if (rc == 0) {
            freeaddrinfo(res);
            fill_addrs(h);
            out[0] = handle_value(&g->heap, h);
            out[1] = NIL_VAL;
            return 2;
        }
        if (errno == EINPROGRESS) {
            freeaddrinfo(res);
            IoReq *r = calloc(1, sizeof *r);
            if (!r)
                heap_out_of_memory();
            r->h = h;
            r->op = IO_CONNECT;
            return handle_io(g, r, connect_complete, out);
        }
        last_err = errno;
        handle_release(h);
    }
    freeaddrinfo(res);
    char eb[128];
    out[0] = NIL_VAL;
    out[1] = errorf(g, "dial tcp %s: connect: %s", tried, errtext(last_err, eb, sizeof eb));
    return 2;
}

/* ------------------------------------------------------------------ */
/* methods                                                                */

static Handle *self(Value *args)
{
    return AS_HANDLE(args[0])->handle;
}

/* Argument checks of a method: the handle (args[0]) is not counted. */
static bool method_nargs(Gor *g, const char *name, int nargs, int min, int max)
{
    return stdlib_check_nargs(g, name, nargs - 1, min, max);
}

static int accept_complete(Gor *g, Value *out)
{
    IoReq *r = g->wait.data;
    Handle *h = r->h;
    int err = r->err;
    int fd = (int)r->result;
    free(r);
    if (err != 0) {
        char eb[128];
        out[0] = NIL_VAL;
        out[1] = errorf(g, "accept tcp %s: %s", h->local, errtext(err, eb, sizeof eb));
        return 2;
    }
    set_nodelay(fd);
    Handle *c = handle_new(HANDLE_CONN, fd, true);
    fill_addrs(c);
    out[0] = handle_value(&g->heap, c);
    out[1] = NIL_VAL;
    return 2;
}

STDLIB_NATIVE(accept, "listener.accept");
static int fn_accept(Gor *g, int nargs, Value *args, Value *out)
{
    if (!method_nargs(g, "listener.accept", nargs, 0, 0))
        return NATIVE_PANIC;
    IoReq *r = calloc(1, sizeof *r);
    if (!r)
        heap_out_of_memory();
    r->h = self(args);
    r->op = IO_ACCEPT;
    return handle_io(g, r, accept_complete, out);
}

static int close_common(Gor *g, const char *what, Value *args, Value *out)
{
    Handle *h = self(args);
    if (handle_close(h)) {
        out[0] = NIL_VAL;
    } else if (h->kind == HANDLE_CONN) {
        out[0] = errorf(g, "close tcp %s->%s: use of closed network connection", h->local, h->remote);
    } else {
        out[0] = errorf(g, "close tcp %s: use of closed network connection", h->local);
    }
    (void)what;
    return 1;
}

STDLIB_NATIVE(lclose, "listener.close");
static int fn_lclose(Gor *g, int nargs, Value *args, Value *out)
{
    if (!method_nargs(g, "listener.close", nargs, 0, 0))
        return NATIVE_PANIC;
    return close_common(g, "listener", args, out);
}

STDLIB_NATIVE(laddr, "listener.addr");
static int fn_laddr(Gor *g, int nargs, Value *args, Value *out)
{
    if (!method_nargs(g, "listener.addr", nargs, 0, 0))
        return NATIVE_PANIC;
    out[0] = cstr(g, self(args)->local);
    return 1;
}

static int read_complete(Gor *g, Value *out)
{
    IoReq *r = g->wait.data;
    Handle *h = r->h;
    if (r->err != 0) {
        char eb[128];
        out[0] = NIL_VAL;
        out[1] = errorf(g, "read tcp %s->%s: %s", h->local, h->remote,
                        errtext(r->err, eb, sizeof eb));
    } else if (r->result == 0) {
        out[0] = NIL_VAL;
        out[1] = cstr(g, "EOF");
    } else {
        out[0] = STR_VAL(str_new(&g->heap, r->buf, (size_t)r->result));
        out[1] = NIL_VAL;
    }
    free(r->buf);
    free(r);
    return 2;
}

STDLIB_NATIVE(read, "conn.read");
static int fn_read(Gor *g, int nargs, Value *args, Value *out)
{
    if (!method_nargs(g, "conn.read", nargs, 0, 1))
        return NATIVE_PANIC;
    int64_t max = READ_DEFAULT;
    if (nargs > 1) {
        if (args[1].type != VAL_INT || args[1].as.i <= 0)
            return stdlib_bad_arg(g, "conn.read", 1, "positive int", args[1]);
        max = args[1].as.i;
        if (max > (1 << 24))
            max = 1 << 24;         /* one read returns at most 16 MiB */
    }
    IoReq *r = calloc(1, sizeof *r);
    char *buf = malloc((size_t)max);
    if (!r || !buf)
        heap_out_of_memory();
    r->h = self(args);
    r->op = IO_READ;
    r->buf = buf;
    r->len = (size_t)max;
    return handle_io(g, r, read_complete, out);
}

static int write_complete(Gor *g, Value *out)
{
    IoReq *r = g->wait.data;
    Handle *h = r->h;
    out[0] = INT_VAL((int64_t)r->done);
    if (r->err != 0) {
        char eb[128];
        out[1] = errorf(g, "write tcp %s->%s: %s", h->local, h->remote,
                        errtext(r->err, eb, sizeof eb));
    } else {
        out[1] = NIL_VAL;
    }
    free(r->buf);
    free(r);
    return 2;
}

STDLIB_NATIVE(write, "conn.write");
static int fn_write(Gor *g, int nargs, Value *args, Value *out)
{
    if (!method_nargs(g, "conn.write", nargs, 1, 1))
        return NATIVE_PANIC;
    if (args[1].type != VAL_STR)
        return stdlib_bad_arg(g, "conn.write", 1, "string", args[1]);
    ObjStr *s = AS_STR(args[1]);
    IoReq *r = calloc(1, sizeof *r);
    char *buf = malloc(s->len + 1);
    if (!r || !buf)
        heap_out_of_memory();
    memcpy(buf, s->chars, s->len);
    r->h = self(args);
    r->op = IO_WRITE;
    r->buf = buf;
    r->len = s->len;
    if (s->len == 0) {
        g->wait.data = r;
        return write_complete(g, out);
    }
    return handle_io(g, r, write_complete, out);
}

STDLIB_NATIVE(cclose, "conn.close");
static int fn_cclose(Gor *g, int nargs, Value *args, Value *out)
{
    if (!method_nargs(g, "conn.close", nargs, 0, 0))
        return NATIVE_PANIC;
    return close_common(g, "conn", args, out);
}

STDLIB_NATIVE(local_addr, "conn.local_addr");
static int fn_local_addr(Gor *g, int nargs, Value *args, Value *out)
{
    if (!method_nargs(g, "conn.local_addr", nargs, 0, 0))
        return NATIVE_PANIC;
    out[0] = cstr(g, self(args)->local);
    return 1;
}

STDLIB_NATIVE(remote_addr, "conn.remote_addr");
static int fn_remote_addr(Gor *g, int nargs, Value *args, Value *out)
{
    if (!method_nargs(g, "conn.remote_addr", nargs, 0, 0))
        return NATIVE_PANIC;
    out[0] = cstr(g, self(args)->remote);
    return 1;
}

static bool find(const ModuleMember *m, size_t n, const char *name, Value *out)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(m[i].name, name) == 0) {
            *out = m[i].value;
            return true;
        }
    }
    return false;
}

static ModuleMember conn_methods[] = {
    NATIVE_MEMBER("read", read),
    NATIVE_MEMBER("write", write),
    NATIVE_MEMBER("close", cclose),
    NATIVE_MEMBER("local_addr", local_addr),
    NATIVE_MEMBER("remote_addr", remote_addr),
};

static ModuleMember listener_methods[] = {
    NATIVE_MEMBER("accept", accept),
    NATIVE_MEMBER("close", lclose),
    NATIVE_MEMBER("addr", laddr),
};

bool net_conn_method(const char *name, Value *out)
{
    return find(conn_methods, sizeof conn_methods / sizeof conn_methods[0], name, out);
}

bool net_listener_method(const char *name, Value *out)
{
    return find(listener_methods, sizeof listener_methods / sizeof listener_methods[0], name, out);
}

static ModuleMember members[] = {
    NATIVE_MEMBER("listen", listen),
    NATIVE_MEMBER("dial", dial),
};

static ObjModule module = {
    { NULL, VAL_MODULE, OBJ_STATIC }, "net", sizeof members / sizeof members[0], members,
};

ObjModule *stdlib_net_module(void)
{
    return &module;
}
