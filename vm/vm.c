/*
 * vm.c — the dispatch loop.
 *
 * The running frame's instruction pointer, register base and constants
 * are kept in C locals; they are written back to the Frame (SAVE_IP)
 * before anything that may inspect the goroutine from outside the loop: a
 * call of a native, a panic, a collection, or a return to the scheduler.
 *
 * Preemption: taken backward jumps and calls count down the budget
 * gor_run was given; at zero the goroutine yields (GOR_YIELD) with its
 * state saved, so any worker can resume it. Collection: after an
 * instruction that allocated, when the heap has grown past its threshold
 * (GC_CHECK); a loop that allocates nothing never looks at the heap.
 * Code that may grow the value stack (calls, SPREAD) reloads `base`
 * afterwards, since the stack may have moved.
 *
 * Each handler does the common case inline (ints, floats, calls of csp
 * functions) and hands everything else to a slow path in vm_ops.c, which
 * returns false after setting a panic; the loop then unwinds through
 * vm_unwind (vm_frames.c), which runs deferred calls as ordinary frames.
 *
 * Dispatch is by computed goto (one indirect jump per handler, which the
 * branch predictor learns per opcode pair), or a plain switch where the
 * compiler has no labels-as-values: CSP_SWITCH_DISPATCH selects it.
 */
#include <math.h>
#include <string.h>

#include "runtime/chan.h"
#include "runtime/sched.h"
#include "vm/arith.h"
#include "vm/vm.h"
#include "vm/vm_frames.h"

#if defined(__GNUC__) && !defined(CSP_SWITCH_DISPATCH)
#define USE_GOTO 1
#else
#define USE_GOTO 0
#endif

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define A   INS_A(i)
#define B   INS_B(i)
#define C   INS_C(i)
#define RA  (base + INS_A(i))
#define RB  (base + INS_B(i))
#define RC  (base + INS_C(i))
#define KB  (k + INS_B(i))
#define KC  (k + INS_C(i))

#define TYPES2(x, y) (((unsigned)(x)->type << 8) | (y)->type)
#define INT2 ((VAL_INT << 8) | VAL_INT)
#define BOTH_INT(x, y) ((((unsigned)(x)->type ^ VAL_INT) | ((unsigned)(y)->type ^ VAL_INT)) == 0)

static const Value nil_value = { .type = VAL_NIL };

/* Stores into a register: the tag and the payload, nothing else (a
 * compound literal would also clear the padding, two more stores). */
#define SET_INT(p, x)   do { Value *p_ = (p); p_->as.i = (x); p_->type = VAL_INT; } while (0)
#define SET_FLOAT(p, x) do { Value *p_ = (p); p_->as.f = (x); p_->type = VAL_FLOAT; } while (0)
#define SET_BOOL(p, x)  do { Value *p_ = (p); p_->as.i = 0; p_->as.b = (x); p_->type = VAL_BOOL; } while (0)

__attribute__((optimize("no-crossjumping", "no-gcse")))
GorStatus vm_execute(Gor *g, int budget, bool throw) {
#if USE_GOTO
    static const void *const labels[OP__COUNT] = {
#define X(name, fmt, doc) &&L_##name,
        OPCODES(X)
#undef X
    };
#define DISPATCH() do { i = *ip++; goto *labels[INS_OP(i)]; } while (0)
#define CASE(name) L_##name:
#else
#define DISPATCH() goto dispatch
#define CASE(name) case OP_##name:
#endif

    Frame *frame;
    Proto *proto;
    Value *base;
    const Instr *ip;
    const Value *k;
    Value *top;
    Instr i;
    VmNext next;

#define LOAD_FRAME() do {                                      \
        frame = &g->frames[g->nframes - 1];                    \
        proto = frame->fn->proto;                              \
        base = g->stack + frame->base;                         \
        ip = frame->ip;                                        \
        k = proto->consts;                                     \
    } while (0)
#define SAVE_IP() (frame->ip = ip)
#define THROW() do { SAVE_IP(); goto throw_panic; } while (0)
    /* Preemption point (taken backward jumps, calls): count the budget. */
#define SAFEPOINT() do {                                                    \
        if (unlikely(--budget <= 0)) {                                      \
            SAVE_IP();                                                      \
            g->resume = VM_RESUME_RUN;                                      \
            return GOR_YIELD;                                               \
        }                                                                   \
    } while (0)
    /* After an instruction that may have allocated: every live value is
     * in a register (or up to top), so the heap can be collected here. */
#define GC_CHECK() do {                                                     \
        if (unlikely(g->heap.bytes > g->heap.next_gc)) {                    \
            SAVE_IP();                                                      \
            g->top = (size_t)(top - g->stack);                              \
            vm_collect(g);                                                  \
        }                                                                   \
    } while (0)
#define JUMP(off) do {                                                      \
        int32_t off_ = (off);                                               \
        ip += off_;                                                         \
        if (off_ < 0) SAFEPOINT();                                          \
    } while (0)
#define BLOCK() do { g->resume = VM_RESUME_INSTR; return GOR_BLOCKED; } while (0)

    if (g->nframes == 0) return GOR_DONE;
    LOAD_FRAME();
    top = g->stack + g->top;
    if (throw) goto throw_panic;
    GC_CHECK();                  /* a resumed operation may have allocated */

#if USE_GOTO
    DISPATCH();
#else
dispatch:
    i = *ip++;
    switch ((OpCode)INS_OP(i)) {
#endif

    CASE(MOVE) { *RA = *RB; DISPATCH(); }
    CASE(LOADK) { *RA = k[INS_BX(i)]; DISPATCH(); }
    CASE(LOADI) { SET_INT(RA, INS_SBX(i)); DISPATCH(); }
    CASE(LOADNIL) {
        Value *r = RA;
        for (unsigned n = 0; n <= B; n++) r[n] = nil_value;
        DISPATCH();
    }
    CASE(LOADBOOL) { SET_BOOL(RA, B != 0); DISPATCH(); }

    CASE(NEWBOX) { *RA = OBJ_VAL(VAL_BOX, box_new(&g->heap, *RB)); GC_CHECK(); DISPATCH(); }
    CASE(FRESHBOX) { *RA = OBJ_VAL(VAL_BOX, box_new(&g->heap, AS_BOX(*RA)->value)); GC_CHECK(); DISPATCH(); }
    CASE(GETBOX) { *RA = AS_BOX(*RB)->value; DISPATCH(); }
    CASE(SETBOX) { AS_BOX(*RA)->value = *RB; DISPATCH(); }
    CASE(GETUPV) { *RA = frame->fn->boxes[B]->value; DISPATCH(); }
    CASE(SETUPV) { frame->fn->boxes[A]->value = *RB; DISPATCH(); }
    CASE(CLOSURE) {
        Proto *p = proto->protos[INS_BX(i)];
        ObjFunc *f = func_new(&g->heap, p, (uint32_t)p->ncaps);
        for (int c = 0; c < p->ncaps; c++) {
            const Capture *cap = &p->caps[c];
            f->boxes[c] = cap->from_reg ? AS_BOX(base[cap->index]) : frame->fn->boxes[cap->index];
        }
        *RA = OBJ_VAL(VAL_FUNC, f);
        GC_CHECK();
        DISPATCH();
    }

    /* --- arithmetic --- */
#define ARITH(name, OPC, yexpr, intexpr, fltexpr)                           \
    CASE(name) {                                                            \
        Value *x = RB; const Value *y = yexpr;                              \
        if (likely(BOTH_INT(x, y))) {                                 \
            int64_t a_ = x->as.i, b_ = y->as.i; (void)a_; (void)b_;          \
            SET_INT(RA, intexpr);                                         \
        } else if (IS_NUM(*x) && IS_NUM(*y)) {                              \
            double a_ = IS_INT(*x) ? (double)x->as.i : x->as.f;             \
            double b_ = IS_INT(*y) ? (double)y->as.i : y->as.f;             \
            SET_FLOAT(RA, fltexpr);                                       \
        } else {                                                            \
            SAVE_IP();                                                      \
            if (!vm_arith(g, OPC, *x, *y, RA)) goto throw_panic;            \
            GC_CHECK();                                                     \
        }                                                                   \
        DISPATCH();                                                         \
    }
    ARITH(ADD, OP_ADD, RC, arith_wrap_add(a_, b_), a_ + b_)
    ARITH(SUB, OP_SUB, RC, arith_wrap_sub(a_, b_), a_ - b_)
    ARITH(MUL, OP_MUL, RC, arith_wrap_mul(a_, b_), a_ * b_)
    ARITH(ADDK, OP_ADD, KC, arith_wrap_add(a_, b_), a_ + b_)
    ARITH(SUBK, OP_SUB, KC, arith_wrap_sub(a_, b_), a_ - b_)
    ARITH(MULK, OP_MUL, KC, arith_wrap_mul(a_, b_), a_ * b_)

    /* Division and modulo: a zero or -1 divisor takes the slow path
     * (divide by zero panics; min_int / -1 must wrap, not trap). */
    /* Operands that fit in 32 bits use the much faster 32-bit divide. */
#define FITS32(v) ((uint64_t)(v) + 0x80000000u <= 0xffffffffu)
#define DIVMOD(name, OPC, yexpr, cop, fltexpr)                              \
    CASE(name)                                                              \
    L_##name##_general: __attribute__((unused));                            \
    {                                                                       \
        Value *x = RB; const Value *y = yexpr;                              \
        if (likely(BOTH_INT(x, y) && (uint64_t)y->as.i + 1 > 1)) {    \
            int64_t a_ = x->as.i, b_ = y->as.i;                             \
            if (likely(FITS32(a_) && FITS32(b_)))                           \
                SET_INT(RA, (int32_t)a_ cop (int32_t)b_);                 \
            else                                                            \
                SET_INT(RA, a_ cop b_);                                   \
        } else if (IS_FLOAT(*x) && IS_FLOAT(*y)) {                          \
            double a_ = x->as.f, b_ = y->as.f;                              \
            SET_FLOAT(RA, fltexpr);                                       \
        } else {                                                            \
            SAVE_IP();                                                      \
            if (!vm_arith(g, OPC, *x, *y, RA)) goto throw_panic;            \
        }                                                                   \
        DISPATCH();                                                         \
    }
    DIVMOD(DIV, OP_DIV, RC, /, a_ / b_)
    DIVMOD(MOD, OP_MOD, RC, %, fmod(a_, b_))
    DIVMOD(DIVK, OP_DIV, KC, /, a_ / b_)
    DIVMOD(MODK, OP_MOD, KC, %, fmod(a_, b_))
    CASE(DIVKI) {
        Value *x = RB; const Value *y = KC;
        if (likely(x->type == VAL_INT && (uint64_t)x->as.i <= 0xffffffffu)) {
            uint64_t q = (uint64_t)(((unsigned __int128)(uint64_t)y[1].as.i * (uint64_t)x->as.i) >> 64);
            SET_INT(RA, (int64_t)q);
            DISPATCH();
        }
        goto L_DIVK_general;
    }
    CASE(MODKI) {
        Value *x = RB; const Value *y = KC;
        if (likely(x->type == VAL_INT && (uint64_t)x->as.i <= 0xffffffffu)) {
            uint64_t low = (uint64_t)y[1].as.i * (uint64_t)x->as.i;
            SET_INT(RA, (int64_t)(((unsigned __int128)low * (uint64_t)y->as.i) >> 64));
            DISPATCH();
        }
        goto L_MODK_general;
    }

#define BITWISE(name, OPC, expr)                                            \
    CASE(name) {                                                            \
        Value *x = RB, *y = RC;                                             \
        if (likely(BOTH_INT(x, y))) {                                 \
            int64_t a_ = x->as.i, b_ = y->as.i;                             \
            SET_INT(RA, expr);                                            \
        } else {                                                            \
            SAVE_IP();                                                      \
            if (!vm_arith(g, OPC, *x, *y, RA)) goto throw_panic;            \
        }                                                                   \
        DISPATCH();                                                         \
    }
    BITWISE(BAND, OP_BAND, a_ & b_)
    BITWISE(BOR, OP_BOR, a_ | b_)
    BITWISE(BXOR, OP_BXOR, a_ ^ b_)
    BITWISE(BANDNOT, OP_BANDNOT, a_ & ~b_)
    CASE(SHL)
    CASE(SHR) {
        SAVE_IP();
        if (!vm_arith(g, (OpCode)INS_OP(i), *RB, *RC, RA)) goto throw_panic;
        DISPATCH();
    }

    CASE(ADDI) {
        Value *x = RB;
        if (likely(x->type == VAL_INT)) {
            SET_INT(RA, arith_wrap_add(x->as.i, INS_SC(i)));
        } else if (x->type == VAL_FLOAT) {
            SET_FLOAT(RA, x->as.f + INS_SC(i));
        } else {
            SAVE_IP();
            /* k set: the source said `x - c` */
            Value c = INT_VAL(INS_K(i) ? -(int64_t)INS_SC(i) : INS_SC(i));
            if (!vm_arith(g, INS_K(i) ? OP_SUB : OP_ADD, *x, c, RA)) goto throw_panic;
        }
        DISPATCH();
    }
    CASE(UNM) {
        Value *x = RB;
        if (likely(x->type == VAL_INT)) SET_INT(RA, arith_wrap_sub(0, x->as.i));
        else if (x->type == VAL_FLOAT) SET_FLOAT(RA, -x->as.f);
        else { SAVE_IP(); if (!vm_unary(g, OP_UNM, *x, RA)) goto throw_panic; }
        DISPATCH();
    }
    CASE(PLUS)
    CASE(BNOT) {
        SAVE_IP();
        if (!vm_unary(g, (OpCode)INS_OP(i), *RB, RA)) goto throw_panic;
        DISPATCH();
    }
    CASE(NOT) {
        Value *x = RB;
        if (likely(x->type == VAL_BOOL)) SET_BOOL(RA, !x->as.b);
        else { SAVE_IP(); if (!vm_unary(g, OP_NOT, *x, RA)) goto throw_panic; }
        DISPATCH();
    }

    /* --- comparisons --- */
    CASE(EQ) { SET_BOOL(RA, value_equal(*RB, *RC)); DISPATCH(); }
    CASE(NE) { SET_BOOL(RA, !value_equal(*RB, *RC)); DISPATCH(); }
    CASE(LT)
    CASE(LE) {
        Value *x = RB, *y = RC;
        bool r;
        bool oe = INS_OP(i) == OP_LE;
        if (likely(BOTH_INT(x, y))) {
            r = oe ? x->as.i <= y->as.i : x->as.i < y->as.i;
        } else {
            SAVE_IP();
            /* k set: the source said `y > x` (or >=): name it so */
            if (!(INS_K(i) ? vm_greater(g, *y, *x, oe, &r) : vm_less(g, *x, *y, oe, &r)))
                goto throw_panic;
        }
        SET_BOOL(RA, r);
        DISPATCH();
    }

    /* --- jumps --- */
    CASE(JMP) { JUMP(INS_SJ(i)); DISPATCH(); }
    CASE(JTRUE)
    CASE(JFALSE) {
        Value *x = RA;
        if (unlikely(x->type != VAL_BOOL)) {
            SAVE_IP();
            vm_panic(g, "non-bool used as condition (%s)", value_type_name(*x));
            goto throw_panic;
        }
        if (x->as.b == (INS_OP(i) == OP_JTRUE)) JUMP(INS_SJ(i));
        DISPATCH();
    }
    CASE(JEQ) { if (value_equal(*RA, *RB)) JUMP(INS_SJ(i)); DISPATCH(); }
    CASE(JNE) { if (!value_equal(*RA, *RB)) JUMP(INS_SJ(i)); DISPATCH(); }
    CASE(JEQK) {
        Value *x = RA; const Value *y = KB;
        bool eq = BOTH_INT(x, y) ? x->as.i == y->as.i : value_equal(*x, *y);
        if (eq) JUMP(INS_SJ(i));
        DISPATCH();
    }
    CASE(JNEK) {
        Value *x = RA; const Value *y = KB;
        bool eq = BOTH_INT(x, y) ? x->as.i == y->as.i : value_equal(*x, *y);
        if (!eq) JUMP(INS_SJ(i));
        DISPATCH();
    }
#define CMPJUMP(name, cop, oe, swap, neg)                                   \
    CASE(name) {                                                            \
        Value *x = RA, *y = RB;                                             \
        bool r;                                                             \
        if (likely(BOTH_INT(x, y))) {                                 \
            r = x->as.i cop y->as.i;                                        \
        } else {                                                            \
            SAVE_IP();                                                      \
            bool ok_ = swap ? vm_greater(g, *x, *y, oe, &r)                  \
                            : vm_less(g, *x, *y, oe, &r);                   \
            if (!ok_) goto throw_panic;                                     \
        }                                                                   \
        if (r != neg) JUMP(INS_SJ(i));                                      \
        DISPATCH();                                                         \
    }
    CMPJUMP(JLT, <, false, false, false)
    CMPJUMP(JLE, <=, true, false, false)
    CMPJUMP(JNLT, <, false, false, true)
    CMPJUMP(JNLE, <=, true, false, true)
    CMPJUMP(JGT, >, false, true, false)
    CMPJUMP(JGE, >=, true, true, false)
    CMPJUMP(JNGT, >, false, true, true)
    CMPJUMP(JNGE, >=, true, true, true)
    /* Compare with an immediate: R[A] op sB; `swap` when the slow path
     * must ask sB < R[A] (the > forms). */
#define CMPJUMPI(name, cop, oe, swap, neg)                                  \
    CASE(name) {                                                            \
        Value *x = RA;                                                      \
        int64_t imm = INS_SB(i);                                            \
        bool r;                                                             \
        if (likely(x->type == VAL_INT)) {                                   \
            r = x->as.i cop imm;                                            \
        } else if (x->type == VAL_FLOAT) {                                  \
            r = x->as.f cop (double)imm;                                    \
        } else {                                                            \
            SAVE_IP();                                                      \
            bool ok_ = swap ? vm_greater(g, *x, INT_VAL(imm), oe, &r)        \
                            : vm_less(g, *x, INT_VAL(imm), oe, &r);         \
            if (!ok_) goto throw_panic;                                     \
        }                                                                   \
        if (r != neg) JUMP(INS_SJ(i));                                      \
        DISPATCH();                                                         \
    }
    CMPJUMPI(JLTI, <, false, false, false)
    CMPJUMPI(JLEI, <=, true, false, false)
    CMPJUMPI(JGTI, >, false, true, false)
    CMPJUMPI(JGEI, >=, true, true, false)
    CMPJUMPI(JNLTI, <, false, false, true)
    CMPJUMPI(JNLEI, <=, true, false, true)
    CMPJUMPI(JNGTI, >, false, true, true)
    CMPJUMPI(JNGEI, >=, true, true, true)
    CASE(INCJLT) {
        Value *x = RA, *n = RB;
        bool r;
        if (likely(BOTH_INT(x, n))) {
            x->as.i = arith_wrap_add(x->as.i, 1);
            r = x->as.i < n->as.i;
        } else {
            SAVE_IP();
            if (!vm_arith(g, OP_ADD, *x, INT_VAL(1), x)) goto throw_panic;
            if (!vm_less(g, *x, *n, false, &r)) goto throw_panic;
        }
        if (r) JUMP(INS_SJ(i));
        DISPATCH();
    }
    CASE(INCJLTI) {
        Value *x = RA;
        bool r;
        if (likely(x->type == VAL_INT)) {
            x->as.i = arith_wrap_add(x->as.i, 1);
            r = x->as.i < INS_SB(i);
        } else {
            SAVE_IP();
            if (!vm_arith(g, OP_ADD, *x, INT_VAL(1), x)) goto throw_panic;
            if (!vm_less(g, *x, INT_VAL(INS_SB(i)), false, &r)) goto throw_panic;
        }
        if (r) JUMP(INS_SJ(i));
        DISPATCH();
    }

    /* --- calls --- */
    {
        Value *fv;
        int nargs;
        int want;
    CASE(CALLM)
        fv = RA;
        nargs = B ? (int)B - 1 : (int)(top - fv) - 1;
        if (fv[1].type != VAL_HANDLE) {
            /* No receiver: the arguments move down over its slot. */
            if (nargs > 1) memmove(fv + 1, fv + 2, (size_t)(nargs - 1) * sizeof(Value));
            nargs--;
        }
        goto do_call;
    CASE(CALL)
        fv = RA;
        nargs = B ? (int)B - 1 : (int)(top - fv) - 1;
    do_call:
        want = (int)C - 1;
        if (likely(fv->type == VAL_FUNC)) {
            ObjFunc *fn = AS_FUNC(*fv);
            Proto *p = fn->proto;
            bool packed = false;
            if (unlikely(nargs != p->fixed_nargs)) {
                SAVE_IP();
                if (!p->variadic) { vm_nargs_error(g, *fv, nargs); goto throw_panic; }
                if (!vm_pack_varargs(g, p, fv + 1, nargs)) goto throw_panic;
                packed = true;
            }
            size_t nb = (size_t)(fv + 1 - g->stack);
            if (unlikely(nb + (size_t)p->framesize > g->stack_cap || g->nframes == g->frames_cap)) {
                SAVE_IP();
                if (!vm_stack_reserve(g, nb + (size_t)p->framesize) || !vm_frames_reserve(g))
                    goto throw_panic;
                frame = &g->frames[g->nframes - 1];
            }
            frame->ip = ip;
            frame = &g->frames[g->nframes++];
            frame->fn = fn;
            frame->base = (uint32_t)nb;
            frame->ret = (uint32_t)(nb - 1);
            frame->nwant = want;
            frame->flags = 0;
            frame->rets = NULL;
            proto = p;
            base = g->stack + nb;
            ip = p->code;
            k = p->consts;
            if (unlikely(packed)) GC_CHECK();
            SAFEPOINT();
            DISPATCH();
        }
        if (fv->type == VAL_NATIVE) {
            SAVE_IP();
            int n = AS_NATIVE(*fv)->fn(g, nargs, fv + 1, fv);
            if (unlikely(n < 0)) {
                if (n == NATIVE_PANIC) goto throw_panic;
                BLOCK();
            }
            if (n == 0) { fv[0] = nil_value; n = 1; }
            if (want < 0) top = fv + n;
            else for (int j = n; j < want; j++) fv[j] = nil_value;
            GC_CHECK();
            DISPATCH();
        }
        SAVE_IP();
        vm_call_error(g, proto, ip, *fv);
        goto throw_panic;
    }
    CASE(GETMETHOD) {
        Value obj = *RB;
        SAVE_IP();
        if (!vm_getmethod(g, proto, ip, obj, *KC, RA)) goto throw_panic;
        GC_CHECK();
        DISPATCH();
    }
    CASE(SPREAD) {
        Value *r = RA;
        if (unlikely(r->type != VAL_LIST)) {
            SAVE_IP();
            if (r->type == VAL_NIL) { top = r; DISPATCH(); }
            vm_panic(g, "cannot spread %s: want list", value_type_name(*r));
            goto throw_panic;
        }
        ObjList *l = AS_LIST(*r);
        size_t at = (size_t)(r - g->stack);
        size_t n = l->len;
        if (at + n + NATIVE_MAX_RESULTS + 1 > g->stack_cap) {
            SAVE_IP();
            if (!vm_stack_reserve(g, at + n + NATIVE_MAX_RESULTS + 1)) goto throw_panic;
            base = g->stack + frame->base;
            r = g->stack + at;
        }
        if (n > 0) memcpy(r, l->items, n * sizeof(Value));
        top = r + n;
        DISPATCH();
    }
    {
        Value *src;
        int n;
    CASE(RETURN0)
        src = (Value *)&nil_value;
        n = 1;
        goto do_return;
    CASE(RETURN1)
        src = RA;
        n = 1;
        goto do_return;
    CASE(RETURN)
        src = RA;
        n = B ? (int)B - 1 : (int)(top - src);
    do_return:
        if (likely(frame->flags == 0)) {
            Value *dst = g->stack + frame->ret;
            int want = frame->nwant;
            if (likely(want == 1)) {
                *dst = *src;
            } else if (want < 0) {
                memmove(dst, src, (size_t)n * sizeof(Value));
                top = dst + n;
            } else {
                int j = 0;
                for (; j < n && j < want; j++) dst[j] = src[j];
                for (; j < want; j++) dst[j] = nil_value;
            }
            if (--g->nframes == 0) { g->resume = VM_RESUME_DONE; return GOR_DONE; }
            frame--;
            proto = frame->fn->proto;
            base = g->stack + frame->base;
            ip = frame->ip;
            k = proto->consts;
            DISPATCH();
        }
        SAVE_IP();
        next = vm_return(g, src, n);
        goto after_protocol;
    }
    CASE(DEFER)
    CASE(GO) {
        Value *fv = RA;
        int nargs = B ? (int)B - 1 : (int)(top - fv) - 1;
        if (INS_K(i)) {
            if (fv[1].type != VAL_HANDLE) {
                if (nargs > 1) memmove(fv + 1, fv + 2, (size_t)(nargs - 1) * sizeof(Value));
                nargs--;
            }
        }
        SAVE_IP();
        bool ok = INS_OP(i) == OP_DEFER ? vm_defer(g, proto, ip, fv, nargs)
                                        : vm_go(g, proto, ip, fv, nargs);
        if (!ok) goto throw_panic;
        GC_CHECK();
        DISPATCH();
    }
    CASE(LEN) {
        Value *x = RB;
        switch (x->type) {
        case VAL_STR: SET_INT(RA, (int64_t)AS_STR(*x)->len); break;
        case VAL_LIST: SET_INT(RA, (int64_t)AS_LIST(*x)->len); break;
        case VAL_MAP: SET_INT(RA, (int64_t)AS_MAP(*x)->count); break;
        default:
            SAVE_IP();
            if (!vm_len(g, *x, RA)) goto throw_panic;
            break;
        }
        DISPATCH();
    }

    /* --- lists, maps, strings --- */
    CASE(NEWLIST) { *RA = LIST_VAL(list_new(&g->heap, B)); GC_CHECK(); DISPATCH(); }
    CASE(LISTAPPEND) {
        ObjList *l = AS_LIST(*RA);
        Value *src = RB;
        list_reserve(&g->heap, l, l->len + C);
        memcpy(l->items + l->len, src, C * sizeof(Value));
        l->len += C;
        GC_CHECK();
        DISPATCH();
    }
    CASE(NEWMAP) { *RA = MAP_VAL(map_new(&g->heap, B)); GC_CHECK(); DISPATCH(); }
    CASE(MAPPUT) {
        ObjMap *m = AS_MAP(*RA);
        Value *src = RB;
        for (unsigned j = 0; j < C; j++) {
            if (unlikely(!map_key_ok(src[2 * j]))) {
                SAVE_IP();
                vm_panic(g, "invalid map key type %s", value_type_name(src[2 * j]));
                goto throw_panic;
            }
            map_set(&g->heap, m, src[2 * j], src[2 * j + 1]);
        }
        GC_CHECK();
        DISPATCH();
    }
    CASE(GETINDEX) {
        Value *o = RB, *key = RC;
        if (likely(TYPES2(o, key) == ((VAL_LIST << 8) | VAL_INT))) {
            ObjList *l = AS_LIST(*o);
            if (likely((uint64_t)key->as.i < l->len)) { *RA = l->items[key->as.i]; DISPATCH(); }
        }
        SAVE_IP();
        if (!vm_index(g, proto, ip, *o, *key, RA)) goto throw_panic;
        DISPATCH();
    }
    CASE(GETINDEXK) {
        SAVE_IP();
        if (!vm_index(g, proto, ip, *RB, *KC, RA)) goto throw_panic;
        DISPATCH();
    }
    CASE(GETINDEX2) {
        SAVE_IP();
        if (!vm_index2(g, proto, ip, *RB, *RC, RA)) goto throw_panic;
        DISPATCH();
    }
    CASE(SETINDEX) {
        Value *o = RA, *key = RB;
        if (likely(TYPES2(o, key) == ((VAL_LIST << 8) | VAL_INT))) {
            ObjList *l = AS_LIST(*o);
            if (likely((uint64_t)key->as.i < l->len)) { l->items[key->as.i] = *RC; DISPATCH(); }
        }
        SAVE_IP();
        if (!vm_setindex(g, proto, ip, *o, *key, *RC)) goto throw_panic;
        GC_CHECK();
        DISPATCH();
    }
    CASE(SETINDEXK) {
        SAVE_IP();
        if (!vm_setindex(g, proto, ip, *RA, *KB, *RC)) goto throw_panic;
        GC_CHECK();
        DISPATCH();
    }
    CASE(GETFIELD) {
        SAVE_IP();
        if (!vm_getfield(g, proto, ip, *RB, *KC, RA)) goto throw_panic;
        GC_CHECK();
        DISPATCH();
    }
    CASE(SETFIELD) {
        SAVE_IP();
        if (!vm_setfield(g, proto, ip, *RA, *KB, *RC)) goto throw_panic;
        GC_CHECK();
        DISPATCH();
    }
    CASE(SLICE) {
        SAVE_IP();
        if (!vm_slice(g, proto, ip, RB, (int)C, RA)) goto throw_panic;
        GC_CHECK();
        DISPATCH();
    }

    /* --- channels --- */
    CASE(MAKECHAN) {
        SAVE_IP();
        if (!vm_makechan(g, *RB, INS_K(i) != 0, RA)) goto throw_panic;
        GC_CHECK();
        DISPATCH();
    }
    CASE(SEND) {
        Chan *c;
        SAVE_IP();
        if (!vm_chan_operand(g, *RA, "send to", &c)) goto throw_panic;
        int r = chan_send(g, c, *RB);
        if (r == CHAN_BLOCK) BLOCK();
        if (r == CHAN_PANIC) goto throw_panic;
        DISPATCH();
    }
    CASE(RECV)
    CASE(RECV2) {
        Chan *c;
        Value out[2];
        SAVE_IP();
        if (!vm_chan_operand(g, *RB, "receive from", &c)) goto throw_panic;
        int r = chan_recv(g, c, out);
        if (r == CHAN_BLOCK) BLOCK();
        if (r == CHAN_PANIC) goto throw_panic;
        base[A] = out[0];
        if (INS_OP(i) == OP_RECV2) base[A + 1] = out[1];
        GC_CHECK();
        DISPATCH();
    }
    CASE(SELECT) {
        SAVE_IP();
        int r = vm_select(g, RB, (int)C, INS_K(i) != 0, RA);
        if (r == CHAN_BLOCK) BLOCK();
        if (r == CHAN_PANIC) goto throw_panic;
        GC_CHECK();
        DISPATCH();
    }

    /* --- range loops --- */
    CASE(RANGEPREP) {
        SAVE_IP();
        if (!vm_rangeprep(g, RA)) goto throw_panic;
        DISPATCH();
    }
    CASE(RANGENEXT) {
        Value *r = RA;
        switch (r[0].type) {
        case VAL_INT:
            if (r[1].as.i < r[0].as.i) {
                r[3] = r[1];
                r[1].as.i++;
                JUMP(INS_SJ(i));
            }
            break;
        case VAL_LIST: {
            ObjList *l = AS_LIST(r[0]);
            int64_t at = r[1].as.i;
            if (at < r[2].as.i && (uint64_t)at < l->len) {
                SET_INT(&r[3], at);
                r[4] = l->items[at];
                r[1].as.i = at + 1;
                JUMP(INS_SJ(i));
            }
            break;
        }
        case VAL_CHAN: {
            Value out[2];
            SAVE_IP();
            int st = chan_recv(g, AS_CHAN(r[0])->chan, out);
            if (st == CHAN_BLOCK) BLOCK();
            if (st == CHAN_PANIC) goto throw_panic;
            if (out[1].as.b) {
                r[3] = out[0];
                GC_CHECK();
                JUMP(INS_SJ(i));
            }
            break;
        }
        default:
            if (vm_rangenext(g, r)) JUMP(INS_SJ(i));
            break;
        }
        DISPATCH();
    }

#if !USE_GOTO
    default:
        break;
    }
    return GOR_PANIC;
#endif

throw_panic:
    /* A panic was raised at frame->ip: remember where, then unwind. */
    vm_trace_capture(g);
    next = vm_unwind(g);
after_protocol:
    switch (next) {
    case VM_NEXT_RUN:
        LOAD_FRAME();
        top = g->stack + g->top;
        GC_CHECK();
        SAFEPOINT();
        DISPATCH();
    case VM_NEXT_DONE:
        g->resume = VM_RESUME_DONE;
        return GOR_DONE;
    case VM_NEXT_PANIC:
        g->resume = VM_RESUME_DONE;
        return GOR_PANIC;
    case VM_NEXT_BLOCKED:
        return GOR_BLOCKED;
    }
    return GOR_PANIC;
}
