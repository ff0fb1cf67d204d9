/*
 * handle.h — shared OS resources (sockets, listeners) and the blocking
 * I/O they do without blocking a worker.
 *
 * A Handle lives outside every goroutine heap, like a channel: goroutines
 * reach it through per-heap ObjHandle proxies, each holding one reference;
 * the descriptor is closed by close() or when the last reference goes.
 * Methods (`conn.read`, `listener.accept`) are static natives found by
 * handle_method; the VM calls them with the handle value as args[0].
 *
 * I/O: every descriptor is non-blocking and watched by the poller thread
 * (runtime/poll.c, edge-triggered). An operation is first tried at once
 * on the goroutine's own worker; only when the kernel says EAGAIN does the
 * goroutine queue an IoReq on the handle and park with reason `io`. The
 * poller, on readiness, retries the queued requests in order (it does the
 * system call itself) and readies each finished goroutine, whose complete
 * callback turns the result into values. Both the first try and the
 * retries run under the handle's lock, so a readiness edge that arrives
 * between a goroutine's EAGAIN and its queueing is never missed.
 */
#ifndef CSP_HANDLE_H
#define CSP_HANDLE_H

#include "runtime/rt.h"
#include "runtime/rtint.h"
#include "vm/gor.h"

typedef enum { HANDLE_FILE, HANDLE_CONN, HANDLE_LISTENER } HandleKind;

enum { IO_READ, IO_WRITE, IO_ACCEPT, IO_CONNECT };
enum { IO_ERR_CLOSED = -1 };     /* IoReq.err: the handle was closed */

/* One pending operation of a goroutine on a handle. */
typedef struct IoReq {
    struct IoReq *next;          /* the handle's queue (its lock) */
    Gor *g;
    struct Handle *h;
    int op;                      /* IO_* */
    char *buf;                   /* read: room for len bytes; write: the bytes */
    size_t len;
    size_t done;                 /* write: bytes written so far */
    ssize_t result;              /* read: bytes read (0: EOF); accept: the new descriptor */
    int err;                     /* 0, an errno, or IO_ERR_CLOSED */
} IoReq;

struct Handle {
    PollSource src;              /* first: the poller calls src.event */
    _Atomic int refs;
    HandleKind kind;
    int shown_fd;                /* the descriptor, as %v shows it even after close */
    RtLock lock;                 /* guards everything below */
    int fd;                      /* -1 once closed */
    bool closed;
    bool polled;                 /* registered with the poller */
    IoReq *rq_head, *rq_tail;    /* waiting for input: reads, accepts */
    IoReq *wq_head, *wq_tail;    /* waiting for output room: writes, connects */
    char local[64], remote[64];  /* "127.0.0.1:5000", for messages and addr() */
};

/* A handle owning fd (made non-blocking), with one reference. Registers it
 * with the poller when `poll` is set. */
Handle *handle_new(HandleKind kind, int fd, bool poll);
void handle_retain(Handle *h);
void handle_release(Handle *h);
/* A proxy value in heap `heap`, taking over one reference of h. */
Value handle_value(Heap *heap, Handle *h);
/* The native implementing method `name` of the handle, e.g. conn.read. */
bool handle_method(Value handle, const char *name, Value *out_native);
/* `handle conn 7` */
void handle_format(Handle *h, char *buf, size_t size);
/* Closes the descriptor; queued operations finish with IO_ERR_CLOSED.
 * False when it was already closed. */
bool handle_close(Handle *h);

/* Runs r (r->h, r->op and the buffer set; r malloc'd) for g: finishes at
 * once, returning complete(g, out), or parks g and returns NATIVE_BLOCK
 * (then the VM calls complete on resumption). complete frees r. */
int handle_io(Gor *g, IoReq *r, WaitComplete complete, Value *out);

/* Method tables of stdlib/net.c. */
bool net_conn_method(const char *name, Value *out);
bool net_listener_method(const char *name, Value *out);

#endif
