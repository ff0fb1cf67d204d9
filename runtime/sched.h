/*
 * sched.h — the M:N scheduler: goroutines (Gor, vm/gor.h) on N worker
 * OS threads, with per-thread run queues, work stealing, parking of idle
 * workers, preemption by a budget of preemption points (backward jumps and
 * calls), timers and deadlock detection.
 *
 * The VM sees the scheduler only through this header: it creates a
 * goroutine with gor_new() and hands it to sched_ready(); it runs a
 * goroutine when the scheduler calls gor_run(); and a blocking operation
 * (channel, select, sleep, I/O) fills g->wait, parks the goroutine through
 * the runtime, and makes gor_run() return GOR_BLOCKED. When the goroutine
 * is resumed, the VM calls g->wait.complete (on the goroutine's own
 * thread, so it may allocate in the goroutine's heap) to produce the
 * results of the operation that blocked, then continues after it.
 *
 * The design (run queues, runnext, spinning, parking, the goroutine state
 * machine, deadlock detection) is described in docs/ARCH-runtime.md.
 */
#ifndef CSP_SCHED_H
#define CSP_SCHED_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "vm/heap.h"

typedef struct Gor Gor;
typedef struct SelectWait SelectWait;

/* Produces the results of a completed blocking operation into out[0..]
 * and returns their number, or NATIVE_PANIC after vm_panic(). */
typedef int (*WaitComplete)(Gor *g, Value *out);

/* One entry of a channel's queue of blocked senders or receivers (Go's
 * sudog). A plain send or receive uses the one embedded in its goroutine's
 * GorWait (a sender's message is then g->wait.value/msg); a select has one
 * per case in its SelectWait (the message beside it, runtime/chan.c); a
 * runtime thread that sends uses a ChanExtWaiter (runtime/rtint.h). All
 * fields are guarded by the lock of the channel whose queue holds it. */
typedef struct ChanWaiter {
    struct ChanWaiter *next, *prev;
    Gor *g;                      /* the parked goroutine; NULL for a runtime thread */
    SelectWait *sel;             /* the select this case belongs to, else NULL */
    int index;                   /* select case index, 0 for a plain operation */
    bool queued;                 /* linked in a channel queue */
} ChanWaiter;

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
    ChanWaiter waiter;           /* a plain channel operation's queue entry */
} GorWait;

/* Scheduler bookkeeping of one goroutine. Owned by runtime/. */
typedef struct GorSched {
    Gor *next;                   /* run-queue link (global queue) */
    _Atomic int state;           /* a GorState */
    uint32_t slot;               /* index in the registry of live goroutines */
    uint16_t flags;              /* GS_F_* */
} GorSched;

/* Goroutine states. A goroutine is in exactly one; transitions:
 *   NEW -> RUNNABLE                         sched_ready (first time)
 *   RUNNABLE -> RUNNING                     a worker takes it from a queue
 *   RUNNING -> RUNNABLE                     budget spent / gosched (GOR_YIELD)
 *   RUNNING -> PARKING                      a blocking operation published a waiter
 *   PARKING -> WAITING                      its worker returned from gor_run (CAS)
 *   PARKING -> WOKEN                        a waker came before that (CAS);
 *   WOKEN -> RUNNING                        the worker then runs it again
 *   WAITING -> RUNNABLE                     a waker (CAS), which queues it
 * Only the CAS winner queues a goroutine, so no wake-up is lost and no
 * goroutine is ever queued twice or run on two threads. */
enum GorState {
    GS_NEW = 0, GS_RUNNABLE, GS_RUNNING, GS_PARKING, GS_WAITING, GS_WOKEN, GS_DEAD
};

enum {
    GS_F_YIELD = 1 << 0,         /* parked by gosched: requeue at the tail, not in front */
};

/* Starts the worker threads (nthreads >= 1; <= 0 means the number of
 * online CPUs). Reads CSP_SCHEDSTRESS. */
void sched_init(int nthreads);
/* Runs the program whose main goroutine is `main` until it ends, then ends
 * the process itself (output flushed) with 0 (main returned), 2 (panic,
 * deadlock, SIGQUIT) or os.exit's code: it does not return. The int result
 * is kept for callers that want to write `return sched_main(g);`. */
int sched_main(Gor *main);
/* Makes g runnable; callable from any thread. */
void sched_ready(Gor *g);

int sched_num_threads(void);
int sched_thread_id(void);       /* the calling worker, 0..N-1; -1 on other threads */
int64_t sched_num_goroutines(void);
int64_t sched_next_goroutine_id(void);
/* The goroutine the calling worker is running, or NULL. */
Gor *sched_current(void);
/* The budget gor_run is given, in preemption points: taken backward
 * jumps and calls (1 under CSP_SCHEDSTRESS). */
int sched_budget(void);
/* True under CSP_SCHEDSTRESS=1. */
extern bool sched_stress;
/* `--trace PATH`: records a scheduler trace (Chrome trace event format),
 * written when the process ends. Call before sched_init; false when the
 * file cannot be created. */
bool sched_trace_open(const char *path);

/* --- the REPL (vm/repl.c): the process outlives its goroutines --- */

/* What the scheduler tells the REPL (on a worker or the poller thread). */
typedef struct SchedHooks {
    /* g returned (status GOR_DONE) or panicked (GOR_PANIC), and is about
     * to be freed. For a panic: true when the hook reported it and the
     * process goes on, false to end the process as for a program. */
    bool (*ended)(Gor *g, int status);
    /* Every goroutine is asleep and no timer or I/O is pending (no worker
     * runs a goroutine). True: the hook dealt with it and the workers wait
     * for what the REPL readies next; false: the deadlock report, exit 2. */
    bool (*asleep)(void);
} SchedHooks;
/* Installs the hooks before the first sched_ready: the scheduler then
 * runs without a main goroutine. */
void sched_set_hooks(const SchedHooks *hooks);
/* With hooks: true when, at this moment, every goroutine is asleep and no
 * timer or I/O is pending (what `asleep` reported, checked afresh). */
bool sched_asleep(void);

/* --- for runtime/ and the modules that block (time, io, net) --- */

/* Commits the running goroutine g to park with `reason`: afterwards the
 * operation publishes its waiter and returns CHAN_BLOCK / NATIVE_BLOCK.
 * A waker may call sched_wake(g) any time after this. */
void sched_park(Gor *g, const char *reason, WaitComplete complete);
/* Readies a goroutine parked by sched_park; exactly once per park.
 * From a worker, the goroutine runs next on the same thread (runnext);
 * from another thread it goes to the global queue. */
void sched_wake(Gor *g);
/* Outstanding timers and I/O operations: while either is non-zero a
 * blocked program is not deadlocked. Increment before the goroutine parks,
 * decrement after it was readied. */
void sched_io_begin(void);
void sched_io_end(void);
void sched_timer_begin(void);
void sched_timer_end(void);

/* Writes buf to standard output at once: output of one call never
 * interleaves with another's. */
void rt_write_stdout(const char *buf, size_t len);
void rt_write_stderr(const char *buf, size_t len);
void rt_flush_stdout(void);
/* Flushes output and ends the process with `code` (os.exit, main's return). */
_Noreturn void rt_exit(int code);
/* Called once, by the thread that ends the process (rt_exit, a panic or
 * deadlock report, SIGQUIT), before it does: the REPL restores the terminal. */
extern void (*rt_exit_hook)(void);

#endif
