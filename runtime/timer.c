/*
 * timer.c — time.sleep, time.after and time.tick on one timer heap.
 *
 * A binary min-heap of deadlines (monotonic ns) under one lock. The poller
 * thread (poll.c) sleeps in epoll_wait with a timerfd armed for the
 * earliest deadline; when it fires, timer_run_due() pops every due timer:
 * a sleeping goroutine is readied (into the global queue: the poller is
 * not a worker), a channel timer sends the wall clock without blocking.
 * Nobody else sleeps on behalf of timers, so a sleeping goroutine holds no
 * OS thread and 100,000 sleepers cost 100,000 small records.
 *
 * Every armed timer counts in the scheduler's timers_pending (deadlock
 * detection: while a timer is armed, something can still happen). A tick
 * whose channel is referenced by nobody but the timer itself stops, so an
 * abandoned ticker neither runs forever nor hides a deadlock.
 */
#include <stdlib.h>

#include "runtime/rt.h"
#include "runtime/rtint.h"

struct Timer {
    int64_t when;                /* monotonic deadline */
    int64_t period;              /* tick: > 0 */
    Gor *g;                      /* sleep: the goroutine to ready */
    Chan *chan;                  /* after/tick: the channel (one reference) */
    void (*fn)(void);            /* a runtime chore (not counted as pending) */
};

static struct {
    RtLock lock;
    Timer **heap;
    size_t n, cap;
} T;

static void heap_up(size_t i)
{
    Timer *t = T.heap[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (T.heap[p]->when <= t->when)
            break;
        T.heap[i] = T.heap[p];
        i = p;
    }
    T.heap[i] = t;
}

static void heap_down(size_t i)
{
    Timer *t = T.heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= T.n)
            break;
        if (c + 1 < T.n && T.heap[c + 1]->when < T.heap[c]->when)
            c++;
        if (T.heap[c]->when >= t->when)
            break;
        T.heap[i] = T.heap[c];
        i = c;
    }
    T.heap[i] = t;
}

/* Lock held. */
static void timer_push(Timer *t)
{
    if (T.n == T.cap) {
        size_t cap = T.cap ? T.cap * 2 : 64;
        Timer **h = realloc(T.heap, cap * sizeof *h);
        if (!h) {
            rt_write_stderr("fatal error: out of memory\n", 27);
            rt_exit(2);
        }
        T.heap = h;
        T.cap = cap;
    }
    T.heap[T.n++] = t;
    heap_up(T.n - 1);
    if (T.heap[0] == t)
        poll_arm_timer(t->when);
}

static Timer *timer_pop(void)
{
    Timer *t = T.heap[0];
    T.heap[0] = T.heap[--T.n];
    if (T.n > 0)
        heap_down(0);
    return t;
}

static Timer *timer_alloc(int64_t ns)
{
    Timer *t = calloc(1, sizeof *t);
    if (!t) {
        rt_write_stderr("fatal error: out of memory\n", 27);
        rt_exit(2);
    }
    if (ns < 0)
        ns = 0;
    int64_t now = rt_mono_ns();
    t->when = ns > INT64_MAX - now ? INT64_MAX : now + ns;
    return t;
}

void timer_sleep(Gor *g, int64_t ns)
{
    Timer *t = timer_alloc(ns);
    t->g = g;
    sched_timer_begin();
    sched_park(g, "sleep", NULL);
    rt_lock(&T.lock);
    timer_push(t);
    rt_unlock(&T.lock);
}

void timer_start_chan(Chan *c, int64_t ns, int64_t period)
{
    Timer *t = timer_alloc(ns);
    t->chan = c;
    t->period = period > 0 ? period : 0;
    chan_retain(c);
    sched_timer_begin();
    rt_lock(&T.lock);
    timer_push(t);
    rt_unlock(&T.lock);
}

void timer_start_fn(int64_t ns, void (*fn)(void))
{
    Timer *t = timer_alloc(ns);
    t->fn = fn;
    rt_lock(&T.lock);
    timer_push(t);
    rt_unlock(&T.lock);
}

/* Called by the poller thread when the timerfd fired. */
void timer_run_due(void)
{
    Timer *woken = NULL;           /* sleepers to ready, linked through chan */
    Timer *done = NULL;            /* channel timers that ended, linked through g */
    Timer *chores = NULL;          /* fn timers, linked through chan */
    int64_t now = rt_mono_ns();
    rt_lock(&T.lock);
    while (T.n > 0 && T.heap[0]->when <= now) {
        Timer *t = timer_pop();
        if (t->fn) {
            t->chan = (Chan *)chores;
            chores = t;
            continue;
        }
        if (t->g) {
            TRACE_EV(trace_timer(t->g, 0));
            t->chan = (Chan *)woken;
            woken = t;
            continue;
        }
        if (chan_refs(t->chan) > 1) {
            TRACE_EV(trace_timer(NULL, t->period));
            Heap none = { 0 };
            chan_send_nowait(t->chan, INT_VAL(rt_wall_ns()), &none);   /* a full channel drops it */
            if (t->period > 0) {
                int64_t missed = (now - t->when) / t->period;
                t->when += (missed + 1) * t->period;
                T.heap[T.n++] = t;  /* capacity: it was just popped */
                heap_up(T.n - 1);
                continue;
            }
        }
        /* One-shot done, or nobody but us holds the channel. */
        chan_release(t->chan);
        t->g = (Gor *)done;
        done = t;
    }
    if (T.n > 0)
        poll_arm_timer(T.heap[0]->when);
    rt_unlock(&T.lock);
    while (woken) {
        Timer *t = woken;
        woken = (Timer *)t->chan;
        sched_wake(t->g);
        free(t);
        sched_timer_end();         /* after the wake: see sched.c, deadlock */
    }
    while (done) {
        Timer *t = done;
        done = (Timer *)t->g;
        free(t);
        sched_timer_end();
    }
    while (chores) {
        Timer *t = chores;
        chores = (Timer *)t->chan;
        t->fn();
        free(t);
    }
}
