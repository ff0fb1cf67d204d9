/*
 * vm_frames.c — returns with deferred calls, panics, recover, `defer` and
 * `go`, the growth of a goroutine's stack, and its collection.
 *
 * The return/unwind protocol. Deferred calls run as ordinary frames on
 * top of the frame that deferred them (its "owner"), flagged
 * FRAME_DEFERCALL; when one finishes, its owner's protocol continues:
 *
 *   - A frame that returns with deferred calls pending keeps its results
 *     (Frame.rets, out of the deferred calls' reach) and becomes
 *     RETURNING; its deferred calls run, last first; then it returns the
 *     kept results.
 *   - A panic unwinds from the top frame: a frame with deferred calls
 *     pending becomes UNWINDING and runs them (flagged FRAME_PANICDEFER,
 *     so recover() works in them); a frame without is dropped.
 *   - When a deferred call of an UNWINDING frame finishes and the panic
 *     was recovered, the frame turns RETURNING: it runs its remaining
 *     deferred calls and returns normally, with the results its `return`
 *     had set (or nil).
 *
 * None of this recurses on the C stack: vm_return and vm_unwind run the
 * protocol until a csp frame must execute (VM_NEXT_RUN), and the dispatch
 * loop picks up from the top frame.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/sched.h"
#include "runtime/trace.h"
#include "vm/fmt.h"
#include "vm/strbuf.h"
#include "vm/vm_frames.h"

static const Value nil_value = { .type = VAL_NIL };

static void oom(void) {
    heap_out_of_memory();
}

/* --- stack and frames --- */

bool vm_stack_reserve(Gor *g, size_t need) {
    if (need <= g->stack_cap) return true;
    if (need > VM_MAX_STACK) {
        vm_panic(g, "stack overflow");
        return false;
    }
    size_t cap = g->stack_cap * 2;
    if (cap < need) cap = need;
    if (cap > VM_MAX_STACK) cap = VM_MAX_STACK;
    Value *s = realloc(g->stack, cap * sizeof(Value));
    if (!s) oom();
    for (size_t i = g->stack_cap; i < cap; i++) s[i] = nil_value;
    heap_account_external((int64_t)((cap - g->stack_cap) * sizeof(Value)));
    g->stack = s;
    g->stack_cap = cap;
    return true;
}

bool vm_frames_reserve(Gor *g) {
    if (g->nframes < g->frames_cap) return true;
    if (g->nframes >= VM_MAX_FRAMES) {
        vm_panic(g, "stack overflow");
        return false;
    }
    size_t cap = g->frames_cap ? g->frames_cap * 2 : 2;
    if (cap > VM_MAX_FRAMES) cap = VM_MAX_FRAMES;
    Frame *f = realloc(g->frames, cap * sizeof(Frame));
    if (!f) oom();
    heap_account_external((int64_t)((cap - g->frames_cap) * sizeof(Frame)));
    g->frames = f;
    g->frames_cap = cap;
    return true;
}

/* --- collection --- */

void vm_collect(Gor *g) {
    TRACE_EV(trace_gc_begin(g));
    GcState *gc = heap_gc_begin(&g->heap);
    size_t extent = 0;
    if (g->nframes > 0) {
        Frame *f = &g->frames[g->nframes - 1];
        extent = f->base + (size_t)f->fn->proto->framesize;
    }
    if (g->top > extent) extent = g->top;
    if (extent > g->stack_cap) extent = g->stack_cap;
    for (size_t i = 0; i < extent; i++) heap_mark_value(gc, g->stack[i]);
    for (size_t i = extent; i < g->stack_cap; i++) g->stack[i] = nil_value;
    for (size_t i = 0; i < g->nframes; i++) {
        heap_mark_obj(gc, &g->frames[i].fn->obj);
        if (g->frames[i].rets) heap_mark_obj(gc, &g->frames[i].rets->obj);
    }
    for (size_t i = 0; i < g->ndefers; i++) {
        heap_mark_value(gc, g->defers[i].fn);
        if (g->defers[i].args) heap_mark_obj(gc, &g->defers[i].args->obj);
    }
    heap_mark_value(gc, g->panic_value);
    for (size_t i = 0; i < g->nouter; i++) heap_mark_value(gc, g->outer[i].value);
    heap_gc_end(gc);
    TRACE_EV(trace_gc_end(g));
    if (heap_gc_stress) g->heap.next_gc = g->heap.bytes;
}

/* --- panics --- */

Value vm_error_value(Gor *g, const char *msg) {
    return STR_VAL(str_new(&g->heap, msg, strlen(msg)));
}

/* A new panic while one is active (raised by a deferred call it runs):
 * the active one waits on g->outer until the new one ends. */
static void push_outer(Gor *g) {
    if (g->nouter == g->outer_cap) {
        size_t cap = g->outer_cap ? g->outer_cap * 2 : 2;
        OuterPanic *o = realloc(g->outer, cap * sizeof *o);
        if (!o) oom();
        g->outer = o;
        g->outer_cap = cap;
    }
    g->outer[g->nouter++] = (OuterPanic){ g->panic_value, g->panic_frame, g->trace };
    g->trace = NULL;
}

/* The current panic unwinds frame `top`: the outer panics that were
 * unwinding it or a frame above are aborted (Go drops them too). */
static void abort_outer(Gor *g, size_t top) {
    while (g->nouter > 0 && g->outer[g->nouter - 1].frame >= top)
        free(g->outer[--g->nouter].trace);
}

void vm_panic(Gor *g, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    vm_panic_value(g, vm_error_value(g, buf));
}

void vm_panic_value(Gor *g, Value v) {
    if (g->panicking) push_outer(g);
    g->panic_value = v;
    g->panicking = true;
    g->panic_frame = g->nframes ? g->nframes - 1 : 0;
}

Value vm_recover(Gor *g) {
    if (!g->panicking || g->nframes == 0) return nil_value;
    if (!(g->frames[g->nframes - 1].flags & FRAME_PANICDEFER)) return nil_value;
    Value v = g->panic_value;
    g->panicking = false;
    g->panic_value = nil_value;
    free(g->trace);
    g->trace = NULL;
    if (g->nouter > 0) {                   /* the interrupted panic goes on */
        OuterPanic o = g->outer[--g->nouter];
        g->panic_value = o.value;
        g->panic_frame = o.frame;
        g->trace = o.trace;
        g->panicking = true;
    }
    return v;
}

static int frame_line(const Frame *f) {
    const Proto *p = f->fn->proto;
    return proto_line(p, (int)(f->ip - p->code) - 1);
}

void vm_trace_capture(Gor *g) {
    size_t visible = 0;
    for (size_t i = 0; i < g->nframes; i++)
        if (!g->frames[i].fn->proto->hidden) visible++;
    size_t keep = visible <= VM_TRACE_FULL ? visible : VM_TRACE_HEAD + VM_TRACE_TAIL;
    VmTrace *t = malloc(sizeof *t + keep * sizeof(VmTraceEntry));
    if (!t) oom();
    t->n = 0;
    t->head = (int)keep;
    t->elided = 0;
    size_t seen = 0;
    for (size_t i = g->nframes; i-- > 0;) {
        const Frame *f = &g->frames[i];
        if (f->fn->proto->hidden) continue;
        bool take = visible <= VM_TRACE_FULL || seen < VM_TRACE_HEAD || seen >= visible - VM_TRACE_TAIL;
        if (take) t->e[t->n++] = (VmTraceEntry){ f->fn->proto, frame_line(f) };
        seen++;
    }
    if (visible > VM_TRACE_FULL) {
        t->head = VM_TRACE_HEAD;
        t->elided = visible - VM_TRACE_HEAD - VM_TRACE_TAIL;
    }
    free(g->trace);
    g->trace = t;
}

void vm_panic_named(Gor *g, const Proto *p, const Instr *ip, const char *fmt, ...) {
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const Hint *h = proto_hint(p, (int)(ip - p->code) - 1);
    if (h) vm_panic(g, "%s (%s '%s')", buf, h->is_field ? "field" : "variable", h->name);
    else vm_panic(g, "%s", buf);
}

/* --- the return/unwind protocol --- */

enum { EV_RETURN, EV_DEFER_DONE, EV_RUN_DEFER, EV_UNWIND };

static bool has_pending(const Gor *g) {
    return g->ndefers > 0 && g->defers[g->ndefers - 1].frame == g->nframes - 1;
}

/* Copies results to where the top frame's caller wants them; pops it. */
static void deliver(Gor *g, const Value *src, int n) {
    Frame *f = &g->frames[g->nframes - 1];
    Value *dst = g->stack + f->ret;
    int want = f->nwant;
    if (want < 0) {
        memmove(dst, src, (size_t)n * sizeof(Value));
        g->top = f->ret + (size_t)n;
    } else {
        int j = 0;
        for (; j < n && j < want; j++) dst[j] = src[j];
        for (; j < want; j++) dst[j] = nil_value;
    }
    g->nframes--;
}

/* Starts the top frame's last pending deferred call. Returns VM_NEXT_RUN
 * for a csp function (now the top frame), VM_NEXT_BLOCKED, or -1 when a
 * native call finished (EV_DEFER_DONE follows), -2 when it panicked. */
static int start_defer(Gor *g) {
    Frame *o = &g->frames[g->nframes - 1];
    DeferRec d = g->defers[--g->ndefers];
    bool panicking = (o->flags & FRAME_UNWINDING) != 0;
    int nargs = d.args ? (int)d.args->len : 0;
    size_t s = o->base + (size_t)o->fn->proto->framesize;
    if (!vm_stack_reserve(g, s + 1 + (size_t)nargs + NATIVE_MAX_RESULTS + 1)) return -2;
    Value *slot = g->stack + s;
    slot[0] = d.fn;
    for (int j = 0; j < nargs; j++) slot[1 + j] = d.args->items[j];
    if (d.fn.type == VAL_NATIVE) {
        int r = AS_NATIVE(d.fn)->fn(g, nargs, slot + 1, slot);
        if (r == NATIVE_PANIC) return -2;
        if (r == NATIVE_BLOCK) {
            g->resume = VM_RESUME_DEFER;
            return VM_NEXT_BLOCKED;
        }
        return -1;
    }
    ObjFunc *fn = AS_FUNC(d.fn);
    Proto *p = fn->proto;
    if (nargs != p->fixed_nargs && !vm_pack_varargs(g, p, slot + 1, nargs)) return -2;
    size_t nb = s + 1;
    if (!vm_stack_reserve(g, nb + (size_t)p->framesize) || !vm_frames_reserve(g)) return -2;
    Frame *f = &g->frames[g->nframes++];
    f->ip = p->code;
    f->fn = fn;
    f->base = (uint32_t)nb;
    f->ret = (uint32_t)s;
    f->nwant = 0;
    f->flags = FRAME_DEFERCALL | (panicking ? FRAME_PANICDEFER : 0);
    f->rets = NULL;
    return VM_NEXT_RUN;
}

static VmNext protocol(Gor *g, int ev, const Value *src, int n) {
    for (;;) {
        switch (ev) {
        case EV_RETURN: {
            Frame *f = &g->frames[g->nframes - 1];
            if (has_pending(g)) {
                ObjList *l = list_new(&g->heap, (size_t)n);
                memcpy(l->items, src, (size_t)n * sizeof(Value));
                l->len = (size_t)n;
                f->rets = l;
                f->flags |= FRAME_RETURNING;
                ev = EV_RUN_DEFER;
                continue;
            }
            bool was_defer = (f->flags & FRAME_DEFERCALL) != 0;
            deliver(g, src, n);
            if (g->nframes == 0) return VM_NEXT_DONE;
            if (!was_defer) return VM_NEXT_RUN;
            ev = EV_DEFER_DONE;
            continue;
        }
        case EV_DEFER_DONE: {
            Frame *o = &g->frames[g->nframes - 1];
            if (o->flags & FRAME_UNWINDING) {
                /* still the panic this frame unwinds for: not recovered */
                if (g->panicking && g->panic_frame == g->nframes - 1) { ev = EV_UNWIND; continue; }
                o->flags = (o->flags & ~(uint32_t)FRAME_UNWINDING) | FRAME_RETURNING;
            }
            if (has_pending(g)) { ev = EV_RUN_DEFER; continue; }
            const Value *rs = &nil_value;
            int rn = 1;
            if (o->rets && o->rets->len > 0) {
                rs = o->rets->items;
                rn = (int)o->rets->len;
            }
            bool was_defer = (o->flags & FRAME_DEFERCALL) != 0;
            deliver(g, rs, rn);
            if (g->nframes == 0) return VM_NEXT_DONE;
            if (!was_defer) return VM_NEXT_RUN;
            continue;                          /* EV_DEFER_DONE for the next owner */
        }
        case EV_RUN_DEFER: {
            int r = start_defer(g);
            if (r == -1) { ev = EV_DEFER_DONE; continue; }
            if (r == -2) { vm_trace_capture(g); ev = EV_UNWIND; continue; }
            return (VmNext)r;
        }
        case EV_UNWIND: {
            if (g->nframes == 0) return VM_NEXT_PANIC;
            Frame *f = &g->frames[g->nframes - 1];
            abort_outer(g, g->nframes - 1);
            if (has_pending(g)) {
                f->flags = (f->flags & ~(uint32_t)FRAME_RETURNING) | FRAME_UNWINDING;
                g->panic_frame = g->nframes - 1;
                ev = EV_RUN_DEFER;
                continue;
            }
            g->nframes--;
            if (g->nframes == 0) return VM_NEXT_PANIC;
            continue;
        }
        }
    }
}

VmNext vm_return(Gor *g, Value *src, int n) {
    return protocol(g, EV_RETURN, src, n);
}

VmNext vm_unwind(Gor *g) {
    return protocol(g, EV_UNWIND, NULL, 0);
}

VmNext vm_defer_done(Gor *g, bool panicked) {
    if (panicked) {
        vm_trace_capture(g);
        return protocol(g, EV_UNWIND, NULL, 0);
    }
    return protocol(g, EV_DEFER_DONE, NULL, 0);
}

/* --- defer and go --- */

/* Checks that fv[0] can be called with nargs arguments (as `defer` and
 * `go` do at once, where a call would check on entry). */
static bool check_callee(Gor *g, const Proto *p, const Instr *ip, Value fn, int nargs) {
    if (fn.type == VAL_NATIVE) return true;
    if (fn.type != VAL_FUNC) {
        vm_call_error(g, p, ip, fn);
        return false;
    }
    const Proto *fp = AS_FUNC(fn)->proto;
    if (fp->variadic ? nargs < fp->nparams - 1 : nargs != fp->nparams) {
        vm_nargs_error(g, fn, nargs);
        return false;
    }
    return true;
}

bool vm_defer(Gor *g, const Proto *p, const Instr *ip, Value *fv, int nargs) {
    if (!check_callee(g, p, ip, fv[0], nargs)) return false;
    ObjList *args = NULL;
    if (nargs > 0) {
        args = list_new(&g->heap, (size_t)nargs);
        memcpy(args->items, fv + 1, (size_t)nargs * sizeof(Value));
        args->len = (size_t)nargs;
    }
    if (g->ndefers == g->defers_cap) {
        size_t cap = g->defers_cap ? g->defers_cap * 2 : 4;
        DeferRec *d = realloc(g->defers, cap * sizeof *d);
        if (!d) oom();
        g->defers = d;
        g->defers_cap = cap;
    }
    g->defers[g->ndefers++] = (DeferRec){ g->nframes - 1, fv[0], args };
    g->frames[g->nframes - 1].flags |= FRAME_HASDEFER;
    return true;
}

bool vm_go(Gor *g, const Proto *p, const Instr *ip, Value *fv, int nargs) {
    if (!check_callee(g, p, ip, fv[0], nargs)) return false;
    int line = proto_line(p, (int)(ip - p->code) - 1);
    Gor *ng = gor_new(g, fv[0], fv + 1, nargs, p->file, line);
    sched_ready(ng);
    return true;
}

/* --- reports --- */

static void print_entry(StrBuf *b, const Proto *p, int line) {
    strbuf_appendf(b, "  %s at %s:%d\n", p->name, p->file, line);
}

static void print_created(StrBuf *b, const Gor *g) {
    if (g->created_func)
        strbuf_appendf(b, "  created by %s at %s:%d\n", g->created_func,
                       g->created_file ? g->created_file : "?", g->created_line);
}

void gor_report_panic(Gor *g, FILE *out) {
    StrBuf b;
    strbuf_init(&b);
    strbuf_appends(&b, "panic: ");
    fmt_value(&b, g->panic_value);
    strbuf_appendf(&b, "\n\ngoroutine %lld [running]:\n", (long long)g->id);
    const VmTrace *t = g->trace;
    if (t) {
        for (int i = 0; i < t->n; i++) {
            if (i == t->head && t->elided)
                strbuf_appendf(&b, "  ...%zu frames elided...\n", t->elided);
            print_entry(&b, t->e[i].proto, t->e[i].line);
        }
    }
    print_created(&b, g);
    fwrite(b.data, 1, b.len, out);
    fflush(out);
    strbuf_free(&b);
}

void gor_traceback(Gor *g, const char *state, FILE *out) {
    StrBuf b;
    strbuf_init(&b);
    strbuf_appendf(&b, "goroutine %lld [%s]:\n", (long long)g->id, state);
    size_t visible = 0;
    for (size_t i = 0; i < g->nframes; i++)
        if (!g->frames[i].fn->proto->hidden) visible++;
    size_t seen = 0;
    for (size_t i = g->nframes; i-- > 0;) {
        const Frame *f = &g->frames[i];
        if (f->fn->proto->hidden) continue;
        if (visible > VM_TRACE_FULL && seen == VM_TRACE_HEAD)
            strbuf_appendf(&b, "  ...%zu frames elided...\n", visible - VM_TRACE_HEAD - VM_TRACE_TAIL);
        if (visible <= VM_TRACE_FULL || seen < VM_TRACE_HEAD || seen >= visible - VM_TRACE_TAIL)
            print_entry(&b, f->fn->proto, frame_line(f));
        seen++;
    }
    print_created(&b, g);
    fwrite(b.data, 1, b.len, out);
    strbuf_free(&b);
}
