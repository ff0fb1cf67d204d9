/*
 * time.c — the `time` module: now, since, sleep, after, tick and the
 * duration constants (ints, in nanoseconds).
 *
 * sleep parks the goroutine on the timer heap (runtime/timer.c): it holds
 * no OS thread while it sleeps. after and tick return a new channel of
 * capacity 1 that a timer fills with now(); a tick that finds the channel
 * still full drops that tick, as Go's ticker does.
 */
#include "runtime/rt.h"
#include "runtime/rtint.h"
#include "stdlib/stdlib.h"

static bool duration_arg(Gor *g, const char *name, int nargs, Value *args, int64_t *out)
{
    if (!stdlib_check_nargs(g, name, nargs, 1, 1) ||
        !stdlib_check_type(g, name, args, 0, VAL_INT, "int"))
        return false;
    *out = args[0].as.i;
    return true;
}

STDLIB_NATIVE(now, "time.now");
static int fn_now(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "time.now", nargs, 0, 0))
        return NATIVE_PANIC;
    out[0] = INT_VAL(rt_wall_ns());
    return 1;
}

STDLIB_NATIVE(since, "time.since");
static int fn_since(Gor *g, int nargs, Value *args, Value *out)
{
    int64_t t;
    if (!duration_arg(g, "time.since", nargs, args, &t))
        return NATIVE_PANIC;
    out[0] = INT_VAL(rt_wall_ns() - t);
    return 1;
}

STDLIB_NATIVE(sleep, "time.sleep");
static int fn_sleep(Gor *g, int nargs, Value *args, Value *out)
{
    int64_t d;
    if (!duration_arg(g, "time.sleep", nargs, args, &d))
        return NATIVE_PANIC;
    if (d <= 0)
        return 0;                  /* Go: returns at once */
    timer_sleep(g, d);
    return NATIVE_BLOCK;
}

/* A new channel of capacity 1 that a timer fills after d, then every
 * period (0: once). */
static Value timer_chan(Gor *g, int64_t d, int64_t period)
{
    ObjChan *o = (ObjChan *)heap_alloc(&g->heap, sizeof(ObjChan), VAL_CHAN);
    o->chan = chan_new(1);
    timer_start_chan(o->chan, d, period);
    return OBJ_VAL(VAL_CHAN, o);
}

STDLIB_NATIVE(after, "time.after");
static int fn_after(Gor *g, int nargs, Value *args, Value *out)
{
    int64_t d;
    if (!duration_arg(g, "time.after", nargs, args, &d))
        return NATIVE_PANIC;
    out[0] = timer_chan(g, d, 0);
    return 1;
}

STDLIB_NATIVE(tick, "time.tick");
static int fn_tick(Gor *g, int nargs, Value *args, Value *out)
{
    int64_t d;
    if (!duration_arg(g, "time.tick", nargs, args, &d))
        return NATIVE_PANIC;
    if (d <= 0) {
        out[0] = NIL_VAL;          /* Go's time.Tick: nil for a non-positive duration */
        return 1;
    }
    out[0] = timer_chan(g, d, d);
    return 1;
}

static ModuleMember members[] = {
    NATIVE_MEMBER("now", now),
    NATIVE_MEMBER("since", since),
    NATIVE_MEMBER("sleep", sleep),
    NATIVE_MEMBER("after", after),
    NATIVE_MEMBER("tick", tick),
    INT_MEMBER("nanosecond", 1),
    INT_MEMBER("microsecond", 1000),
    INT_MEMBER("millisecond", 1000000),
    INT_MEMBER("second", 1000000000),
    INT_MEMBER("minute", 60 * 1000000000LL),
    INT_MEMBER("hour", 3600 * 1000000000LL),
};

static ObjModule module = {
    { NULL, VAL_MODULE, OBJ_STATIC }, "time", sizeof members / sizeof members[0], members,
};

ObjModule *stdlib_time_module(void)
{
    return &module;
}
