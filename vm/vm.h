/*
 * vm.h — the interpreter's view of a goroutine's execution state.
 *
 * A goroutine's registers are one growable array of Values (g->stack);
 * each call frame is a window of it starting at Frame.base, and the
 * frames themselves are a growable array (g->frames). Nothing of a csp
 * call lives on the C stack: gor_run() can return at any safepoint and
 * resume later, on any thread.
 *
 * Stack invariant: every slot of g->stack, up to stack_cap, holds a valid
 * Value (nil-filled when the stack grows). The collector marks the slots
 * in use (up to the innermost frame's base + framesize, or the end of a
 * multi-result call's values) and nils the rest, so a stale slot above
 * never points to a freed object.
 *
 * When the heap collects: between instructions, after one that allocated
 * (GC_CHECK in vm.c). Then every live value is in a register, a frame, a
 * deferred call or the panic; C code never holds one across a collection.
 */
#ifndef CSP_VM_H
#define CSP_VM_H

#include "vm/code.h"
#include "vm/gor.h"

/* Frame.flags */
enum {
    FRAME_HASDEFER    = 1 << 0,  /* deferred calls of this frame may be pending */
    FRAME_DEFERCALL   = 1 << 1,  /* this frame is a deferred call; its results are dropped */
    FRAME_PANICDEFER  = 1 << 2,  /* ... started by a panic's unwinding: recover() works here */
    FRAME_RETURNING   = 1 << 3,  /* returned; running its deferred calls */
    FRAME_UNWINDING   = 1 << 4,  /* a panic passes through; running its deferred calls */
};

struct Frame {
    const Instr *ip;             /* next instruction (saved while not running) */
    ObjFunc *fn;
    uint32_t base;               /* stack index of R[0] */
    uint32_t ret;                /* stack index where the results go */
    int32_t nwant;               /* results the caller wants; -1: all (sets top) */
    uint32_t flags;              /* FRAME_* */
    ObjList *rets;               /* results of `return`, kept while deferred calls run */
};

/* A panic that was unwinding frame `frame` when a deferred call of that
 * frame raised a newer panic. As in Go, it resumes when the newer panic is
 * recovered, and is aborted when the newer one unwinds past `frame`'s
 * deferred call. */
struct OuterPanic {
    Value value;
    size_t frame;
    VmTrace *trace;
};

/* A pending `defer`: the function and its arguments, evaluated at the
 * defer statement. */
struct DeferRec {
    size_t frame;                /* index of the frame that deferred it */
    Value fn;
    ObjList *args;               /* NULL: no arguments */
};

/* Where a panic was raised, for its report: the frames innermost first.
 * Deep stacks keep the innermost VM_TRACE_HEAD and outermost VM_TRACE_TAIL. */
enum { VM_TRACE_HEAD = 20, VM_TRACE_TAIL = 10, VM_TRACE_FULL = 100 };
typedef struct VmTraceEntry {
    const Proto *proto;
    int line;
} VmTraceEntry;
struct VmTrace {
    int n;                       /* entries */
    int head;                    /* entries before the elision mark (n when none) */
    size_t elided;               /* frames left out */
    VmTraceEntry e[];
};

/* How gor_run continues a goroutine (Gor.resume). */
typedef enum {
    VM_RESUME_RUN,               /* continue at the top frame's ip */
    VM_RESUME_START,             /* first run: call the goroutine's function */
    VM_RESUME_INSTR,             /* blocked in the instruction before ip: complete it */
    VM_RESUME_DEFER,             /* blocked in a native deferred call */
    VM_RESUME_START_NATIVE,      /* blocked in a native goroutine function */
    VM_RESUME_DONE,              /* finished */
} VmResume;

/* Limits (LANGUAGE-NOTES: 250,000 frames or a stack of 16 M values). */
enum { VM_MAX_FRAMES = 250000, VM_MAX_STACK = 16 * 1024 * 1024 };

/* Runs the top frame until the goroutine yields, blocks, ends or panics.
 * With throw, first raises the panic already set in g. */
GorStatus vm_execute(Gor *g, int budget, bool throw);

/* Makes room for `need` stack slots from index 0; false (after a
 * `stack overflow` panic) past the limit. */
bool vm_stack_reserve(Gor *g, size_t need);
/* Room for one more frame; false after a `stack overflow` panic. */
bool vm_frames_reserve(Gor *g);

/* Collects g's heap; every live value must be in g (see above). */
void vm_collect(Gor *g);

/* recover(): the panic value if g is panicking and the caller of the
 * native is a deferred call started by the panic, else nil. */
Value vm_recover(Gor *g);
/* Records where the current panic was raised (before unwinding). */
void vm_trace_capture(Gor *g);

/* Panic messages that name a variable or field from the instruction's hint. */
void vm_panic_named(Gor *g, const Proto *p, const Instr *ip, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Slow paths of the dispatch loop (vm/vm_ops.c). They return false after
 * setting a panic. `ip` points after the instruction (for hints). */
bool vm_arith(Gor *g, OpCode op, Value a, Value b, Value *out);
bool vm_unary(Gor *g, OpCode op, Value a, Value *out);
/* a < b (a <= b); vm_greater: a > b (a >= b), named so in its message. */
bool vm_less(Gor *g, Value a, Value b, bool or_equal, bool *out);
bool vm_greater(Gor *g, Value a, Value b, bool or_equal, bool *out);
/* The channel of a send/receive operand (NULL for nil); panics
 * `invalid operation: send to non-chan int` for anything else. */
bool vm_chan_operand(Gor *g, Value v, const char *what, Chan **out);
/* select over n cases laid out as SELECT describes; a CHAN_* result. */
int vm_select(Gor *g, Value *cases, int n, bool has_default, Value *out);
bool vm_index(Gor *g, const Proto *p, const Instr *ip, Value obj, Value key, Value *out);
bool vm_index2(Gor *g, const Proto *p, const Instr *ip, Value obj, Value key, Value *out);
bool vm_setindex(Gor *g, const Proto *p, const Instr *ip, Value obj, Value key, Value v);
bool vm_getfield(Gor *g, const Proto *p, const Instr *ip, Value obj, Value name, Value *out);
bool vm_setfield(Gor *g, const Proto *p, const Instr *ip, Value obj, Value name, Value v);
bool vm_getmethod(Gor *g, const Proto *p, const Instr *ip, Value obj, Value name, Value *out);
bool vm_slice(Gor *g, const Proto *p, const Instr *ip, Value *r, int flags, Value *out);
bool vm_len(Gor *g, Value v, Value *out);
bool vm_makechan(Gor *g, Value n, bool given, Value *out);
bool vm_rangeprep(Gor *g, Value *r);
/* Advances a range loop over a non-channel; returns 1 with R[A+3..4] set,
 * 0 at the end. */
int vm_rangenext(Gor *g, Value *r);
void vm_call_error(Gor *g, const Proto *p, const Instr *ip, Value callee);
void vm_nargs_error(Gor *g, Value callee, int have);
/* Packs a variadic call's extra arguments into a list at args[nparams-1];
 * false when there are too few arguments. */
bool vm_pack_varargs(Gor *g, Proto *p, Value *args, int nargs);
/* The value a runtime error message gets: a string in g's heap. */
Value vm_error_value(Gor *g, const char *msg);

#endif
