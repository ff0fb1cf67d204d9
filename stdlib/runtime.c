/*
 * runtime.c — the `runtime` module: num_goroutine, num_threads,
 * thread_id, gosched, goroutine_id.
 *
 * gosched parks the goroutine and wakes it at once: the wake finds it
 * still parking (GS_PARKING -> GS_WOKEN), and its worker, seeing the
 * GS_F_YIELD flag, puts it at the tail of its run queue instead of running
 * it again: every other runnable goroutine of that worker runs first.
 */
#include "runtime/sched.h"
#include "stdlib/stdlib.h"

STDLIB_NATIVE(num_goroutine, "runtime.num_goroutine");
static int fn_num_goroutine(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "runtime.num_goroutine", nargs, 0, 0))
        return NATIVE_PANIC;
    out[0] = INT_VAL(sched_num_goroutines());
    return 1;
}

STDLIB_NATIVE(num_threads, "runtime.num_threads");
static int fn_num_threads(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "runtime.num_threads", nargs, 0, 0))
        return NATIVE_PANIC;
    out[0] = INT_VAL(sched_num_threads());
    return 1;
}

STDLIB_NATIVE(thread_id, "runtime.thread_id");
static int fn_thread_id(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "runtime.thread_id", nargs, 0, 0))
        return NATIVE_PANIC;
    out[0] = INT_VAL(sched_thread_id());
    return 1;
}

STDLIB_NATIVE(goroutine_id, "runtime.goroutine_id");
static int fn_goroutine_id(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "runtime.goroutine_id", nargs, 0, 0))
        return NATIVE_PANIC;
    out[0] = INT_VAL(g->id);
    return 1;
}

STDLIB_NATIVE(gosched, "runtime.gosched");
static int fn_gosched(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "runtime.gosched", nargs, 0, 0))
        return NATIVE_PANIC;
    g->sched.flags |= GS_F_YIELD;
    sched_park(g, "runnable", NULL);
    sched_wake(g);
    return NATIVE_BLOCK;
}

static ModuleMember members[] = {
    NATIVE_MEMBER("num_goroutine", num_goroutine),
    NATIVE_MEMBER("num_threads", num_threads),
    NATIVE_MEMBER("thread_id", thread_id),
    NATIVE_MEMBER("gosched", gosched),
    NATIVE_MEMBER("goroutine_id", goroutine_id),
};

static ObjModule module = {
    { NULL, VAL_MODULE, OBJ_STATIC }, "runtime", sizeof members / sizeof members[0], members,
};

ObjModule *stdlib_runtime_module(void)
{
    return &module;
}
