/*
 * gor.h — a goroutine: its whole execution state as one heap object.
 *
 * A goroutine's value stack and call frames are C heap arrays owned by its
 * Gor; csp calls never recurse on the C stack. So a goroutine can stop at any
 * safepoint (a blocking operation, an exhausted budget) by
 * returning from gor_run(), and be resumed later by any worker thread.
 *
 * Ownership: the fields under "execution" belong to the VM (vm/) and are
 * touched only by the thread currently running the goroutine. The `sched`
 * and `wait` parts belong to the runtime (runtime/), which documents their
 * locking in runtime/sched.h.
 */
#ifndef CSP_GOR_H
#define CSP_GOR_H

#include <stdio.h>

#include "vm/heap.h"
#include "runtime/sched.h"

/* Result of gor_run(). */
typedef enum {
    GOR_YIELD,       /* budget exhausted or gosched(): still runnable */
    GOR_BLOCKED,     /* parked on a channel, select, timer or I/O (g->wait set) */
    GOR_DONE,        /* the goroutine's function returned */
    GOR_PANIC,       /* an unrecovered panic: report printed by gor_report_panic */
    GOR_EXIT,        /* os.exit(code) was called: exit status in g->exit_code */
} GorStatus;

typedef struct Frame Frame;      /* vm/vm.h */
typedef struct DeferRec DeferRec;    /* vm/vm.h */
typedef struct VmTrace VmTrace;      /* vm/vm.h */
typedef struct OuterPanic OuterPanic; /* vm/vm.h */

struct Gor {
    /* --- execution (vm/) --- */
    Heap heap;
    Value *stack;                /* registers of all frames */
    size_t stack_cap;
    Frame *frames;
    size_t nframes, frames_cap;
    Value panic_value;           /* the panic being raised, if panicking */
    bool panicking;
    int exit_code;
    void *vm_state;              /* VM-private extras, allocated lazily */
    DeferRec *defers;            /* pending deferred calls of all frames, innermost last */
    size_t ndefers, defers_cap;
    size_t top;                  /* end of a multi-result call's values, while suspended */
    uint8_t resume;              /* how gor_run resumes: a VmResume (vm/vm.h) */
    VmTrace *trace;              /* the frames where the current panic was raised */
    size_t panic_frame;          /* the frame the current panic unwinds (running its defers) */
    OuterPanic *outer;           /* panics a newer one interrupted in their deferred calls, innermost last */
    size_t nouter, outer_cap;

    /* --- identity, for tracebacks and dumps --- */
    int64_t id;                  /* main is 1 */
    const char *created_func;    /* function containing the `go` statement; NULL for main */
    const char *created_file;
    int created_line;

    /* --- runtime (runtime/) --- */
    GorSched sched;
    GorWait wait;

    /* --- the REPL (vm/repl.c) --- */
    _Atomic bool interrupt;      /* set by another thread: raise `interrupted` when next resumed */
    void *repl;                  /* the REPL's record of an input goroutine; NULL for others */
};

/* Creates a goroutine that will call fn(args...). fn and args are
 * deep-copied into the new goroutine's heap. `parent` is NULL for main.
 * Does not start it: pass it to sched_ready(). */
Gor *gor_new(Gor *parent, Value fn, const Value *args, int nargs,
             const char *created_file, int created_line);
void gor_free(Gor *g);

/* Runs g until it yields, blocks, finishes, panics or exits; at most about
 * `budget` preemption points (taken backward jumps and calls) before it
 * yields. Called by the scheduler. */
GorStatus gor_run(Gor *g, int budget);

/* Ctrl-C at the REPL: the goroutine panics `interrupted` at its next
 * resumption (after a time slice, or once its blocking operation ended). */
void gor_interrupt(Gor *g);

/* Writes `goroutine ID [STATE]:` and the frames, innermost first, plus the
 * `created by` line for goroutines other than main. */
void gor_traceback(Gor *g, const char *state, FILE *out);

/* Prints `panic: MESSAGE`, a blank line and the traceback of where the
 * panic was raised (for a goroutine whose gor_run returned GOR_PANIC). */
void gor_report_panic(Gor *g, FILE *out);

/* Sets g's panic to a runtime error with a printf-style message; natives
 * then return NATIVE_PANIC. */
void vm_panic(Gor *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets g's panic to the value v (the builtin panic(v)). */
void vm_panic_value(Gor *g, Value v);

#endif
