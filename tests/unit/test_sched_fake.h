/*
 * test_sched_fake.h — a fake VM for testing runtime/ alone.
 *
 * A fake goroutine is a C function written as a resumable state machine
 * (a protothread): its locals live in its Fake record, and each blocking
 * channel operation either completes at once or returns GOR_BLOCKED with
 * the program counter saved; on resumption gor_run first calls
 * g->wait.complete, as the real VM does, then jumps back after the
 * operation. Values are scalars only, so the heap functions are trivial.
 *
 * Include it in exactly one test file and compile with the runtime's files.
 */
#ifndef TEST_SCHED_FAKE_H
#define TEST_SCHED_FAKE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/chan.h"
#include "runtime/rt.h"
#include "runtime/rtint.h"
#include "vm/gor.h"

typedef struct Fake Fake;
typedef GorStatus (*FakeStep)(Gor *g, Fake *f);

struct Fake {
    FakeStep step;
    int pc;
    bool resume;                 /* call wait.complete before continuing */
    int budget;
    Value out[4];                /* results of the last operation */
    int64_t i, j, k, n, sum, id; /* locals */
    Chan *c[4];
    void *p;
    char panic_msg[80];
};

#define FAKE(g) ((Fake *)(g)->vm_state)

/* --- protothread macros: use inside a FakeStep with parameters g, f --- */
#define PT_BEGIN switch (f->pc) { case 0:
#define PT_END } return GOR_DONE;

#define PT_BLOCKING(call)                                  \
    f->pc = __LINE__;                                      \
    {                                                      \
        int r_ = (call);                                   \
        if (r_ == CHAN_BLOCK) {                            \
            f->resume = true;                              \
            return GOR_BLOCKED;                            \
        }                                                  \
        if (r_ == CHAN_PANIC)                              \
            return GOR_PANIC;                              \
    }                                                      \
    __attribute__((fallthrough));                          \
    case __LINE__:

#define T_SEND(ch, v)   PT_BLOCKING(chan_send(g, (ch), (v)))
#define T_RECV(ch)      PT_BLOCKING(chan_recv(g, (ch), f->out))
#define T_SELECT(cs, n, dflt) PT_BLOCKING(chan_select(g, (cs), (n), (dflt), f->out))
#define T_SLEEP(ns)                                        \
    f->pc = __LINE__;                                      \
    timer_sleep(g, (ns));                                  \
    f->resume = true;                                      \
    return GOR_BLOCKED;                                    \
    case __LINE__:
#define T_YIELD                                            \
    f->pc = __LINE__;                                      \
    return GOR_YIELD;                                      \
    case __LINE__:
/* A safepoint: yields when the budget is spent. */
#define T_SAFEPOINT                                        \
    if (--f->budget <= 0) {                                \
        f->pc = __LINE__;                                  \
        return GOR_YIELD;                                  \
    case __LINE__:;                                        \
    }

static inline Gor *fake_new(FakeStep step)
{
    Gor *g = calloc(1, sizeof *g);
    Fake *f = calloc(1, sizeof *f);
    if (!g || !f) {
        fputs("out of memory\n", stderr);
        exit(3);
    }
    f->step = step;
    g->vm_state = f;
    g->id = sched_next_goroutine_id();
    g->created_func = g->id == 1 ? NULL : "fake";
    return g;
}

static inline Gor *fake_go(FakeStep step)
{
    Gor *g = fake_new(step);
    sched_ready(g);
    return g;
}

/* --- the VM interface the runtime calls --- */

GorStatus gor_run(Gor *g, int budget)
{
    Fake *f = FAKE(g);
    f->budget = budget;
    if (f->resume) {
        f->resume = false;
        if (g->wait.complete && g->wait.complete(g, f->out) == NATIVE_PANIC)
            return GOR_PANIC;
    }
    return f->step(g, f);
}

void gor_free(Gor *g)
{
    free(g->vm_state);
    free(g);
}

void gor_traceback(Gor *g, const char *state, FILE *out)
{
    fprintf(out, "goroutine %lld [%s]:\n  fake at test.csp:1\n", (long long)g->id, state);
    if (g->created_func)
        fprintf(out, "  created by %s at test.csp:1\n", g->created_func);
}

void gor_report_panic(Gor *g, FILE *out)
{
    fprintf(out, "panic: %s\n\n", FAKE(g)->panic_msg);
    gor_traceback(g, "running", out);
}

void vm_panic(Gor *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(FAKE(g)->panic_msg, sizeof FAKE(g)->panic_msg, fmt, ap);
    va_end(ap);
}

void heap_init(Heap *h) { memset(h, 0, sizeof *h); }
void heap_free_all(Heap *h) { memset(h, 0, sizeof *h); }
void heap_adopt(Heap *to, Heap *from) { (void)to; memset(from, 0, sizeof *from); }
Value heap_copy_value(Heap *to, Value v) { (void)to; return v; }

#endif
