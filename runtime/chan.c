/*
 * chan.c — channels and select.
 *
 * Invariants (each guarded by the channel's lock):
 *   - at most one of recvq and sendq holds live waiters (one exception: a
 *     select blocked with both a send and a receive case on the same
 *     channel waits in both queues; only other goroutines meet its
 *     entries, and whichever claims the select first makes the other
 *     entry stale); for a buffered
 *     channel, receivers wait only while the buffer is empty and senders
 *     only while it is full (a select's stale entries, whose select already
 *     fired elsewhere, may linger in either queue until someone meets them;
 *     they are skipped and dropped);
 *   - a closed channel has no waiting receivers and no waiting senders;
 *   - buffered values leave in FIFO order; a sender woken because the
 *     buffer got room already had its value moved into the buffer by the
 *     receiver that made the room, so FIFO holds across blocked senders.
 *
 * Values cross by deep copy. The sender copies its value into a message
 * heap before taking the lock (scalars and static objects need no copy and
 * no heap); the message then moves, as a (value, heap) pair, to a waiting
 * receiver's GorWait, to a buffer slot or into the sender's own waiter,
 * and the receiver adopts the heap's objects into its own heap. No thread
 * ever reads another goroutine's heap.
 *
 * Waking: whoever completes a parked goroutine's operation dequeues its
 * waiter under the channel lock; a select's waiters are claimed with a CAS
 * on the select's `done` word first, so only one case of a select ever
 * fires. The completer fills the goroutine's GorWait and calls sched_wake
 * after unlocking.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/chan.h"
#include "runtime/rt.h"
#include "runtime/rtint.h"

typedef struct WaitQ {
    ChanWaiter *first, *last;
} WaitQ;

typedef struct ChanSlot {
    Value value;
    Heap heap;
} ChanSlot;

struct Chan {
    RtSpin lock;                 /* never held across a wake-up or a blocking call */
    bool closed;                 /* lock */
    _Atomic int64_t refs;
    int64_t cap;                 /* immutable */
    int64_t count;               /* buffered values (lock) */
    int64_t head;                /* oldest value's slot (lock) */
    int64_t size;                /* slots allocated, <= cap; grows on demand (lock) */
    ChanSlot *buf;               /* lock */
    WaitQ recvq, sendq;          /* lock */
};

/* A select that blocked: one waiter per case, in one allocation with its
 * cases' messages. Freed by the goroutine itself once it resumed. */
typedef struct SelCase {
    Chan *chan;
    bool is_send;
    Value value;                 /* send case: the message */
    Heap heap;
    ChanWaiter w;
} SelCase;

struct SelectWait {
    _Atomic int done;            /* 0 until one case is claimed */
    int n;
    int nlocks;
    Chan **locks;                /* the distinct channels, by address: lock order */
    SelCase cases[];
};

/* ------------------------------------------------------------------ */
/* messages                                                              */

static inline void heap_clear(Heap *h)
{
    memset(h, 0, sizeof *h);
}

static inline bool needs_copy(Value v)
{
    return VAL_IS_OBJ(v) && !(v.as.o->flags & OBJ_STATIC);
}

static inline void msg_make(Value v, Value *mv, Heap *mh)
{
    if (needs_copy(v)) {
        heap_init(mh);
        *mv = heap_copy_value(mh, v);
    } else {
        *mv = v;
        heap_clear(mh);
    }
}

static inline void msg_free(Heap *mh)
{
    if (mh->objects) {
        heap_free_all(mh);
        heap_clear(mh);
    }
}

static inline void msg_adopt(Gor *g, Heap *mh)
{
    if (mh->objects) {
        heap_adopt(&g->heap, mh);
        heap_clear(mh);
    }
}

/* ------------------------------------------------------------------ */
/* wait queues (channel lock held)                                       */

static void waitq_push(WaitQ *q, ChanWaiter *w)
{
    w->next = NULL;
    w->prev = q->last;
    if (q->last)
        q->last->next = w;
    else
        q->first = w;
    q->last = w;
    w->queued = true;
}

static void waitq_unlink(WaitQ *q, ChanWaiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        q->first = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->last = w->prev;
    w->next = w->prev = NULL;
    w->queued = false;
}

/* Dequeues the first waiter that can still complete; a select's waiter is
 * claimed for its select (others of that select become stale). */
static ChanWaiter *waitq_take(WaitQ *q)
{
    ChanWaiter *w;
    while ((w = q->first) != NULL) {
        waitq_unlink(q, w);
        if (!w->sel)
            return w;
        int expected = 0;
        if (atomic_compare_exchange_strong(&w->sel->done, &expected, 1))
            return w;
    }
    return NULL;
}

/* True when q holds a waiter that can still complete; drops stale ones. */
static bool waitq_ready(WaitQ *q)
{
    ChanWaiter *w;
    while ((w = q->first) != NULL) {
        if (!w->sel || atomic_load(&w->sel->done) == 0)
            return true;
        waitq_unlink(q, w);
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* completing a waiter (it is dequeued and claimed: ours alone)           */

/* A receiver gets a value (or, ok false, the news that c is closed). */
static void recv_fill(ChanWaiter *rw, Value v, Heap *mh, bool ok)
{
    GorWait *gw = &rw->g->wait;
    gw->value = v;
    gw->msg = *mh;
    gw->ok = ok;
    gw->selected = rw->index;
}

/* Where a waiting sender's message is. */
static void send_slot(ChanWaiter *sw, Value **v, Heap **h)
{
    if (sw->sel) {
        SelCase *sc = (SelCase *)((char *)sw - offsetof(SelCase, w));
        *v = &sc->value;
        *h = &sc->heap;
    } else if (sw->g) {
        *v = &sw->g->wait.value;
        *h = &sw->g->wait.msg;
    } else {
        ChanExtWaiter *x = (ChanExtWaiter *)sw;
        *v = &x->value;
        *h = &x->heap;
    }
}

/* Moves a waiting sender's message out. */
static void send_take(ChanWaiter *sw, Value *v, Heap *mh)
{
    Value *sv;
    Heap *sh;
    send_slot(sw, &sv, &sh);
    *v = *sv;
    *mh = *sh;
    heap_clear(sh);
    *sv = NIL_VAL;
}

/* Tells a sender its value was taken (ok) or its channel closed (!ok). */
static void sender_done(ChanWaiter *sw, bool ok)
{
    if (sw->g) {
        sw->g->wait.ok = ok;
        sw->g->wait.selected = sw->index;
    } else {
        ((ChanExtWaiter *)sw)->ok = ok;
    }
}

/* After unlocking: the waiter must not be touched after this. */
static void waiter_wake(ChanWaiter *w)
{
    if (w->g)
        sched_wake(w->g);
    else
        ((ChanExtWaiter *)w)->notify((ChanExtWaiter *)w);
}

/* ------------------------------------------------------------------ */
/* the buffer (lock held)                                                 */

static void buf_push(Chan *c, Value v, Heap *mh)
{
    if (c->count == c->size) {
        /* Grow (cap is only an upper bound: chan(1000000) costs nothing
         * until it fills). Unwrap the ring into the new array. */
        int64_t size = c->size ? c->size * 2 : 8;
        if (size > c->cap)
            size = c->cap;
        ChanSlot *buf = malloc((size_t)size * sizeof *buf);
        if (!buf) {
            rt_write_stderr("fatal error: out of memory\n", 27);
            rt_exit(2);
        }
        for (int64_t i = 0; i < c->count; i++)
            buf[i] = c->buf[(c->head + i) % c->size];
        free(c->buf);
        c->buf = buf;
        c->head = 0;
        c->size = size;
    }
    ChanSlot *s = &c->buf[(c->head + c->count) % c->size];
    s->value = v;
    s->heap = *mh;
    c->count++;
}

static void buf_pop(Chan *c, Value *v, Heap *mh)
{
    ChanSlot *s = &c->buf[c->head];
    *v = s->value;
    *mh = s->heap;
    c->head = (c->head + 1) % c->size;
    c->count--;
}

/* ------------------------------------------------------------------ */
/* channels                                                               */

Chan *chan_new(int64_t cap)
{
    Chan *c = calloc(1, sizeof *c);
    if (!c) {
        rt_write_stderr("fatal error: out of memory\n", 27);
        rt_exit(2);
    }
    c->cap = cap < 0 ? 0 : cap;
    atomic_init(&c->refs, 1);
    return c;
}

void chan_retain(Chan *c)
{
    if (c)
        atomic_fetch_add_explicit(&c->refs, 1, memory_order_relaxed);
}

void chan_release(Chan *c)
{
    if (!c || atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) != 1)
        return;
    /* Nobody can reach c: no waiter can be queued (a waiter's goroutine
     * holds a reference), only buffered messages remain. */
    for (int64_t i = 0; i < c->count; i++)
        msg_free(&c->buf[(c->head + i) % c->size].heap);
    free(c->buf);
    free(c);
}

int64_t chan_refs(Chan *c)
{
    return atomic_load(&c->refs);
}

int64_t chan_len(Chan *c)
{
    if (!c)
        return 0;
    rt_spin_lock(&c->lock);
    int64_t n = c->count;
    rt_spin_unlock(&c->lock);
    return n;
}

int64_t chan_cap(Chan *c)
{
    return c ? c->cap : 0;
}

/* A nil channel, or select {}: park for good (only a dump sees it again). */
static int block_forever(Gor *g, const char *reason)
{
    g->wait.data = NULL;
    sched_park(g, reason, NULL);
    return CHAN_BLOCK;
}

static int send_complete(Gor *g, Value *out)
{
    (void)out;
    if (!g->wait.ok) {
        msg_free(&g->wait.msg);
        vm_panic(g, "send on closed channel");
        return NATIVE_PANIC;
    }
    return 0;
}

int chan_send(Gor *g, Chan *c, Value v)
{
    if (!c)
        return block_forever(g, "chan send (nil chan)");
    Value mv;
    Heap mh;
    msg_make(v, &mv, &mh);
    rt_spin_lock(&c->lock);
    if (c->closed) {
        rt_spin_unlock(&c->lock);
        msg_free(&mh);
        vm_panic(g, "send on closed channel");
        return CHAN_PANIC;
    }
    ChanWaiter *rw = waitq_take(&c->recvq);
    if (rw) {
        rt_spin_unlock(&c->lock);
        recv_fill(rw, mv, &mh, true);
        sched_wake(rw->g);
        return CHAN_OK;
    }
    if (c->count < c->cap) {
        buf_push(c, mv, &mh);
        rt_spin_unlock(&c->lock);
        return CHAN_OK;
    }
    ChanWaiter *w = &g->wait.waiter;
    g->wait.value = mv;
    g->wait.msg = mh;
    g->wait.ok = true;
    w->g = g;
    w->sel = NULL;
    w->index = 0;
    waitq_push(&c->sendq, w);
    sched_park(g, "chan send", send_complete);
    rt_spin_unlock(&c->lock);
    return CHAN_BLOCK;
}

static int recv_complete(Gor *g, Value *out)
{
    msg_adopt(g, &g->wait.msg);
    out[0] = g->wait.value;
    out[1] = BOOL_VAL(g->wait.ok);
    g->wait.value = NIL_VAL;
    return 2;
}

/* Lock held. Takes a value if one can be had now: from the buffer (then a
 * blocked sender's value moves into the freed slot) or from a blocked
 * sender. *wake is the sender to wake after unlocking. */
static bool recv_locked(Chan *c, Value *v, Heap *mh, ChanWaiter **wake)
{
    ChanWaiter *sw;
    *wake = NULL;
    if (c->count > 0) {
        buf_pop(c, v, mh);
        if ((sw = waitq_take(&c->sendq)) != NULL) {
            Value sv;
            Heap sh;
            send_take(sw, &sv, &sh);
            buf_push(c, sv, &sh);
            sender_done(sw, true);
            *wake = sw;
        }
        return true;
    }
    if ((sw = waitq_take(&c->sendq)) != NULL) {
        send_take(sw, v, mh);
        sender_done(sw, true);
        *wake = sw;
        return true;
    }
    return false;
}

int chan_recv(Gor *g, Chan *c, Value *out)
{
    if (!c)
        return block_forever(g, "chan receive (nil chan)");
    Value v;
    Heap mh;
    ChanWaiter *wake;
    rt_spin_lock(&c->lock);
    if (recv_locked(c, &v, &mh, &wake)) {
        rt_spin_unlock(&c->lock);
        if (wake)
            waiter_wake(wake);
        msg_adopt(g, &mh);
        out[0] = v;
        out[1] = BOOL_VAL(true);
        return CHAN_OK;
    }
    if (c->closed) {
        rt_spin_unlock(&c->lock);
        out[0] = NIL_VAL;
        out[1] = BOOL_VAL(false);
        return CHAN_OK;
    }
    ChanWaiter *w = &g->wait.waiter;
    w->g = g;
    w->sel = NULL;
    w->index = 0;
    heap_clear(&g->wait.msg);
    g->wait.value = NIL_VAL;
    waitq_push(&c->recvq, w);
    sched_park(g, "chan receive", recv_complete);
    rt_spin_unlock(&c->lock);
    return CHAN_BLOCK;
}

bool chan_close_runtime(Chan *c)
{
    rt_spin_lock(&c->lock);
    if (c->closed) {
        rt_spin_unlock(&c->lock);
        return false;
    }
    c->closed = true;
    /* Every waiter is released: receivers with (nil, false), senders to
     * panic. Linked through `next` (they are off the queues now). */
    ChanWaiter *list = NULL, *w;
    while ((w = waitq_take(&c->recvq)) != NULL) {
        Heap empty;
        heap_clear(&empty);
        recv_fill(w, NIL_VAL, &empty, false);
        w->next = list;
        list = w;
    }
    while ((w = waitq_take(&c->sendq)) != NULL) {
        sender_done(w, false);
        w->next = list;
        list = w;
    }
    rt_spin_unlock(&c->lock);
    while (list) {
        w = list;
        list = w->next;
        waiter_wake(w);
    }
    return true;
}

int chan_close(Gor *g, Chan *c)
{
    if (!c) {
        vm_panic(g, "close of nil channel");
        return CHAN_PANIC;
    }
    if (!chan_close_runtime(c)) {
        vm_panic(g, "close of closed channel");
        return CHAN_PANIC;
    }
    return CHAN_OK;
}

/* ------------------------------------------------------------------ */
/* sends from runtime threads                                            */

bool chan_send_nowait(Chan *c, Value v, Heap *msg)
{
    return chan_send_external(c, v, msg, NULL) == 1;
}

int chan_send_external(Chan *c, Value v, Heap *msg, ChanExtWaiter *x)
{
    rt_spin_lock(&c->lock);
    if (c->closed) {
        rt_spin_unlock(&c->lock);
        return 0;
    }
    ChanWaiter *rw = waitq_take(&c->recvq);
    if (rw) {
        rt_spin_unlock(&c->lock);
        recv_fill(rw, v, msg, true);
        heap_clear(msg);
        sched_wake(rw->g);
        return 1;
    }
    if (c->count < c->cap) {
        buf_push(c, v, msg);
        heap_clear(msg);
        rt_spin_unlock(&c->lock);
        return 1;
    }
    if (!x) {
        rt_spin_unlock(&c->lock);
        return -1;
    }
    x->w.g = NULL;
    x->w.sel = NULL;
    x->w.index = 0;
    x->ok = false;
    x->value = v;
    x->heap = *msg;
    heap_clear(msg);
    waitq_push(&c->sendq, &x->w);
    rt_spin_unlock(&c->lock);
    return -1;
}

/* ------------------------------------------------------------------ */
/* select                                                                 */

enum { SEL_STACK_CASES = 8 };

static void lock_all(SelectWait *s)
{
    for (int i = 0; i < s->nlocks; i++)
        rt_spin_lock(&s->locks[i]->lock);
}

static void unlock_all(SelectWait *s)
{
    for (int i = s->nlocks - 1; i >= 0; i--)
        rt_spin_unlock(&s->locks[i]->lock);
}

static int select_complete(Gor *g, Value *out)
{
    SelectWait *s = g->wait.data;
    /* Take this select's other waiters off their queues. */
    lock_all(s);
    for (int i = 0; i < s->n; i++) {
        SelCase *sc = &s->cases[i];
        if (sc->chan && sc->w.queued)
            waitq_unlink(sc->is_send ? &sc->chan->sendq : &sc->chan->recvq, &sc->w);
    }
    unlock_all(s);
    int idx = g->wait.selected;
    bool fired_send = s->cases[idx].is_send;
    for (int i = 0; i < s->n; i++)
        if (s->cases[i].is_send)
            msg_free(&s->cases[i].heap);
    free(s);
    g->wait.data = NULL;
    if (fired_send) {
        if (!g->wait.ok) {
            vm_panic(g, "send on closed channel");
            return NATIVE_PANIC;
        }
        out[0] = INT_VAL(idx);
        out[1] = NIL_VAL;
        out[2] = BOOL_VAL(true);
        return 3;
    }
    msg_adopt(g, &g->wait.msg);
    out[0] = INT_VAL(idx);
    out[1] = g->wait.value;
    out[2] = BOOL_VAL(g->wait.ok);
    g->wait.value = NIL_VAL;
    return 3;
}

/* The distinct channels of the cases, sorted by address. */
static void sort_locks(SelectWait *s)
{
    int n = 0;
    for (int i = 0; i < s->n; i++) {
        Chan *c = s->cases[i].chan;
        if (!c)
            continue;
        int j = n;
        while (j > 0 && (uintptr_t)s->locks[j - 1] > (uintptr_t)c)
            j--;
        if (j > 0 && s->locks[j - 1] == c)
            continue;
        memmove(&s->locks[j + 1], &s->locks[j], (size_t)(n - j) * sizeof(Chan *));
        s->locks[j] = c;
        n++;
    }
    s->nlocks = n;
}

static size_t select_size(int n)
{
    return sizeof(SelectWait) + (size_t)n * (sizeof(SelCase) + sizeof(Chan *));
}

/* Locks held. Performs the ready case `i` if it still is; returns false
 * when it stopped being ready (its partner's select fired elsewhere). On
 * success *wake is the waiter to wake after unlocking, and out is filled
 * except for a send on a closed channel (*closed_send). */
static bool select_try(SelectWait *s, int i, Gor *g, Value *out, ChanWaiter **wake,
                       bool *closed_send)
{
    SelCase *sc = &s->cases[i];
    Chan *c = sc->chan;
    *wake = NULL;
    *closed_send = false;
    if (sc->is_send) {
        if (c->closed) {
            *closed_send = true;
            return true;
        }
        ChanWaiter *rw = waitq_take(&c->recvq);
        if (rw) {
            recv_fill(rw, sc->value, &sc->heap, true);
            heap_clear(&sc->heap);
            *wake = rw;
        } else if (c->count < c->cap) {
            buf_push(c, sc->value, &sc->heap);
            heap_clear(&sc->heap);
        } else {
            return false;
        }
        out[0] = INT_VAL(i);
        out[1] = NIL_VAL;
        out[2] = BOOL_VAL(true);
        return true;
    }
    Value v;
    Heap mh;
    if (recv_locked(c, &v, &mh, wake)) {
        msg_adopt(g, &mh);
        out[0] = INT_VAL(i);
        out[1] = v;
        out[2] = BOOL_VAL(true);
        return true;
    }
    if (c->closed) {
        out[0] = INT_VAL(i);
        out[1] = NIL_VAL;
        out[2] = BOOL_VAL(false);
        return true;
    }
    return false;
}

static bool case_ready(SelCase *sc)
{
    Chan *c = sc->chan;
    if (sc->is_send)
        return c->closed || c->count < c->cap || waitq_ready(&c->recvq);
    return c->count > 0 || c->closed || waitq_ready(&c->sendq);
}

int chan_select(Gor *g, SelectCase *cases, int n, bool has_default, Value *out)
{
    if (n == 0) {
        if (has_default) {
            out[0] = INT_VAL(-1);
            out[1] = NIL_VAL;
            out[2] = BOOL_VAL(false);
            return CHAN_OK;
        }
        return block_forever(g, "select (no cases)");
    }
    union {
        SelectWait s;
        char bytes[sizeof(SelectWait) + SEL_STACK_CASES * (sizeof(SelCase) + sizeof(Chan *))];
    } stack;
    SelectWait *s = n <= SEL_STACK_CASES ? &stack.s : malloc(select_size(n));
    if (!s) {
        rt_write_stderr("fatal error: out of memory\n", 27);
        rt_exit(2);
    }
    atomic_init(&s->done, 0);
    s->n = n;
    s->locks = (Chan **)&s->cases[n];
    for (int i = 0; i < n; i++) {
        SelCase *sc = &s->cases[i];
        sc->chan = cases[i].chan;
        sc->is_send = cases[i].is_send;
        if (sc->is_send && sc->chan) {
            msg_make(cases[i].send_value, &sc->value, &sc->heap);
        } else {
            sc->value = NIL_VAL;
            heap_clear(&sc->heap);
        }
    }
    sort_locks(s);
    if (s->nlocks == 0 && !has_default) {
        if (s != &stack.s)
            free(s);
        return block_forever(g, "select");
    }

    lock_all(s);
    for (;;) {
        /* One uniformly random ready case (reservoir sampling). */
        int chosen = -1, nready = 0;
        for (int i = 0; i < n; i++) {
            if (s->cases[i].chan && case_ready(&s->cases[i]) && rt_randn((uint32_t)++nready) == 0)
                chosen = i;
        }
        if (chosen < 0)
            break;
        ChanWaiter *wake;
        bool closed_send;
        if (!select_try(s, chosen, g, out, &wake, &closed_send))
            continue;              /* its partner vanished: look again */
        unlock_all(s);
        if (wake)
            waiter_wake(wake);
        for (int i = 0; i < n; i++)
            if (s->cases[i].is_send)
                msg_free(&s->cases[i].heap);
        if (s != &stack.s)
            free(s);
        if (closed_send) {
            vm_panic(g, "send on closed channel");
            return CHAN_PANIC;
        }
        return CHAN_OK;
    }
    if (has_default) {
        unlock_all(s);
        for (int i = 0; i < n; i++)
            if (s->cases[i].is_send)
                msg_free(&s->cases[i].heap);
        if (s != &stack.s)
            free(s);
        out[0] = INT_VAL(-1);
        out[1] = NIL_VAL;
        out[2] = BOOL_VAL(false);
        return CHAN_OK;
    }

    /* Block: enqueue one waiter per case, on a heap copy of the record. */
    if (s == &stack.s) {
        SelectWait *h = malloc(select_size(n));
        if (!h) {
            rt_write_stderr("fatal error: out of memory\n", 27);
            rt_exit(2);
        }
        memcpy(h, s, select_size(n));
        h->locks = (Chan **)&h->cases[n];
        s = h;
    }
    for (int i = 0; i < n; i++) {
        SelCase *sc = &s->cases[i];
        if (!sc->chan)
            continue;
        ChanWaiter *w = &sc->w;
        w->g = g;
        w->sel = s;
        w->index = i;
        if (sc->is_send) {
            waitq_push(&sc->chan->sendq, w);
        } else {
            waitq_push(&sc->chan->recvq, w);
        }
    }
    g->wait.data = s;
    g->wait.value = NIL_VAL;
    heap_clear(&g->wait.msg);
    sched_park(g, "select", select_complete);
    unlock_all(s);
    return CHAN_BLOCK;
}
