/*
 * trace.c — recording the scheduler trace, and writing it at exit.
 *
 * Every thread that reports an event gets a TraceBuf the first time it
 * does, registered once under a lock. After that it appends to its own
 * chain of fixed-size chunks with no lock and no atomic read-modify-write:
 * the owner fills records, then publishes them with a release store of the
 * chunk's count; a new chunk is published by a release store of the
 * previous chunk's `next`. Chunks never move or get freed, so the thread
 * that writes the trace at exit can read every published record while the
 * other threads keep running (they may still be appending: what they
 * publish after the snapshot is left out).
 *
 * The whole trace is kept in memory until exit: at most CSP_TRACE_LIMIT
 * records (default TRACE_DEFAULT_LIMIT), after which recording stops and
 * the output says it was truncated.
 *
 * Order: a wake-up's clock is read before the goroutine is made runnable,
 * so it comes before the goroutine's next slice. A slice that ended
 * because its goroutine blocked may end (when gor_run returned) a little
 * after a waker on another thread woke it; the writer then ends the slice
 * at the wake-up, so that every wake-up comes after the block it ends.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt.h"
#include "runtime/sched.h"
#include "runtime/trace.h"
#include "runtime/traceint.h"
#include "vm/code.h"
#include "vm/gor.h"
#include "vm/object.h"

#define CHUNK_RECS 4096                    /* 128 KiB per chunk */
#define TRACE_DEFAULT_LIMIT (2 << 20)      /* records: 64 MiB, ~0.5 GB of JSON */
#define OTHER_TID 1000                     /* tids of threads that are not workers */

typedef struct TraceChunk {
    _Atomic(struct TraceChunk *) next;
    _Atomic uint32_t n;                    /* published records */
    TraceRec rec[CHUNK_RECS];
} TraceChunk;

typedef struct TraceBuf {
    struct TraceBuf *next;                 /* registry list (T.lock) */
    int tid;
    const char *name;
    TraceChunk *first, *cur;               /* first: set once before publication */
    /* The slice being run: g id (0: none) and its begin, for the writer. */
    _Atomic int64_t open_g;
    _Atomic int64_t open_ts;
    /* Owner only. */
    bool full;                             /* the limit was reached: record nothing more */
    int64_t gc_ts;
    int64_t gc_before;
} TraceBuf;

bool trace_on;

static struct {
    RtLock lock;                           /* bufs, nother */
    TraceBuf *bufs;
    int nother;
    FILE *out;
    bool html;
    int64_t t0;
    int64_t limit;                         /* records (CSP_TRACE_LIMIT) */
    _Atomic int64_t chunks_left;
    _Atomic bool truncated;
    _Atomic bool flushed;
} T;

static _Thread_local TraceBuf *tls_buf;

/* ------------------------------------------------------------------ */
/* buffers                                                               */

static TraceChunk *chunk_new(void)
{
    if (atomic_fetch_sub_explicit(&T.chunks_left, 1, memory_order_relaxed) <= 0) {
        atomic_store_explicit(&T.truncated, true, memory_order_relaxed);
        return NULL;
    }
    TraceChunk *c = malloc(sizeof *c);
    if (!c) {
        atomic_store_explicit(&T.truncated, true, memory_order_relaxed);
        return NULL;
    }
    atomic_init(&c->next, NULL);
    atomic_init(&c->n, 0);
    return c;
}

/* The calling thread's buffer, registered on first use; role names a
 * thread that is not a worker. NULL when out of memory. */
static TraceBuf *buf_get(const char *role)
{
    TraceBuf *b = tls_buf;
    if (__builtin_expect(b != NULL, 1))
        return b;
    b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->first = b->cur = chunk_new();
    int w = sched_thread_id();
    rt_lock(&T.lock);
    if (w >= 0) {
        b->tid = w;
        b->name = NULL;                    /* "worker N" */
    } else {
        b->tid = OTHER_TID + T.nother++;
        b->name = role;
    }
    b->next = T.bufs;
    T.bufs = b;
    rt_unlock(&T.lock);
    tls_buf = b;
    return b;
}

/* Room for k (1 or 2) records in one chunk, or NULL (limit reached). */
static inline TraceRec *rec_reserve(TraceBuf *b, uint32_t k)
{
    TraceChunk *c = b->cur;
    if (__builtin_expect(c == NULL || b->full, 0))
        return NULL;
    uint32_t n = atomic_load_explicit(&c->n, memory_order_relaxed);
    if (__builtin_expect(n + k > CHUNK_RECS, 0)) {
        TraceChunk *nc = chunk_new();
        if (!nc) {
            b->full = true;
            return NULL;
        }
        atomic_store_explicit(&c->next, nc, memory_order_release);
        b->cur = c = nc;
        n = 0;
    }
    return &c->rec[n];
}

static inline void rec_commit(TraceBuf *b, uint32_t k)
{
    TraceChunk *c = b->cur;
    atomic_store_explicit(&c->n, atomic_load_explicit(&c->n, memory_order_relaxed) + k,
                          memory_order_release);
}

static inline int64_t gid(const Gor *g)
{
    return g ? g->id : 0;
}

/* ------------------------------------------------------------------ */
/* hooks                                                                 */

void trace_slice_begin(Gor *g)
{
    TraceBuf *b = buf_get(NULL);
    if (!b)
        return;
    atomic_store_explicit(&b->open_ts, rt_mono_ns(), memory_order_relaxed);
    atomic_store_explicit(&b->open_g, g->id, memory_order_release);
}

void trace_slice_end(Gor *g, int status)
{
    TraceBuf *b = buf_get(NULL);
    if (!b)
        return;
    int64_t begin = atomic_load_explicit(&b->open_ts, memory_order_relaxed);
    TraceRec *r = rec_reserve(b, 1);
    if (r) {
        /* g is still ours: parked or woken, it has not run elsewhere. */
        *r = (TraceRec){ begin, TR_PACK(g->id, status, TR_SLICE), rt_mono_ns(),
                         status == TR_END_BLOCKED ? g->wait.reason : NULL };
        rec_commit(b, 1);
    }
    atomic_store_explicit(&b->open_g, 0, memory_order_release);
}

/* A record (now, a, b, NULL) on the calling thread's buffer; role as
 * for buf_get. */
static void rec_put_now(const char *role, uint64_t a, int64_t bv)
{
    TraceBuf *b = buf_get(role);
    if (!b)
        return;
    TraceRec *r = rec_reserve(b, 1);
    if (!r)
        return;
    *r = (TraceRec){ rt_mono_ns(), a, bv, NULL };
    rec_commit(b, 1);
}

void trace_wake(Gor *g)
{
    rec_put_now("I/O", TR_PACK(g->id, 0, TR_WAKE), gid(sched_current()));
}

/* The name of the function a new goroutine will call. */
static const char *entry_name(Gor *g)
{
    Value fn = g->stack ? g->stack[0] : (Value){ .type = VAL_NIL };
    if (fn.type == VAL_FUNC)
        return AS_FUNC(fn)->proto->name;
    if (fn.type == VAL_NATIVE)
        return AS_NATIVE(fn)->name;
    return "?";
}

void trace_create(Gor *g)
{
    TraceBuf *b = buf_get("main thread");
    if (!b)
        return;
    TraceRec *r = rec_reserve(b, 2);
    if (!r)
        return;
    int64_t now = rt_mono_ns();
    r[0] = (TraceRec){ now, TR_PACK(g->id, 0, TR_CREATE), gid(sched_current()), entry_name(g) };
    r[1] = (TraceRec){ now, TR_PACK(g->id, 0, TR_LOC), g->created_line, g->created_file };
    rec_commit(b, 2);
}

void trace_gc_begin(Gor *g)
{
    TraceBuf *b = buf_get(NULL);
    if (!b)
        return;
    b->gc_ts = rt_mono_ns();
    b->gc_before = (int64_t)g->heap.bytes;
}

void trace_gc_end(Gor *g)
{
    TraceBuf *b = buf_get(NULL);
    if (!b || b->gc_ts == 0)
        return;
    TraceRec *r = rec_reserve(b, 2);
    if (r) {
        r[0] = (TraceRec){ b->gc_ts, TR_PACK(g->id, 0, TR_GC), rt_mono_ns(), NULL };
        r[1] = (TraceRec){ b->gc_ts, TR_PACK(g->id, 0, TR_GCB), b->gc_before,
                           (const void *)(uintptr_t)g->heap.bytes };
        rec_commit(b, 2);
    }
    b->gc_ts = 0;
}

void trace_timer(Gor *g, int64_t period)
{
    rec_put_now("timers", TR_PACK(gid(g), 0, TR_TIMER), period);
}

/* ------------------------------------------------------------------ */
/* starting and writing                                                  */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool sched_trace_open(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    T.out = f;
    T.html = ends_with(path, ".html") || ends_with(path, ".htm");
    int64_t limit = TRACE_DEFAULT_LIMIT;
    const char *s = getenv("CSP_TRACE_LIMIT");
    if (s && *s) {
        char *end;
        long long n = strtoll(s, &end, 10);
        if (*end == '\0' && n > 0)
            limit = n;
    }
    T.limit = limit;
    atomic_store(&T.chunks_left, (limit + CHUNK_RECS - 1) / CHUNK_RECS);
    T.t0 = rt_mono_ns();
    trace_on = true;               /* before any other thread exists: never written again */
    /* A process that ends by returning from main (the REPL, a compile
     * error) rather than through rt_end_output still writes its trace. */
    atexit(trace_close);
    return true;
}

static int cmp_item(const void *x, const void *y)
{
    const TraceItem *a = x, *b = y;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static bool items_push(TraceItem **items, size_t *n, size_t *cap, TraceItem it)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 4096;
        TraceItem *grown = realloc(*items, c * sizeof *grown);
        if (!grown)
            return false;
        *items = grown;
        *cap = c;
    }
    (*items)[(*n)++] = it;
    return true;
}

static int cmp_thread(const void *x, const void *y)
{
    const TraceThread *a = x, *b = y;
    return (a->tid > b->tid) - (a->tid < b->tid);
}

/* A blocked slice ends no later than the wake-up that ends its block (see
 * the top of the file). Items are in time order, and a slice starts before
 * the wake-up of its block, since the block happened while it ran. */
static void end_at_wakes(TraceData *d)
{
    TraceRec **blocked = calloc((size_t)d->max_g + 1, sizeof *blocked);
    if (!blocked)
        return;
    for (size_t i = 0; i < d->nitems; i++) {
        TraceRec *r = (TraceRec *)d->items[i].r;   /* ours: nobody writes it any more */
        int64_t g = TR_G(r);
        if (TR_KIND(r) == TR_SLICE) {
            blocked[g] = TR_END(r) == TR_END_BLOCKED ? r : NULL;
        } else if (TR_KIND(r) == TR_WAKE && blocked[g]) {
            if (blocked[g]->b > r->ts)
                blocked[g]->b = r->ts;
            blocked[g] = NULL;
        }
    }
    free(blocked);
}

void trace_close(void)
{
    if (!T.out || atomic_exchange(&T.flushed, true))
        return;
    /* Other threads may go on recording: what they publish from now on is
     * not read. */

    rt_lock(&T.lock);
    TraceBuf *bufs = T.bufs;
    rt_unlock(&T.lock);

    TraceData d = { 0 };
    d.t0 = T.t0;
    d.program = "csp";
    d.workers = sched_num_threads();
    size_t cap = 0;
    uint32_t seq = 0;
    int nbufs = 0;
    for (TraceBuf *b = bufs; b; b = b->next)
        nbufs++;
    /* Slices still running end now: their records live here. */
    TraceRec *open = calloc((size_t)nbufs + 1, sizeof *open);
    int nopen = 0;
    int nother = 0;
    for (TraceBuf *b = bufs; b; b = b->next) {
        const TraceRec *last_slice = NULL;
        for (TraceChunk *c = b->first; c; c = atomic_load_explicit(&c->next, memory_order_acquire)) {
            uint32_t n = atomic_load_explicit(&c->n, memory_order_acquire);
            for (uint32_t i = 0; i < n; i++) {
                const TraceRec *r = &c->rec[i];
                int kind = TR_KIND(r);
                if (kind == TR_LOC || kind == TR_GCB)
                    continue;      /* read with the record before it */
                if (kind == TR_SLICE)
                    last_slice = r;
                if (TR_G(r) > d.max_g)
                    d.max_g = TR_G(r);
                items_push(&d.items, &d.nitems, &cap,
                           (TraceItem){ .ts = r->ts, .seq = seq++, .tid = b->tid, .r = r });
            }
        }
        int64_t og = atomic_load_explicit(&b->open_g, memory_order_acquire);
        int64_t ots = atomic_load_explicit(&b->open_ts, memory_order_relaxed);
        if (og != 0 && open &&
            !(last_slice && TR_G(last_slice) == og && last_slice->ts == ots)) {
            /* On this thread, the goroutine is the one ending the process
             * (os.exit, a fatal error); elsewhere they were running. */
            TraceRec *r = &open[nopen++];
            r->ts = ots;
            r->a = TR_PACK(og, b == tls_buf ? TR_END_EXIT : TR_END_RUNNING, TR_SLICE);
            int64_t t = rt_mono_ns();      /* read after ots: not before it */
            r->b = t > ots ? t : ots;
            items_push(&d.items, &d.nitems, &cap,
                       (TraceItem){ .ts = r->ts, .seq = seq++, .tid = b->tid, .r = r });
        }
        if (b->tid >= OTHER_TID)
            nother++;
    }
    qsort(d.items, d.nitems, sizeof *d.items, cmp_item);
    end_at_wakes(&d);

    /* Tracks: every worker, then the other threads that recorded. */
    char *names = NULL;
    d.threads = calloc((size_t)(d.workers + nother) + 1, sizeof *d.threads);
    if (d.threads) {
        names = malloc((size_t)d.workers * 24);
        for (int i = 0; i < d.workers; i++) {
            const char *name = "worker";
            if (names) {
                snprintf(names + 24 * i, 24, "worker %d", i);
                name = names + 24 * i;
            }
            d.threads[d.nthreads++] = (TraceThread){ i, name };
        }
        for (TraceBuf *b = bufs; b; b = b->next)
            if (b->tid >= OTHER_TID)
                d.threads[d.nthreads++] = (TraceThread){ b->tid, b->name ? b->name : "runtime" };
        qsort(d.threads, (size_t)d.nthreads, sizeof *d.threads, cmp_thread);
    }
    d.truncated = atomic_load(&T.truncated);

    if (T.html)
        trace_write_html(T.out, &d);
    else
        trace_write_json(T.out, &d);
    if (fclose(T.out) != 0)
        fprintf(stderr, "csp: writing the trace failed: %s\n", strerror(errno));
    if (d.truncated)
        fprintf(stderr, "csp: the trace is truncated: recording stopped after %lld records "
                        "(CSP_TRACE_LIMIT sets the limit)\n", (long long)T.limit);
    T.out = NULL;
    free(d.items);
    free(d.threads);
    free(names);
    free(open);
}
