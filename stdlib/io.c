/*
 * io.c — the `io` module: read_line, read_all, lines, write, write_err.
 *
 * Standard input is read by one dedicated thread (started on first need)
 * into a shared buffer: stdin may be a terminal, a pipe or a file, and a
 * blocking read() on it must never hold a worker. A goroutine whose
 * request the buffer can satisfy at once (a whole line is there) takes it
 * without parking; otherwise it queues its request, parks with reason
 * `io`, and the reader thread reads until the request at the head of the
 * queue can be answered, answers it and readies the goroutine. Requests
 * are answered in the order they were made.
 *
 * lines() returns a channel (capacity LINES_CAP) fed by the reader thread:
 * it sends each line as a runtime sender (chan_send_external), waiting
 * while the channel is full, and closes the channel at end of input.
 *
 * Deadlock accounting: a parked read counts as outstanding I/O from its
 * request until after the goroutine was readied; the lines feeder counts
 * only while it reads, and stops counting only after it delivered what it
 * read, so a program waiting for a line that is coming is never declared
 * deadlocked, and one whose lines nobody receives is.
 *
 * A line is the text before "\n", without it (and without a "\r" before
 * it, as Go's bufio.Scanner); a last line without a newline still counts.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/rt.h"
#include "runtime/rtint.h"
#include "stdlib/stdlib.h"
#include "vm/fmt.h"
#include "vm/strbuf.h"

#define LINES_CAP 64               /* lines() buffer: the reader may run a little ahead */
#define READ_CHUNK 65536

enum { REQ_LINE, REQ_ALL, REQ_LINES };

typedef struct InReq {
    struct InReq *next;
    int kind;
    Gor *g;                      /* REQ_LINE, REQ_ALL */
    Chan *chan;                  /* REQ_LINES (one reference) */
    /* the answer */
    char *data;                  /* malloc'd; NULL with err or at EOF */
    size_t len;
    int err;                     /* errno of a failed read */
    bool eof;                    /* nothing more: nil, "EOF" */
} InReq;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cond;         /* the reader thread waits for requests */
    bool started;
    char *buf;                   /* unread input: buf[start, start + len) */
    size_t start, len, cap;
    bool eof;
    int err;
    InReq *head, *tail;
} in = { .mu = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

/* in.mu held. Appends n bytes of input. */
static void buf_append(const char *data, size_t n)
{
    if (in.start > 0 && in.start + in.len + n > in.cap) {
        memmove(in.buf, in.buf + in.start, in.len);
        in.start = 0;
    }
    if (in.len + n > in.cap) {
        size_t cap = in.cap ? in.cap : READ_CHUNK;
        while (cap < in.len + n)
            cap *= 2;
        char *b = realloc(in.buf, cap);
        if (!b)
            heap_out_of_memory();
        in.buf = b;
        in.cap = cap;
    }
    memcpy(in.buf + in.start + in.len, data, n);
    in.len += n;
}

/* in.mu held. Takes n bytes off the front of the buffer into a new string. */
static char *buf_take(size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        heap_out_of_memory();
    memcpy(s, in.buf + in.start, n);
    in.start += n;
    in.len -= n;
    if (in.len == 0)
        in.start = 0;
    return s;
}

/* in.mu held. Answers r from the buffer if it can be answered now. */
static bool try_answer(InReq *r)
{
    if (r->kind == REQ_LINE) {
        char *nl = in.len ? memchr(in.buf + in.start, '\n', in.len) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - (in.buf + in.start));
            r->data = buf_take(n + 1);
            r->len = n > 0 && r->data[n - 1] == '\r' ? n - 1 : n;
            return true;
        }
        if (in.len > 0 && (in.eof || in.err)) {
            r->len = in.len;
            r->data = buf_take(in.len);
            return true;
        }
    } else {
        if (in.eof) {
            r->len = in.len;
            r->data = buf_take(in.len);
            return true;
        }
    }
    if (in.err) {
        r->err = in.err;
        return true;
    }
    if (in.eof) {
        r->eof = true;
        return true;
    }
    return false;
}

/* Reads one chunk of stdin (in.mu not held). */
static void read_chunk(void)
{
    static char chunk[READ_CHUNK];
    ssize_t n;
    for (;;) {
        n = read(0, chunk, sizeof chunk);
        if (n >= 0 || errno == EINTR)
            break;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            struct pollfd p = { .fd = 0, .events = POLLIN };
            poll(&p, 1, -1);   /* stdin left non-blocking by someone */
            continue;
        }
        break;
    }
    pthread_mutex_lock(&in.mu);
    if (n > 0)
        buf_append(chunk, (size_t)n);
    else if (n == 0)
        in.eof = true;
    else if (errno != EINTR)
        in.err = errno;
    pthread_mutex_unlock(&in.mu);
}

/* The lines feeder's wait for room in a full channel. */
typedef struct FeedWait {
    ChanExtWaiter x;             /* first */
    _Atomic uint32_t done;
} FeedWait;

/* Runs on the thread of whoever took the line (or closed the channel),
 * which is busy, so no deadlock check can run in between: count the
 * feeder as pending I/O again before it wakes, not after. */
static void feed_notify(ChanExtWaiter *x)
{
    FeedWait *fw = (FeedWait *)x;
    sched_io_begin();
    atomic_store(&fw->done, 1);
    rt_futex_wake(&fw->done, 1);
}

/* Sends one line (or returns false when the channel was closed by the
 * program: then the feeding stops). in.mu not held. */
static bool feed_send(Chan *c, const char *line, size_t len)
{
    FeedWait fw;
    memset(&fw, 0, sizeof fw);
    Heap msg;
    heap_init(&msg);
    Value v = STR_VAL(str_new(&msg, line, len));
    fw.x.notify = feed_notify;
    int rc = chan_send_external(c, v, &msg, &fw.x);
    if (rc == -1) {
        sched_io_end();            /* queued: now it is up to the receivers */
        while (atomic_load(&fw.done) == 0)
            rt_futex_wait(&fw.done, 0);
        rc = fw.x.ok;              /* counted as pending again by feed_notify */
        if (!rc)
            heap_free_all(&fw.x.heap);
    } else if (rc == 0) {
        heap_free_all(&msg);
    }
    return rc != 0;
}

/* Feeds every line of stdin into r->chan, then closes it. in.mu held on
 * entry and exit. Counts as outstanding I/O (from io.lines() on) but for
 * the time it waits for a receiver. */
static void feed_lines(InReq *r)
{
    bool open = true;
    for (;;) {
        InReq line = { .kind = REQ_LINE };
        if (try_answer(&line)) {
            if (line.eof || line.err)
                break;
            pthread_mutex_unlock(&in.mu);
            if (open)
                open = feed_send(r->chan, line.data, line.len);
            free(line.data);
            pthread_mutex_lock(&in.mu);
            continue;
        }
        pthread_mutex_unlock(&in.mu);
        read_chunk();
        pthread_mutex_lock(&in.mu);
    }
    pthread_mutex_unlock(&in.mu);
    if (open)
        chan_close_runtime(r->chan);
    chan_release(r->chan);
    sched_io_end();
    pthread_mutex_lock(&in.mu);
}

static void *reader_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&in.mu);
    for (;;) {
        while (!in.head)
            pthread_cond_wait(&in.cond, &in.mu);
        InReq *r = in.head;
        if (r->kind == REQ_LINES) {
            feed_lines(r);
        } else if (!try_answer(r)) {
            pthread_mutex_unlock(&in.mu);
            read_chunk();
            pthread_mutex_lock(&in.mu);
            continue;
        }
        in.head = r->next;
        if (!in.head)
            in.tail = NULL;
        if (r->kind == REQ_LINES) {
            free(r);
            continue;
        }
        pthread_mutex_unlock(&in.mu);
        sched_wake(r->g);          /* r belongs to its goroutine from here */
        sched_io_end();
        pthread_mutex_lock(&in.mu);
    }
    return NULL;
}

/* in.mu held. */
static void enqueue(InReq *r)
{
    r->next = NULL;
    if (in.tail)
        in.tail->next = r;
    else
        in.head = r;
    in.tail = r;
    if (!in.started) {
        pthread_t t;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, reader_main, NULL) != 0) {
            rt_write_stderr("fatal error: cannot create stdin reader thread\n", 47);
            rt_exit(2);
        }
        pthread_attr_destroy(&attr);
        in.started = true;
    }
    pthread_cond_signal(&in.cond);
}

/* The results of an answered request; frees it. */
static int answer(Gor *g, InReq *r, Value *out)
{
    if (r->err) {
        char eb[128];
        const char *msg = stdlib_strerror(r->err, eb, sizeof eb);
        out[0] = NIL_VAL;
        out[1] = STR_VAL(str_new(&g->heap, "read /dev/stdin: ", 17));
        out[1] = STR_VAL(str_concat(&g->heap, AS_STR(out[1]), str_new(&g->heap, msg, strlen(msg))));
    } else if (r->eof) {
        out[0] = r->kind == REQ_ALL ? STR_VAL(str_new(&g->heap, "", 0)) : NIL_VAL;
        out[1] = r->kind == REQ_ALL ? NIL_VAL : STR_VAL(str_new(&g->heap, "EOF", 3));
    } else {
        out[0] = STR_VAL(str_new(&g->heap, r->data, r->len));
        out[1] = NIL_VAL;
    }
    free(r->data);
    free(r);
    return 2;
}

static int read_complete(Gor *g, Value *out)
{
    InReq *r = g->wait.data;
    g->wait.data = NULL;
    return answer(g, r, out);
}

static int request(Gor *g, int kind, Value *out)
{
    InReq *r = calloc(1, sizeof *r);
    if (!r)
        heap_out_of_memory();
    r->kind = kind;
    r->g = g;
    pthread_mutex_lock(&in.mu);
    if (!in.head && try_answer(r)) {
        pthread_mutex_unlock(&in.mu);
        return answer(g, r, out);
    }
    g->wait.data = r;
    sched_io_begin();
    sched_park(g, "io", read_complete);
    enqueue(r);
    pthread_mutex_unlock(&in.mu);
    return NATIVE_BLOCK;
}

STDLIB_NATIVE(read_line, "io.read_line");
static int fn_read_line(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "io.read_line", nargs, 0, 0))
        return NATIVE_PANIC;
    return request(g, REQ_LINE, out);
}

STDLIB_NATIVE(read_all, "io.read_all");
static int fn_read_all(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "io.read_all", nargs, 0, 0))
        return NATIVE_PANIC;
    return request(g, REQ_ALL, out);
}

STDLIB_NATIVE(lines, "io.lines");
static int fn_lines(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "io.lines", nargs, 0, 0))
        return NATIVE_PANIC;
    Chan *c = chan_new(LINES_CAP);
    ObjChan *o = (ObjChan *)heap_alloc(&g->heap, sizeof(ObjChan), VAL_CHAN);
    o->chan = c;
    InReq *r = calloc(1, sizeof *r);
    if (!r)
        heap_out_of_memory();
    r->kind = REQ_LINES;
    r->chan = c;
    chan_retain(c);
    sched_io_begin();              /* the feeder's: ended by feed_lines */
    pthread_mutex_lock(&in.mu);
    enqueue(r);
    pthread_mutex_unlock(&in.mu);
    out[0] = OBJ_VAL(VAL_CHAN, o);
    return 1;
}

static void write_values(int nargs, Value *args, void (*put)(const char *, size_t))
{
    StrBuf b;
    strbuf_init(&b);
    for (int i = 0; i < nargs; i++)
        fmt_value(&b, args[i]);
    if (b.len > 0)
        put(b.data, b.len);
    strbuf_free(&b);
}

STDLIB_NATIVE(write, "io.write");
static int fn_write(Gor *g, int nargs, Value *args, Value *out)
{
    write_values(nargs, args, rt_write_stdout);
    return 0;
}

STDLIB_NATIVE(write_err, "io.write_err");
static int fn_write_err(Gor *g, int nargs, Value *args, Value *out)
{
    write_values(nargs, args, rt_write_stderr);
    return 0;
}

static ModuleMember members[] = {
    NATIVE_MEMBER("read_line", read_line),
    NATIVE_MEMBER("read_all", read_all),
    NATIVE_MEMBER("lines", lines),
    NATIVE_MEMBER("write", write),
    NATIVE_MEMBER("write_err", write_err),
};

static ObjModule module = {
    { NULL, VAL_MODULE, OBJ_STATIC }, "io", sizeof members / sizeof members[0], members,
};

ObjModule *stdlib_io_module(void)
{
    return &module;
}
