/*
 * handle.c — shared OS handles: reference counting, proxies, methods, and
 * the non-blocking I/O engine described in handle.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stdlib/handle.h"

static void handle_event(PollSource *src, uint32_t events);

Handle *handle_new(HandleKind kind, int fd, bool poll)
{
    Handle *h = calloc(1, sizeof *h);
    if (!h) {
        rt_write_stderr("fatal error: out of memory\n", 27);
        rt_exit(2);
    }
    h->src.event = handle_event;
    atomic_init(&h->refs, 1);
    h->kind = kind;
    h->fd = fd;
    h->shown_fd = fd;
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0 && !(flags & O_NONBLOCK))
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    if (poll)
        h->polled = poll_add(fd, &h->src) == 0;
    return h;
}

void handle_retain(Handle *h)
{
    atomic_fetch_add_explicit(&h->refs, 1, memory_order_relaxed);
}

void handle_release(Handle *h)
{
    if (atomic_fetch_sub_explicit(&h->refs, 1, memory_order_acq_rel) != 1)
        return;
    handle_close(h);
    /* The poller may still hold h from an event batch fetched before the
     * descriptor left epoll: it frees h once that batch is done. */
    if (h->polled)
        poll_defer_free(h);
    else
        free(h);
}

Value handle_value(Heap *heap, Handle *h)
{
    ObjHandle *o = (ObjHandle *)heap_alloc(heap, sizeof(ObjHandle), VAL_HANDLE);
    o->handle = h;
    return OBJ_VAL(VAL_HANDLE, o);
}

static const char *kind_name(HandleKind k)
{
    switch (k) {
    case HANDLE_CONN: return "conn";
    case HANDLE_LISTENER: return "listener";
    default: return "file";
    }
}

void handle_format(Handle *h, char *buf, size_t size)
{
    snprintf(buf, size, "handle %s %d", kind_name(h->kind), h->shown_fd);
}

bool handle_method(Value handle, const char *name, Value *out_native)
{
    if (handle.type != VAL_HANDLE)
        return false;
    switch (AS_HANDLE(handle)->handle->kind) {
    case HANDLE_CONN: return net_conn_method(name, out_native);
    case HANDLE_LISTENER: return net_listener_method(name, out_native);
    default: return false;
    }
}

/* ------------------------------------------------------------------ */
/* the engine                                                             */

/* Tries r once more. True when it finished (result or error set); false
 * when the kernel has nothing for it yet. h->lock held. */
static bool io_try(IoReq *r)
{
    int fd = r->h->fd;
    for (;;) {
        switch (r->op) {
        case IO_READ: {
            ssize_t n = read(fd, r->buf, r->len);
            if (n >= 0) {
                r->result = n;
                return true;
            }
            break;
        }
        case IO_WRITE: {
            ssize_t n = send(fd, r->buf + r->done, r->len - r->done, MSG_NOSIGNAL);
            if (n >= 0) {
                r->done += (size_t)n;
                if (r->done == r->len)
                    return true;
                continue;
            }
            break;
        }
        case IO_ACCEPT: {
            int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (c >= 0) {
                r->result = c;
                return true;
            }
            if (errno == ECONNABORTED)
                continue;
            break;
        }
        case IO_CONNECT: {
            /* SO_ERROR reads 0 while the connection is still in progress:
             * ask whether the socket became writable (or failed) first. */
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            if (poll(&p, 1, 0) == 0)
                return false;
            int err = 0;
            socklen_t len = sizeof err;
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
                err = errno;
            r->err = err;
            return true;
        }
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return false;
        r->err = errno;
        return true;
    }
}

static void queue_push(IoReq **head, IoReq **tail, IoReq *r)
{
    r->next = NULL;
    if (*tail)
        (*tail)->next = r;
    else
        *head = r;
    *tail = r;
}

/* Finishes the queue's requests in order while the kernel lets them;
 * finished ones go to *done. h->lock held. */
static void drain(IoReq **head, IoReq **tail, IoReq **done)
{
    while (*head && io_try(*head)) {
        IoReq *r = *head;
        *head = r->next;
        if (!*head)
            *tail = NULL;
        r->next = *done;
        *done = r;
    }
}

static void wake_all(IoReq *done)
{
    while (done) {
        IoReq *r = done;
        done = r->next;
        sched_wake(r->g);          /* r belongs to its goroutine from here */
        sched_io_end();
    }
}

static void handle_event(PollSource *src, uint32_t events)
{
    Handle *h = (Handle *)src;
    IoReq *done = NULL;
    rt_lock(&h->lock);
    if (!h->closed) {
        if (events & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP))
            drain(&h->rq_head, &h->rq_tail, &done);
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            drain(&h->wq_head, &h->wq_tail, &done);
    }
    rt_unlock(&h->lock);
    wake_all(done);
}

static bool is_input(int op)
{
    return op == IO_READ || op == IO_ACCEPT;
}

int handle_io(Gor *g, IoReq *r, WaitComplete complete, Value *out)
{
    Handle *h = r->h;
    r->g = g;
    g->wait.data = r;
    rt_lock(&h->lock);
    IoReq **head = is_input(r->op) ? &h->rq_head : &h->wq_head;
    IoReq **tail = is_input(r->op) ? &h->rq_tail : &h->wq_tail;
    if (h->closed) {
        r->err = IO_ERR_CLOSED;
    } else if (*head || !io_try(r)) {
        queue_push(head, tail, r);
        sched_io_begin();
        sched_park(g, "io", complete);
        rt_unlock(&h->lock);
        return NATIVE_BLOCK;
    }
    rt_unlock(&h->lock);
    return complete(g, out);
}

bool handle_close(Handle *h)
{
    IoReq *done = NULL;
    rt_lock(&h->lock);
    if (h->closed) {
        rt_unlock(&h->lock);
        return false;
    }
    h->closed = true;
    for (IoReq **q = &h->rq_head; q; q = q == &h->rq_head ? &h->wq_head : NULL) {
        while (*q) {
            IoReq *r = *q;
            *q = r->next;
            r->err = IO_ERR_CLOSED;
            r->next = done;
            done = r;
        }
    }
    h->rq_tail = h->wq_tail = NULL;
    if (h->polled)
        poll_del(h->fd);
    close(h->fd);
    h->fd = -1;
    rt_unlock(&h->lock);
    wake_all(done);
    return true;
}
