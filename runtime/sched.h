/*
 * sched.h — the M:N scheduler: goroutines (Gor, vm/gor.h) on N worker
 * OS threads, with per-thread run queues, work stealing, parking of idle
 * workers, preemption by instruction budget, timers and deadlock detection.
 *
 * The VM sees the scheduler only through this header: it creates a
 * goroutine with gor_new() and hands it to sched_ready(); it runs a
 * goroutine when the scheduler calls gor_run(); and a blocking operation
 * (channel, select, sleep, I/O) fills g->wait, parks the goroutine through
 * the runtime, and makes gor_run() return GOR_BLOCKED. When the goroutine
 * is resumed, the VM calls g->wait.complete (on the goroutine's own
 * thread, so it may allocate in the goroutine's heap) to produce the
 * results of the operation that blocked, then continues after it.
 */
#ifndef CSP_SCHED_H
#define CSP_SCHED_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "vm/heap.h"

typedef struct Gor Gor;

/* Produces the results of a completed blocking operation into out[0..]
 * and returns their number, or NATIVE_PANIC after vm_panic(). */
typedef int (*WaitComplete)(Gor *g, Value *out);

/* What a parked goroutine waits for. Written by the goroutine before it
 * parks and by the one operation that wakes it (under the lock of the
 * channel or timer involved); read by the goroutine after it resumes. */
typedef struct GorWait {
    const char *reason;          /* for dumps: "chan receive", "chan send", "select", "sleep", "io", ... */
    WaitComplete complete;       /* NULL: the operation has no results */
    Heap msg;                    /* a received value's objects, to adopt */
    Value value;                 /* the received value (objects in msg) */
    bool ok;                     /* receive: false when closed and drained */
    int selected;                /* select: index of the case that fired */
    void *data;                  /* operation-specific (select cases, I/O request) */
} GorWait;

/* Scheduler bookkeeping of one goroutine. Owned by runtime/. */
typedef struct GorSched {
    Gor *next;                   /* run-queue / wait-queue link */
    _Atomic int state;           /* runtime-defined states */
    int64_t budget;
    void *extra;                 /* runtime-private */
} GorSched;

/* Starts the worker threads (nthreads >= 1). */
void sched_init(int nthreads);
/* Runs the program whose main goroutine is `main` until it exits; returns
 * the process exit status (0, 2 for panic/deadlock, or os.exit's code). */
int sched_main(Gor *main);
/* Makes g runnable; callable from any thread. */
void sched_ready(Gor *g);

int sched_num_threads(void);
int sched_thread_id(void);       /* the calling worker, 0..N-1 */
int64_t sched_num_goroutines(void);
int64_t sched_next_goroutine_id(void);

/* Writes buf to standard output at once: output of one call never
 * interleaves with another's. */
void rt_write_stdout(const char *buf, size_t len);
void rt_write_stderr(const char *buf, size_t len);
/* Flushes output and ends the process with `code` (os.exit, main's return). */
_Noreturn void rt_exit(int code);

#endif
