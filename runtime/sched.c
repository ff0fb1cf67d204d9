/*
 * sched.c — the M:N scheduler.
 *
 * Vocabulary: a *goroutine* (Gor) is a VM execution state; a *worker* is
 * one of N OS threads that run goroutines by calling gor_run(). There is no
 * global interpreter lock: N workers run N goroutines at once, each on its
 * own heap.
 *
 * Where runnable goroutines wait:
 *   - each worker has a `runnext` slot and a ring of RUNQ_SIZE goroutines.
 *     Only the owner pushes; the owner and thieves pop with a CAS on
 *     `head` (Go's runq). A goroutine readied by a channel operation goes
 *     to the waker's runnext, so a ping-pong pair runs on one thread and
 *     the hand-off is a pointer store, not an OS wake-up (waking a sleeping
 *     thread costs ~400x a spinning hand-off on this hardware);
 *   - the global queue (a locked list) takes overflow and goroutines
 *     readied by threads that are not workers (timers, I/O).
 * Fairness: a goroutine that spent its budget goes to the tail of its
 * worker's ring; runnext is taken at most RUNNEXT_STREAK times in a row
 * before the ring gets a turn; the global queue is looked at every 61st
 * schedule even when local work exists.
 *
 * Idle workers: a worker without work becomes *spinning* (stealing half of
 * another worker's ring, looking at the global queue) for up to SPIN_NS,
 * then parks on its futex. A goroutine made runnable wakes a parked worker
 * only when there is no spinning worker already (the spinner will find
 * it) and there is more work than the running worker can take next: a
 * goroutine readied into runnext by a goroutine that then blocks needs no
 * second thread. A parking worker that was the last spinner re-checks
 * every queue after it stopped counting as a spinner, so work published
 * in between is never stranded.
 *
 * Deadlock: the last worker to go idle, under the scheduler lock, finds
 * the global queue empty, no timer and no I/O outstanding: nothing can
 * ever make a goroutine runnable again, so it prints the dump and exits 2.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/rt.h"
#include "runtime/rtint.h"
#include "runtime/sched.h"
#include "runtime/trace.h"
#include "vm/gor.h"

#define RUNQ_SIZE 256              /* per-worker ring; overflow goes to the global queue */
#define RUNNEXT_STREAK 32          /* runnext picks in a row before the ring gets a turn */
#define GLOBAL_EVERY 61            /* schedules between forced looks at the global queue (Go's figure) */
#define DEFAULT_BUDGET 10000       /* preemption points (taken backward jumps and calls) per slice:
                                      about 100-200 us of a tight loop */
#define SPIN_NS 50000              /* ~ one sleep/wake round trip of an OS thread */
#define SLOT_CHUNK 4096            /* registry slots allocated at a time */
#define MAX_CHUNKS 65536           /* 268M goroutines */

typedef struct Worker {
    /* The ring: owner stores at tail; owner and thieves CAS head. */
    _Atomic uint32_t head;
    _Atomic uint32_t tail;
    _Atomic(Gor *) runnext;
    _Atomic(Gor *) ring[RUNQ_SIZE];
    /* Parking: the futex word is 1 when a waker handed this worker a wake-up. */
    _Atomic uint32_t wake;
    struct Worker *idle_next;      /* guarded by S.lock */
    bool on_idle;                  /* guarded by S.lock */
    /* Owner only. */
    int id;
    bool spinning;                 /* counted in S.nspinning */
    uint32_t tick;
    uint32_t streak;
    uint32_t free_slot;            /* registry free list: slot index + 1, 0 empty */
    uint32_t nfree;
    _Atomic int64_t live;          /* goroutines registered minus removed here */
    pthread_t thread;
} __attribute__((aligned(64))) Worker;

static struct {
    int n;                         /* workers */
    Worker *workers;
    int budget;
    RtLock lock;                   /* the global queue and the idle list */
    Gor *gq_head, *gq_tail;
    _Atomic int64_t gq_len;        /* read without the lock as a hint */
    Worker *idle;
    _Atomic int nidle;
    _Atomic int nspinning;
    _Atomic int64_t io_pending;
    _Atomic int64_t timers_pending;
    _Atomic int64_t ext_live;      /* goroutines registered by non-workers */
    _Atomic int64_t next_id;
    _Atomic(Gor *) main_g;
    _Atomic int stop;              /* SIGQUIT: workers stop at their next schedule */
    _Atomic int nstopped;
    const SchedHooks *hooks;       /* the REPL's, else NULL; set before any goroutine runs */
} S;

bool sched_stress;
static _Thread_local Worker *tls_worker;
static _Thread_local Gor *tls_current;

/* ------------------------------------------------------------------ */
/* registry of live goroutines                                          */

/* Every live goroutine has a slot in chunked arrays that never move; a
 * free slot holds (next free index + 1) << 1 | 1. Each worker keeps its
 * own free list, so registering and removing a goroutine touch no shared
 * line and no other goroutine (a linked list would touch its neighbours:
 * cache misses with a million goroutines). Free lists longer than two
 * chunks give a chunk's worth back to the global list. */
static _Atomic(uintptr_t) *slot_chunks[MAX_CHUNKS];
static struct {
    RtLock lock;                   /* guards everything here */
    uint32_t nchunks;
    uint32_t free_slot;            /* global free list, index + 1 */
    uint32_t nfree;
} R;

static inline _Atomic(uintptr_t) *slot_at(uint32_t i)
{
    return &slot_chunks[i / SLOT_CHUNK][i % SLOT_CHUNK];
}

/* Takes a slot off a free list (head is index + 1). */
static uint32_t slot_pop(uint32_t *head)
{
    uint32_t i = *head - 1;
    *head = (uint32_t)(atomic_load_explicit(slot_at(i), memory_order_relaxed) >> 1);
    return i;
}

static void slot_push(uint32_t *head, uint32_t i)
{
    atomic_store_explicit(slot_at(i), ((uintptr_t)*head << 1) | 1, memory_order_relaxed);
    *head = i + 1;
}

/* R.lock held: up to n free slots onto *head (from the global list, else
 * a new chunk). */
static uint32_t slots_refill_locked(uint32_t *head, uint32_t n)
{
    uint32_t got = 0;
    while (got < n && R.free_slot) {
        slot_push(head, slot_pop(&R.free_slot));
        R.nfree--;
        got++;
    }
    if (got == 0) {
        if (R.nchunks == MAX_CHUNKS) {
            rt_write_stderr("fatal error: too many goroutines\n", 33);
            rt_exit(2);
        }
        _Atomic(uintptr_t) *chunk = malloc(SLOT_CHUNK * sizeof *chunk);
        if (!chunk) {
            rt_write_stderr("fatal error: out of memory\n", 27);
            rt_exit(2);
        }
        uint32_t base = R.nchunks * SLOT_CHUNK;
        slot_chunks[R.nchunks] = chunk;
        for (uint32_t i = SLOT_CHUNK; i-- > 0;)
            slot_push(head, base + i);
        /* Published last: a dump reads nchunks under the lock. */
        R.nchunks++;
        got = SLOT_CHUNK;
    }
    return got;
}

static void registry_add(Gor *g)
{
    Worker *w = tls_worker;
    uint32_t i;
    if (w) {
        if (!w->free_slot) {
            rt_lock(&R.lock);
            w->nfree += slots_refill_locked(&w->free_slot, SLOT_CHUNK);
            rt_unlock(&R.lock);
        }
        i = slot_pop(&w->free_slot);
        w->nfree--;
        atomic_store_explicit(&w->live, atomic_load_explicit(&w->live, memory_order_relaxed) + 1,
                              memory_order_relaxed);
    } else {
        rt_lock(&R.lock);
        if (!R.free_slot)
            R.nfree += slots_refill_locked(&R.free_slot, 1);
        i = slot_pop(&R.free_slot);
        R.nfree--;
        rt_unlock(&R.lock);
        atomic_fetch_add_explicit(&S.ext_live, 1, memory_order_relaxed);
    }
    g->sched.slot = i;
    atomic_store_explicit(slot_at(i), (uintptr_t)g, memory_order_relaxed);
}

/* Called on a worker (the goroutine finished there). */
static void registry_remove(Gor *g)
{
    Worker *w = tls_worker;
    slot_push(&w->free_slot, g->sched.slot);
    atomic_store_explicit(&w->live, atomic_load_explicit(&w->live, memory_order_relaxed) - 1,
                          memory_order_relaxed);
    if (++w->nfree > 2 * SLOT_CHUNK) {
        rt_lock(&R.lock);
        for (int k = 0; k < SLOT_CHUNK; k++) {
            slot_push(&R.free_slot, slot_pop(&w->free_slot));
            R.nfree++;
        }
        rt_unlock(&R.lock);
        w->nfree -= SLOT_CHUNK;
    }
}

static int cmp_gor_id(const void *a, const void *b)
{
    int64_t x = (*(Gor *const *)a)->id, y = (*(Gor *const *)b)->id;
    return (x > y) - (x < y);
}

static const char *state_name(Gor *g)
{
    switch (atomic_load(&g->sched.state)) {
    case GS_RUNNING: return "running";
    case GS_PARKING:
    case GS_WAITING: return g->wait.reason ? g->wait.reason : "waiting";
    default: return "runnable";
    }
}

void sched_dump_all(FILE *out)
{
    size_t n = 0, cap = 1024;
    Gor **all = malloc(cap * sizeof *all);
    rt_lock(&R.lock);
    uint32_t nslots = R.nchunks * SLOT_CHUNK;
    rt_unlock(&R.lock);
    for (uint32_t i = 0; i < nslots && all; i++) {
        uintptr_t v = atomic_load_explicit(slot_at(i), memory_order_relaxed);
        if (v & 1)
            continue;
        if (n == cap) {
            cap *= 2;
            Gor **grown = realloc(all, cap * sizeof *all);
            if (!grown)
                break;
            all = grown;
        }
        all[n++] = (Gor *)v;
    }
    if (!all)
        return;
    qsort(all, n, sizeof *all, cmp_gor_id);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            fputc('\n', out);
        gor_traceback(all[i], state_name(all[i]), out);
    }
    fflush(out);
    free(all);
}

/* ------------------------------------------------------------------ */
/* the global queue (S.lock held)                                       */

static void gq_push_locked(Gor *g)
{
    g->sched.next = NULL;
    if (S.gq_tail)
        S.gq_tail->sched.next = g;
    else
        S.gq_head = g;
    S.gq_tail = g;
    atomic_fetch_add_explicit(&S.gq_len, 1, memory_order_relaxed);
}

static Gor *gq_pop_locked(void)
{
    Gor *g = S.gq_head;
    if (g) {
        S.gq_head = g->sched.next;
        if (!S.gq_head)
            S.gq_tail = NULL;
        atomic_fetch_sub_explicit(&S.gq_len, 1, memory_order_relaxed);
    }
    return g;
}

/* ------------------------------------------------------------------ */
/* per-worker ring                                                       */

/* Moves half of w's ring plus g to the global queue: the ring is full. */
static bool runq_put_slow(Worker *w, Gor *g, uint32_t h, uint32_t t)
{
    enum { HALF = RUNQ_SIZE / 2 };
    Gor *batch[HALF + 1];
    uint32_t n = (t - h) / 2;
    if (n != HALF)
        return false;
    for (uint32_t i = 0; i < n; i++)
        batch[i] = atomic_load_explicit(&w->ring[(h + i) % RUNQ_SIZE], memory_order_relaxed);
    if (!atomic_compare_exchange_strong_explicit(&w->head, &h, h + n, memory_order_acq_rel,
                                                 memory_order_relaxed))
        return false;
    batch[n] = g;
    rt_lock(&S.lock);
    for (uint32_t i = 0; i <= n; i++)
        gq_push_locked(batch[i]);
    rt_unlock(&S.lock);
    return true;
}

/* Owner only: g at the tail of w's ring. */
static void runq_put(Worker *w, Gor *g)
{
    for (;;) {
        uint32_t h = atomic_load_explicit(&w->head, memory_order_acquire);
        uint32_t t = atomic_load_explicit(&w->tail, memory_order_relaxed);
        if (t - h < RUNQ_SIZE) {
            atomic_store_explicit(&w->ring[t % RUNQ_SIZE], g, memory_order_relaxed);
            atomic_store_explicit(&w->tail, t + 1, memory_order_release);
            return;
        }
        if (runq_put_slow(w, g, h, t))
            return;
    }
}

static Gor *runq_pop_ring(Worker *w)
{
    for (;;) {
        uint32_t h = atomic_load_explicit(&w->head, memory_order_acquire);
        uint32_t t = atomic_load_explicit(&w->tail, memory_order_relaxed);
        if (t == h)
            return NULL;
        Gor *g = atomic_load_explicit(&w->ring[h % RUNQ_SIZE], memory_order_relaxed);
        if (atomic_compare_exchange_weak_explicit(&w->head, &h, h + 1, memory_order_acq_rel,
                                                  memory_order_relaxed))
            return g;
    }
}

/* Owner only: runnext first (unless it had its streak), then the ring. */
static Gor *runq_get(Worker *w)
{
    Gor *g;
    if (w->streak < RUNNEXT_STREAK &&
        atomic_load_explicit(&w->runnext, memory_order_relaxed) != NULL &&
        (g = atomic_exchange(&w->runnext, NULL)) != NULL) {
        w->streak++;
        return g;
    }
    if ((g = runq_pop_ring(w)) != NULL) {
        w->streak = 0;
        return g;
    }
    w->streak = 0;
    if (atomic_load_explicit(&w->runnext, memory_order_relaxed) == NULL)
        return NULL;
    return atomic_exchange(&w->runnext, NULL);
}

static bool runq_empty(Worker *w)
{
    uint32_t h = atomic_load_explicit(&w->head, memory_order_acquire);
    uint32_t t = atomic_load_explicit(&w->tail, memory_order_acquire);
    return h == t && atomic_load_explicit(&w->runnext, memory_order_acquire) == NULL;
}

/* Steals half of v's ring into w's (empty) ring, or v's runnext when
 * steal_next and the ring is empty. Returns a goroutine to run, or NULL. */
static Gor *runq_steal(Worker *w, Worker *v, bool steal_next)
{
    uint32_t t = atomic_load_explicit(&w->tail, memory_order_relaxed);
    uint32_t n;
    for (;;) {
        uint32_t h = atomic_load_explicit(&v->head, memory_order_acquire);
        uint32_t vt = atomic_load_explicit(&v->tail, memory_order_acquire);
        n = vt - h;
        n = n - n / 2;
        if (n == 0) {
            if (!steal_next)
                return NULL;
            Gor *next = atomic_load(&v->runnext);
            if (next && atomic_compare_exchange_strong(&v->runnext, &next, NULL))
                return next;
            return NULL;
        }
        if (n > RUNQ_SIZE / 2)
            continue;              /* read head and tail at different moments */
        for (uint32_t i = 0; i < n; i++) {
            Gor *g = atomic_load_explicit(&v->ring[(h + i) % RUNQ_SIZE], memory_order_relaxed);
            atomic_store_explicit(&w->ring[(t + i) % RUNQ_SIZE], g, memory_order_relaxed);
        }
        if (atomic_compare_exchange_weak_explicit(&v->head, &h, h + n, memory_order_acq_rel,
                                                  memory_order_relaxed))
            break;
    }
    n--;
    Gor *g = atomic_load_explicit(&w->ring[(t + n) % RUNQ_SIZE], memory_order_relaxed);
    if (n > 0)
        atomic_store_explicit(&w->tail, t + n, memory_order_release);
    return g;
}

/* Takes goroutines from the global queue: one to run, and a share of the
 * rest into w's ring (max 0: no limit but the ring's half).
 * Precondition: w's ring is empty or max is 1 — runq_put must not
 * overflow here, since its slow path takes S.lock, which we hold. */
static Gor *gq_get(Worker *w, int max)
{
    if (atomic_load_explicit(&S.gq_len, memory_order_relaxed) == 0)
        return NULL;
    rt_lock(&S.lock);
    int64_t len = atomic_load_explicit(&S.gq_len, memory_order_relaxed);
    int64_t n = len / S.n + 1;
    if (n > len)
        n = len;
    if (max > 0 && n > max)
        n = max;
    if (n > RUNQ_SIZE / 2)
        n = RUNQ_SIZE / 2;
    Gor *g = gq_pop_locked();
    for (int64_t i = 1; i < n; i++)
        runq_put(w, gq_pop_locked());
    rt_unlock(&S.lock);
    return g;
}

/* ------------------------------------------------------------------ */
/* waking and parking workers                                            */

static void worker_signal(Worker *v)
{
    atomic_store_explicit(&v->wake, 1, memory_order_release);
    rt_futex_wake(&v->wake, 1);
}

/* Wakes a parked worker as a spinner, unless one already spins. */
static void wakep(void)
{
    int zero = 0;
    if (atomic_load_explicit(&S.nspinning, memory_order_relaxed) != 0 ||
        !atomic_compare_exchange_strong(&S.nspinning, &zero, 1))
        return;
    rt_lock(&S.lock);
    Worker *v = S.idle;
    if (v) {
        S.idle = v->idle_next;
        v->on_idle = false;
        atomic_fetch_sub(&S.nidle, 1);
    }
    rt_unlock(&S.lock);
    if (!v) {
        atomic_fetch_sub(&S.nspinning, 1);
        return;
    }
    worker_signal(v);              /* it starts out counted as spinning */
}

/* There is work nobody may be about to take: wake a worker if any sleeps
 * and none spins. */
static inline void wake_if_surplus(void)
{
    if (atomic_load_explicit(&S.nidle, memory_order_relaxed) > 0 &&
        atomic_load_explicit(&S.nspinning, memory_order_relaxed) == 0)
        wakep();
}

static void stop_spinning(Worker *w)
{
    if (w->spinning) {
        w->spinning = false;
        /* The last spinner found work: there may be more, so let another
         * worker look (Go's resetspinning). */
        if (atomic_fetch_sub(&S.nspinning, 1) == 1)
            wake_if_surplus();
    }
}

static _Noreturn void worker_stop(void)
{
    atomic_fetch_add(&S.nstopped, 1);
    rt_hang();
}

static bool any_work(void)
{
    if (atomic_load(&S.gq_len) > 0)
        return true;
    for (int i = 0; i < S.n; i++)
        if (!runq_empty(&S.workers[i]))
            return true;
    return false;
}

static _Noreturn void report_deadlock(void)
{
    if (!rt_claim_exit())
        rt_hang();
    rt_end_output();
    fputs("fatal error: all goroutines are asleep - deadlock!\n\n", stderr);
    sched_dump_all(stderr);
    fflush(stderr);
    _exit(2);
}

/* No lock held: the REPL may take it from here, else the process ends. */
static void deadlock_found(void)
{
    if (S.hooks && S.hooks->asleep())
        return;
    report_deadlock();
}

/* S.lock held; w is the last worker to go idle. */
static bool deadlocked_locked(void)
{
    return (atomic_load(&S.main_g) != NULL || S.hooks) && S.gq_head == NULL &&
           atomic_load(&S.io_pending) == 0 && atomic_load(&S.timers_pending) == 0 &&
           !atomic_load(&S.stop);
}

/* Steals for a while. Returns a goroutine, or NULL to park. */
static Gor *spin(Worker *w)
{
    int64_t deadline = 0;
    for (int round = 0;; round++) {
        if (atomic_load_explicit(&S.stop, memory_order_relaxed))
            return NULL;
        Gor *g = gq_get(w, 0);
        if (g)
            return g;
        uint32_t start = sched_stress ? rt_randn((uint32_t)S.n) : (uint32_t)round;
        for (int i = 0; i < S.n; i++) {
            Worker *v = &S.workers[(start + (uint32_t)i) % (uint32_t)S.n];
            if (v != w && (g = runq_steal(w, v, round > 0)) != NULL)
                return g;
        }
        /* Stop when the deadline passed (the clock read only every few rounds). */
        if ((round & 7) == 7) {
            int64_t now = rt_mono_ns();
            if (deadline == 0)
                deadline = now + SPIN_NS;
            else if (now > deadline)
                return NULL;
        }
        for (int i = 0; i < 32; i++)
            rt_cpu_relax();
    }
}

/* Finds a goroutine to run, parking the worker while there is none. */
static Gor *find_runnable_inner(Worker *w)
{
    for (;;) {
        if (atomic_load_explicit(&S.stop, memory_order_relaxed))
            worker_stop();
        Gor *g;
        if (++w->tick % GLOBAL_EVERY == 0 && (g = gq_get(w, 1)) != NULL)
            return g;
        if ((g = runq_get(w)) != NULL)
            return g;
        if ((g = gq_get(w, 0)) != NULL) {
            stop_spinning(w);
            return g;
        }
        if (S.n > 1) {
            if (!w->spinning) {
                int busy = S.n - atomic_load(&S.nidle);
                if (2 * atomic_load(&S.nspinning) < busy) {
                    w->spinning = true;
                    atomic_fetch_add(&S.nspinning, 1);
                }
            }
            if (w->spinning && (g = spin(w)) != NULL) {
                stop_spinning(w);
                return g;
            }
        }

        /* Park. */
        rt_lock(&S.lock);
        if ((g = gq_pop_locked()) != NULL) {
            rt_unlock(&S.lock);
            stop_spinning(w);
            return g;
        }
        w->idle_next = S.idle;
        S.idle = w;
        w->on_idle = true;
        int nidle = atomic_fetch_add(&S.nidle, 1) + 1;
        bool was_spinning = w->spinning;
        w->spinning = false;
        if (was_spinning)
            atomic_fetch_sub(&S.nspinning, 1);
        bool dead = nidle == S.n && deadlocked_locked();
        rt_unlock(&S.lock);
        if (dead)
            deadlock_found();
        if (nidle == S.n)
            rt_flush_stdout();     /* the program waits: show what it printed */
        if (was_spinning && any_work()) {
            /* Work was published while we still counted as a spinner, so
             * its publisher woke nobody: take ourselves off the idle list
             * and look again, unless a waker already did (then consume its
             * wake-up below). */
            rt_lock(&S.lock);
            if (w->on_idle) {
                Worker **p = &S.idle;
                while (*p != w)
                    p = &(*p)->idle_next;
                *p = w->idle_next;
                w->on_idle = false;
                atomic_fetch_sub(&S.nidle, 1);
                w->spinning = true;
                atomic_fetch_add(&S.nspinning, 1);
                rt_unlock(&S.lock);
                continue;
            }
            rt_unlock(&S.lock);
        }
        while (atomic_exchange_explicit(&w->wake, 0, memory_order_acquire) == 0)
            rt_futex_wait(&w->wake, 0);
        w->spinning = true;        /* wakep counted us as spinning */
    }
}

static Gor *find_runnable(Worker *w)
{
    if (__builtin_expect(atomic_load_explicit(&rt_flush_due, memory_order_relaxed), 0))
        rt_flush_if_due();
    Gor *g = find_runnable_inner(w);
    stop_spinning(w);
    return g;
}

/* ------------------------------------------------------------------ */
/* running goroutines                                                    */

static _Noreturn void end_with_panic(Gor *g)
{
    if (!rt_claim_exit())
        rt_hang();
    rt_end_output();
    gor_report_panic(g, stderr);
    fflush(stderr);
    _exit(2);
}

static void run(Worker *w, Gor *g)
{
    for (;;) {
        if (atomic_load_explicit(&S.stop, memory_order_relaxed))
            worker_stop();         /* g stays runnable in the dump */
        atomic_store_explicit(&g->sched.state, GS_RUNNING, memory_order_relaxed);
        /* More local work than this worker takes next: let another help. */
        if (S.n > 1 && !runq_empty(w))
            wake_if_surplus();
        tls_current = g;
        TRACE_EV(trace_slice_begin(g));
        GorStatus st = gor_run(g, S.budget);
        TRACE_EV(trace_slice_end(g, st));
        tls_current = NULL;
        switch (st) {
        case GOR_YIELD:
            if (atomic_load_explicit(&S.stop, memory_order_relaxed))
                worker_stop();     /* g shows as running */
            atomic_store_explicit(&g->sched.state, GS_RUNNABLE, memory_order_relaxed);
            if (sched_stress && rt_randn(4) == 0) {
                rt_lock(&S.lock);
                gq_push_locked(g);
                rt_unlock(&S.lock);
            } else {
                runq_put(w, g);
            }
            return;
        case GOR_BLOCKED: {
            int s = GS_PARKING;
            if (atomic_compare_exchange_strong(&g->sched.state, &s, GS_WAITING))
                return;            /* g belongs to its waker now */
            /* s == GS_WOKEN: woken before we got here; we still own g. */
            if (s != GS_WOKEN) {
                fprintf(stderr, "fatal error: goroutine %lld blocked without parking\n",
                        (long long)g->id);
                abort();
            }
            if (g->sched.flags & GS_F_YIELD) {
                g->sched.flags &= (uint16_t)~GS_F_YIELD;
                atomic_store_explicit(&g->sched.state, GS_RUNNABLE, memory_order_relaxed);
                runq_put(w, g);
                return;
            }
            continue;
        }
        case GOR_DONE:
            if (g == atomic_load(&S.main_g))
                rt_exit(0);
            if (S.hooks)
                S.hooks->ended(g, GOR_DONE);
            atomic_store_explicit(&g->sched.state, GS_DEAD, memory_order_relaxed);
            registry_remove(g);
            gor_free(g);
            return;
        case GOR_PANIC:
            if (!S.hooks || !S.hooks->ended(g, GOR_PANIC))
                end_with_panic(g);
            atomic_store_explicit(&g->sched.state, GS_DEAD, memory_order_relaxed);
            registry_remove(g);
            gor_free(g);
            return;
        case GOR_EXIT:
            rt_exit(g->exit_code);
        }
        return;
    }
}

static void *worker_main(void *arg)
{
    Worker *w = arg;
    tls_worker = w;
    /* Workers start parked (sched_init put them on the idle list). */
    while (atomic_exchange_explicit(&w->wake, 0, memory_order_acquire) == 0)
        rt_futex_wait(&w->wake, 0);
    w->spinning = true;
    for (;;)
        run(w, find_runnable(w));
    return NULL;
}

/* ------------------------------------------------------------------ */
/* SIGQUIT                                                               */

static void *signal_main(void *arg)
{
    sigset_t *set = arg;
    int sig;
    while (sigwait(set, &sig) != 0 || sig != SIGQUIT)
        ;
    if (!rt_claim_exit())
        rt_hang();
    atomic_store(&S.stop, 1);
    /* Wait (at most ~1 s) until no worker runs a goroutine. */
    for (int i = 0; i < 1000; i++) {
        if (atomic_load(&S.nstopped) + atomic_load(&S.nidle) >= S.n)
            break;
        usleep(1000);
    }
    rt_end_output();
    fputs("SIGQUIT: quit\n\n", stderr);
    sched_dump_all(stderr);
    fflush(stderr);
    _exit(2);
}

/* ------------------------------------------------------------------ */
/* interface                                                             */

static int threads_from_env(void)
{
    const char *s = getenv("CSP_THREADS");
    if (s && *s) {
        char *end;
        long n = strtol(s, &end, 10);
        if (*end == '\0' && n > 0 && n <= 1024)
            return (int)n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

void sched_init(int nthreads)
{
    if (S.workers)
        return;
    if (nthreads <= 0)
        nthreads = threads_from_env();
    const char *stress = getenv("CSP_SCHEDSTRESS");
    sched_stress = stress && *stress && strcmp(stress, "0") != 0;
    S.n = nthreads;
    S.budget = sched_stress ? 1 : DEFAULT_BUDGET;
    S.workers = aligned_alloc(64, sizeof(Worker) * (size_t)nthreads);
    if (!S.workers) {
        fputs("fatal error: out of memory\n", stderr);
        _exit(2);
    }
    memset(S.workers, 0, sizeof(Worker) * (size_t)nthreads);
    trace_init_workers(nthreads);

    /* SIGQUIT is taken by one thread with sigwait: block it everywhere. */
    static sigset_t quitset;
    sigemptyset(&quitset);
    sigaddset(&quitset, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &quitset, NULL);

    /* Every worker starts on the idle list; the first sched_ready wakes one. */
    for (int i = nthreads - 1; i >= 0; i--) {
        Worker *w = &S.workers[i];
        w->id = i;
        w->idle_next = S.idle;
        w->on_idle = true;
        S.idle = w;
    }
    atomic_store(&S.nidle, nthreads);
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&S.workers[i].thread, NULL, worker_main, &S.workers[i]) != 0) {
            fputs("fatal error: cannot create worker thread\n", stderr);
            _exit(2);
        }
    }
    pthread_t sigthread;
    if (pthread_create(&sigthread, NULL, signal_main, &quitset) == 0)
        pthread_detach(sigthread);
}

int sched_main(Gor *main)
{
    if (!S.workers)
        sched_init(0);
    atomic_store(&S.main_g, main);
    sched_ready(main);
    rt_hang();                     /* the workers end the process */
}

void sched_ready(Gor *g)
{
    if (atomic_load_explicit(&g->sched.state, memory_order_relaxed) == GS_NEW) {
        registry_add(g);
        TRACE_EV(trace_create(g));
    }
    atomic_store_explicit(&g->sched.state, GS_RUNNABLE, memory_order_relaxed);
    Worker *w = tls_worker;
    if (w) {
        runq_put(w, g);
    } else {
        rt_lock(&S.lock);
        gq_push_locked(g);
        rt_unlock(&S.lock);
    }
    wake_if_surplus();
}

void sched_park(Gor *g, const char *reason, WaitComplete complete)
{
    g->wait.reason = reason;
    g->wait.complete = complete;
    atomic_store_explicit(&g->sched.state, GS_PARKING, memory_order_release);
}

void sched_wake(Gor *g)
{
    TRACE_EV(trace_wake(g));
    int s = atomic_load_explicit(&g->sched.state, memory_order_acquire);
    for (;;) {
        if (s == GS_PARKING) {
            if (atomic_compare_exchange_weak(&g->sched.state, &s, GS_WOKEN))
                return;            /* its worker will run it again */
        } else if (s == GS_WAITING) {
            /* Its worker is done with it and we are its only waker (the
             * one that dequeued it): nobody else writes the state now. */
            atomic_store_explicit(&g->sched.state, GS_RUNNABLE, memory_order_relaxed);
            break;
        } else {
            fprintf(stderr, "fatal error: wake of goroutine %lld in state %d\n",
                    (long long)g->id, s);
            abort();
        }
    }
    Worker *w = tls_worker;
    if (w && !(sched_stress && rt_randn(2) == 0)) {
        /* Run it next on this thread; the one it displaces goes to the
         * ring. Thieves only ever empty runnext, so when it is empty a
         * plain store fills it. */
        Gor *old = atomic_load_explicit(&w->runnext, memory_order_relaxed);
        if (!old)
            atomic_store_explicit(&w->runnext, g, memory_order_release);
        else if ((old = atomic_exchange(&w->runnext, g)) != NULL) {
            runq_put(w, old);
            wake_if_surplus();
        }
    } else {
        rt_lock(&S.lock);
        gq_push_locked(g);
        rt_unlock(&S.lock);
        wake_if_surplus();
    }
}

/* The last timer or I/O operation ended while every worker was idle: the
 * last parker saw it still pending, so the check falls to us. */
static void recheck_deadlock(void)
{
    if (atomic_load(&S.nidle) != S.n)
        return;
    rt_lock(&S.lock);
    bool dead = atomic_load(&S.nidle) == S.n && deadlocked_locked();
    rt_unlock(&S.lock);
    if (dead)
        deadlock_found();
}

void sched_io_begin(void) { atomic_fetch_add(&S.io_pending, 1); }
void sched_timer_begin(void) { atomic_fetch_add(&S.timers_pending, 1); }

void sched_io_end(void)
{
    if (atomic_fetch_sub(&S.io_pending, 1) == 1 && atomic_load(&S.timers_pending) == 0)
        recheck_deadlock();
}

void sched_timer_end(void)
{
    if (atomic_fetch_sub(&S.timers_pending, 1) == 1 && atomic_load(&S.io_pending) == 0)
        recheck_deadlock();
}

void sched_set_hooks(const SchedHooks *hooks) { S.hooks = hooks; }

bool sched_asleep(void)
{
    rt_lock(&S.lock);
    bool r = atomic_load(&S.nidle) == S.n && deadlocked_locked();
    rt_unlock(&S.lock);
    return r;
}

void sched_stats(SchedStats *st, int64_t *local, int nlocal)
{
    st->threads = S.n;
    st->idle = atomic_load(&S.nidle);
    st->spinning = atomic_load(&S.nspinning);
    st->global_runq = atomic_load(&S.gq_len);
    st->goroutines = sched_num_goroutines();
    st->timers = atomic_load(&S.timers_pending);
    st->io = atomic_load(&S.io_pending);
    for (int i = 0; i < nlocal && i < S.n; i++) {
        Worker *w = &S.workers[i];
        uint32_t h = atomic_load_explicit(&w->head, memory_order_acquire);
        uint32_t t = atomic_load_explicit(&w->tail, memory_order_acquire);
        local[i] = (int64_t)(uint32_t)(t - h) +
                   (atomic_load_explicit(&w->runnext, memory_order_relaxed) != NULL);
    }
}

int sched_num_threads(void) { return S.n; }
int sched_thread_id(void) { return tls_worker ? tls_worker->id : -1; }
int64_t sched_num_goroutines(void)
{
    int64_t n = atomic_load_explicit(&S.ext_live, memory_order_relaxed);
    for (int i = 0; i < S.n; i++)
        n += atomic_load_explicit(&S.workers[i].live, memory_order_relaxed);
    return n;
}
int64_t sched_next_goroutine_id(void) { return atomic_fetch_add(&S.next_id, 1) + 1; }
Gor *sched_current(void) { return tls_current; }
int sched_budget(void) { return S.budget; }
