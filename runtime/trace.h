/*
 * trace.h — the scheduler trace (`csp --trace OUT.json|OUT.html`) and the
 * periodic scheduler summary (CSP_SCHEDTRACE=MS).
 *
 * The scheduler, the timers and the collector report events through
 * TRACE_EV(...). With tracing off each hook is one predictable branch on a
 * flag that is written once, before any worker starts. With tracing on, every
 * thread appends fixed-size records to its own buffer without a lock; the
 * records are turned into Chrome trace event JSON (and, for .html, a page
 * that draws it) once, when the process ends — after main returns, at
 * os.exit, on a panic, a deadlock or SIGQUIT: every one of those goes
 * through rt_end_output, which calls trace_close.
 *
 * What is recorded:
 *   - a *slice* for every stretch a goroutine ran on a worker (one call
 *     of gor_run), with how it ended: yield, blocked (and why), done,
 *     panic, exit;
 *   - goroutine creation (creator, the `go` statement's file:line, the
 *     new goroutine's function);
 *   - blocking, with the reason sched_park was given, where the slice
 *     ended;
 *   - wake-ups (who woke whom), drawn as flow arrows from the waker's
 *     slice to the woken goroutine's next slice;
 *   - each goroutine's garbage collections (a slice nested in its run
 *     slice, with the heap size before and after);
 *   - timer firings (on the poller thread).
 */
#ifndef CSP_TRACE_H
#define CSP_TRACE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct Gor Gor;

/* True when --trace records. Set before any other thread starts and never
 * written again, so a plain read is enough. */
extern bool trace_on;

/* The hook: `TRACE_EV(trace_wake(g));` costs one branch when tracing is
 * off. Building with -DCSP_NO_TRACE_HOOKS removes the hooks altogether
 * (to measure what they cost; --trace then records nothing). */
#ifdef CSP_NO_TRACE_HOOKS
#define TRACE_EV(call) ((void)0)
#else
#define TRACE_EV(call)                                                           \
    do {                                                                         \
        if (__builtin_expect(trace_on, 0))                                       \
            call;                                                                \
    } while (0)
#endif

/* `--trace PATH` starts recording with sched_trace_open (sched.h), before
 * sched_init. The format follows the extension: .html writes the page,
 * anything else the JSON. */

/* Writes the trace; does nothing when there is no trace or it was written
 * already. Called once the process has decided to end (rt_end_output, and
 * at exit() for a process that returns from main); other threads may
 * still be running and recording, and what they record from then on is
 * left out. */
void trace_close(void);

/* --- hooks (call through TRACE_EV) --- */
/* A worker is about to run g / g's gor_run returned `status` (GorStatus). */
void trace_slice_begin(Gor *g);
void trace_slice_end(Gor *g, int status);
/* g becomes runnable for the first time (sched_ready of a new goroutine). */
void trace_create(Gor *g);
/* g is being woken by the calling thread (sched_wake, before it is queued). */
void trace_wake(Gor *g);
/* g's collector starts / ended (vm_collect). */
void trace_gc_begin(Gor *g);
void trace_gc_end(Gor *g);
/* A timer fired: it wakes sleeping g, or (g NULL) sends on a channel;
 * period > 0 for a ticker. */
void trace_timer(Gor *g, int64_t period);

/* --- CSP_SCHEDTRACE --- */

/* A snapshot of the scheduler, read without stopping it (every figure is
 * read at a slightly different moment). */
typedef struct SchedStats {
    int threads;                 /* workers */
    int idle;                    /* parked workers */
    int spinning;                /* workers looking for work */
    int64_t global_runq;         /* goroutines in the global queue */
    int64_t goroutines;          /* live goroutines */
    int64_t timers;              /* armed timers */
    int64_t io;                  /* outstanding I/O operations */
} SchedStats;

/* Fills st; local[i] (i < nlocal) gets worker i's run queue length
 * (runnext included). Defined in sched.c, which owns the figures. */
void sched_stats(SchedStats *st, int64_t *local, int nlocal);

/* Called by sched_init with the worker count: starts the CSP_SCHEDTRACE
 * printer when the variable asks for one. */
void trace_init_workers(int nthreads);

#endif
