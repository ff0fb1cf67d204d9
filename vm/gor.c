/*
 * gor.c — creating, running, resuming and freeing goroutines.
 *
 * gor_run is where a goroutine picks up after any suspension: at its
 * start, after its budget ran out, or after a blocking operation. In the
 * last case the instruction that blocked is the one before the top
 * frame's ip; gor_run asks the runtime for its results (g->wait.complete)
 * and finishes that instruction before the dispatch loop continues.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/sched.h"
#include "vm/vm.h"
#include "vm/vm_frames.h"

static const Value nil_value = { .type = VAL_NIL };

Gor *gor_new(Gor *parent, Value fn, const Value *args, int nargs,
             const char *created_file, int created_line) {
    Gor *g = calloc(1, sizeof *g);
    if (!g) heap_out_of_memory();
    heap_init(&g->heap);
    if (heap_gc_stress) g->heap.next_gc = 0;
    g->id = sched_next_goroutine_id();
    g->panic_value = nil_value;
    if (parent) {
        for (size_t i = parent->nframes; i-- > 0;) {
            const Proto *p = parent->frames[i].fn->proto;
            if (!p->hidden) { g->created_func = p->name; break; }
        }
        if (!g->created_func) g->created_func = "?";
        g->created_file = created_file;
        g->created_line = created_line;
    }
    /* Exactly what the first frame needs (slot 0 holds fn, the frame
     * starts at 1): a million blocked goroutines must fit, and a deeper
     * call grows the stack by doubling. */
    size_t frame = fn.type == VAL_FUNC ? (size_t)AS_FUNC(fn)->proto->framesize : NATIVE_MAX_RESULTS;
    size_t cap = 1 + ((size_t)nargs > frame ? (size_t)nargs : frame);
    g->stack = malloc(cap * sizeof(Value));
    if (!g->stack) heap_out_of_memory();
    g->stack_cap = cap;
    for (size_t i = 0; i < cap; i++) g->stack[i] = nil_value;
    heap_account_external((int64_t)(cap * sizeof(Value) + sizeof *g));
    /* fn and the arguments, copied together so sharing among them survives. */
    Value tmp[16];
    Value *src = nargs + 1 <= 16 ? tmp : malloc((size_t)(nargs + 1) * sizeof(Value));
    src[0] = fn;
    if (nargs > 0) memcpy(src + 1, args, (size_t)nargs * sizeof(Value));
    heap_copy_values(&g->heap, src, g->stack, (size_t)nargs + 1);
    if (src != tmp) free(src);
    g->top = (size_t)nargs + 1;
    g->resume = VM_RESUME_START;
    return g;
}

void gor_free(Gor *g) {
    heap_account_external(-(int64_t)(g->stack_cap * sizeof(Value) + g->frames_cap * sizeof(Frame) + sizeof *g));
    heap_free_all(&g->heap);
    free(g->stack);
    free(g->frames);
    free(g->defers);
    free(g->trace);
    for (size_t i = 0; i < g->nouter; i++) free(g->outer[i].trace);
    free(g->outer);
    free(g);
}

/* Calls the goroutine's function, which is in stack[0] with its
 * arguments above. */
static GorStatus start(Gor *g, int budget) {
    Value fn = g->stack[0];
    int nargs = (int)g->top - 1;
    if (fn.type == VAL_NATIVE) {
        int n = AS_NATIVE(fn)->fn(g, nargs, g->stack + 1, g->stack);
        if (n == NATIVE_PANIC) {
            vm_trace_capture(g);
            g->resume = VM_RESUME_DONE;
            return GOR_PANIC;
        }
        if (n == NATIVE_BLOCK) {
            g->resume = VM_RESUME_START_NATIVE;
            return GOR_BLOCKED;
        }
        g->resume = VM_RESUME_DONE;
        return GOR_DONE;
    }
    ObjFunc *f = AS_FUNC(fn);
    Proto *p = f->proto;
    g->top = 0;
    if (!vm_frames_reserve(g)) return GOR_PANIC;
    bool ok = nargs == p->fixed_nargs || vm_pack_varargs(g, p, g->stack + 1, nargs);
    Frame *fr = &g->frames[g->nframes++];
    fr->ip = p->code;
    fr->fn = f;
    fr->base = 1;
    fr->ret = 0;
    fr->nwant = 0;
    fr->flags = 0;
    fr->rets = NULL;
    g->resume = VM_RESUME_RUN;
    return vm_execute(g, budget, !ok);
}

void gor_interrupt(Gor *g) {
    atomic_store(&g->interrupt, true);
}

/* True, with the panic `interrupted` set, when gor_interrupt was called. */
static bool take_interrupt(Gor *g) {
    if (!atomic_load_explicit(&g->interrupt, memory_order_relaxed) ||
        !atomic_exchange(&g->interrupt, false))
        return false;
    vm_panic(g, "interrupted");
    return true;
}

/* Finishes the instruction that blocked, with the operation's results. */
static GorStatus resume_instr(Gor *g, int budget) {
    Frame *f = &g->frames[g->nframes - 1];
    Instr i = f->ip[-1];
    Value *base = g->stack + f->base;
    Value *ra = base + INS_A(i);
    Value out[NATIVE_MAX_RESULTS + 4];
    WaitComplete complete = g->wait.complete;
    g->resume = VM_RESUME_RUN;
    switch ((OpCode)INS_OP(i)) {
    case OP_CALL:
    case OP_CALLM: {
        int n = complete ? complete(g, ra) : 0;
        if (n == NATIVE_PANIC) return vm_execute(g, budget, true);
        if (n == 0) { ra[0] = nil_value; n = 1; }
        int want = (int)INS_C(i) - 1;
        if (want < 0) g->top = (size_t)(ra - g->stack) + (size_t)n;
        else for (int j = n; j < want; j++) ra[j] = nil_value;
        break;
    }
    case OP_RECV:
    case OP_RECV2:
    case OP_SELECT:
    case OP_RANGENEXT: {
        int n = complete ? complete(g, out) : 0;
        if (n == NATIVE_PANIC) return vm_execute(g, budget, true);
        for (int j = n; j < 3; j++) out[j] = nil_value;
        if (INS_OP(i) == OP_RECV) {
            ra[0] = out[0];
        } else if (INS_OP(i) == OP_RECV2) {
            ra[0] = out[0];
            ra[1] = out[1];
        } else if (INS_OP(i) == OP_SELECT) {
            ra[0] = out[0];
            ra[1] = out[1];
            ra[2] = out[2];
        } else if (out[1].type == VAL_BOOL && out[1].as.b) {
            ra[3] = out[0];
            f->ip += INS_SJ(i);
        }
        break;
    }
    default: {
        /* SEND and the like: no results. */
        int n = complete ? complete(g, out) : 0;
        if (n == NATIVE_PANIC) return vm_execute(g, budget, true);
        break;
    }
    }
    return vm_execute(g, budget, take_interrupt(g));
}

static GorStatus after(Gor *g, VmNext next, int budget) {
    switch (next) {
    case VM_NEXT_RUN: g->resume = VM_RESUME_RUN; return vm_execute(g, budget, false);
    case VM_NEXT_DONE: g->resume = VM_RESUME_DONE; return GOR_DONE;
    case VM_NEXT_PANIC: g->resume = VM_RESUME_DONE; return GOR_PANIC;
    case VM_NEXT_BLOCKED: return GOR_BLOCKED;
    }
    return GOR_PANIC;
}

GorStatus gor_run(Gor *g, int budget) {
    if (budget < 1) budget = 1;
    switch ((VmResume)g->resume) {
    case VM_RESUME_RUN:
        return vm_execute(g, budget, take_interrupt(g));
    case VM_RESUME_START:
        return start(g, budget);
    case VM_RESUME_INSTR:
        return resume_instr(g, budget);
    case VM_RESUME_DEFER: {
        Value out[NATIVE_MAX_RESULTS + 4];
        int n = g->wait.complete ? g->wait.complete(g, out) : 0;
        g->resume = VM_RESUME_RUN;
        return after(g, vm_defer_done(g, n == NATIVE_PANIC), budget);
    }
    case VM_RESUME_START_NATIVE: {
        int n = g->wait.complete ? g->wait.complete(g, g->stack) : 0;
        g->resume = VM_RESUME_DONE;
        if (n == NATIVE_PANIC) {
            vm_trace_capture(g);
            return GOR_PANIC;
        }
        return GOR_DONE;
    }
    case VM_RESUME_DONE:
        return g->panicking ? GOR_PANIC : GOR_DONE;
    }
    return GOR_DONE;
}
