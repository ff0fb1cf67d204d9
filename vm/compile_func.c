/*
 * compile_func.c — the state of one function being compiled: emitting
 * instructions with their lines, registers, constants, and jump lists.
 *
 * A jump list is a chain of jump instructions still waiting for their
 * target, linked through their own sJ fields (each holds the offset to
 * the next in the chain, or SJ_END); `int` list heads are the pc of the
 * first jump, or NO_JUMP.
 */
#include <stdlib.h>
#include <string.h>

#include "vm/compile.h"

#define SJ_END MAX_SJ
#define CONST_HIGH 0x80000000u               /* a LOADK of the high constant table */
#define LOW_LOADK_LIMIT (MAX_CONST - 4096)   /* low-table room kept for 16-bit operands */

static void *grow(void *p, int *cap, int need, size_t elem) {
    if (need <= *cap) return p;
    int ncap = *cap ? *cap * 2 : 16;
    while (ncap < need) ncap *= 2;
    p = realloc(p, (size_t)ncap * elem);
    if (!p) { fprintf(stderr, "fatal error: out of memory\n"); exit(2); }
    *cap = ncap;
    return p;
}

void fs_init(FuncState *fs, Compiler *c, FuncState *parent, const char *name) {
    memset(fs, 0, sizeof *fs);
    fs->c = c;
    fs->parent = parent;
    fs->name = name;
    fs->last_target = -1;
}

void fs_free(FuncState *fs) {
    free(fs->code);
    free(fs->lines);
    free(fs->consts);
    free(fs->kbig);
    free(fs->cindex);
    free(fs->protos);
    free(fs->caps);
    free(fs->hints);
    free(fs->locals);
    free(fs->vars);
}

static void *dup_array(const void *src, int n, size_t elem) {
    if (n == 0) return NULL;
    void *p = malloc((size_t)n * elem);
    if (!p) { fprintf(stderr, "fatal error: out of memory\n"); exit(2); }
    memcpy(p, src, (size_t)n * elem);
    return p;
}

/* Builds the immutable Proto from the finished state. */
Proto *fs_finish(FuncState *fs, const Node *fn, int nparams, bool variadic) {
    Proto *p = calloc(1, sizeof *p);
    p->name = fs->name;
    p->file = fs->c->path;
    p->line = fn ? fn->line : 1;
    p->nparams = nparams;
    p->variadic = variadic;
    p->hidden = fs->c->is_prelude;
    p->fixed_nargs = variadic ? -1 : nparams;
    p->maxstack = fs->maxstack;
    /* A native called from the last register writes its results there
     * and in the NATIVE_MAX_RESULTS - 1 slots above. */
    p->framesize = fs->maxstack + NATIVE_MAX_RESULTS - 1;
    if (fs->nkbig > 0) {
        /* The high table goes after the low one; its LOADKs move with it. */
        fs->consts = realloc(fs->consts, (size_t)(fs->nconsts + fs->nkbig) * sizeof(Value));
        memcpy(fs->consts + fs->nconsts, fs->kbig, (size_t)fs->nkbig * sizeof(Value));
        for (int i = 0; i < fs->ncode; i++) {
            Instr in = fs->code[i];
            if (INS_OP(in) == OP_LOADK && (INS_BX(in) & CONST_HIGH))
                fs->code[i] = MK_ABX(OP_LOADK, INS_A(in), (uint32_t)fs->nconsts + (INS_BX(in) & ~CONST_HIGH));
        }
        fs->nconsts += fs->nkbig;
        fs->capconsts = fs->nconsts;
        fs->nkbig = 0;
    }
    p->code = dup_array(fs->code, fs->ncode, sizeof(Instr));
    p->ncode = fs->ncode;
    p->lines = dup_array(fs->lines, fs->ncode, sizeof(int));
    p->consts = dup_array(fs->consts, fs->nconsts, sizeof(Value));
    p->nconsts = fs->nconsts;
    p->protos = dup_array(fs->protos, fs->nprotos, sizeof(Proto *));
    p->nprotos = fs->nprotos;
    p->caps = dup_array(fs->caps, fs->ncaps, sizeof(Capture));
    p->ncaps = fs->ncaps;
    p->hints = dup_array(fs->hints, fs->nhints, sizeof(Hint));
    p->nhints = fs->nhints;
    p->locals = dup_array(fs->locals, fs->nlocals, sizeof(LocalInfo));
    p->nlocals = fs->nlocals;
    return p;
}

int emit(FuncState *fs, Instr i) {
    if (fs->ncode == fs->capcode) {
        fs->code = grow(fs->code, &fs->capcode, fs->ncode + 1, sizeof(Instr));
        fs->lines = realloc(fs->lines, (size_t)fs->capcode * sizeof(int));
        if (!fs->lines) { fprintf(stderr, "fatal error: out of memory\n"); exit(2); }
    }
    fs->code[fs->ncode] = i;
    fs->lines[fs->ncode] = fs->line;
    return fs->ncode++;
}

int emit_abc(FuncState *fs, OpCode op, int a, int b, int c) {
    return emit(fs, MK_ABC(op, a, b, c, 0));
}

int emit_abck(FuncState *fs, OpCode op, int a, int b, int c, int k) {
    return emit(fs, MK_ABC(op, a, b, c, k));
}

int emit_abx(FuncState *fs, OpCode op, int a, uint32_t bx) {
    return emit(fs, MK_ABX(op, a, bx));
}

int emit_jump(FuncState *fs, OpCode op, int a, int b) {
    return emit(fs, MK_ABJ(op, a, b, SJ_END));
}

void emit_move(FuncState *fs, int dst, int src) {
    if (dst != src) emit_abc(fs, OP_MOVE, dst, src, 0);
}

static uint32_t const_loadk(FuncState *fs, Value v);

void emit_loadk(FuncState *fs, int reg, Value v) {
    switch (v.type) {
    case VAL_NIL:
        /* Merge with a LOADNIL just before that ends at reg-1. */
        if (fs->ncode > 0 && fs->last_target != fs->ncode) {
            Instr prev = fs->code[fs->ncode - 1];
            if (INS_OP(prev) == OP_LOADNIL && (int)(INS_A(prev) + INS_B(prev) + 1) == reg) {
                fs->code[fs->ncode - 1] = MK_ABC(OP_LOADNIL, INS_A(prev), INS_B(prev) + 1, 0, 0);
                return;
            }
        }
        emit_abc(fs, OP_LOADNIL, reg, 0, 0);
        return;
    case VAL_BOOL:
        emit_abc(fs, OP_LOADBOOL, reg, v.as.b, 0);
        return;
    case VAL_INT:
        if (v.as.i >= INT32_MIN && v.as.i <= INT32_MAX) {
            emit_abx(fs, OP_LOADI, reg, (uint32_t)(int32_t)v.as.i);
            return;
        }
        break;
    default:
        break;
    }
    emit_abx(fs, OP_LOADK, reg, const_loadk(fs, v));
}

void emit_hint(FuncState *fs, int pc, const Node *from) {
    if (!from) return;
    from = unparen((Node *)from);
    const char *name = NULL;
    bool is_field = false;
    if (from->kind == AST_IDENT) name = from->name;
    else if (from->kind == AST_FIELD) { name = from->name; is_field = true; }
    if (!name) return;
    fs->hints = grow(fs->hints, &fs->caphints, fs->nhints + 1, sizeof(Hint));
    fs->hints[fs->nhints++] = (Hint){ pc, is_field, name };
}

/* --- constants ---
 *
 * Instructions name constants with 16-bit operands (ADDK, GETFIELD,
 * JEQK...) or, for LOADK, a 32-bit one. A function with more than 65536
 * constants (a huge literal) keeps its low table for the 16-bit operands
 * and puts LOADK-only constants that come late in a high table, appended
 * after the low one when the function is finished; their LOADKs carry
 * CONST_HIGH until then. A hash index finds duplicates. */


static bool same_const(Value a, Value b) {
    if (a.type != b.type) return false;
    switch (a.type) {
    case VAL_NIL: return true;
    case VAL_BOOL: return a.as.b == b.as.b;
    case VAL_INT: return a.as.i == b.as.i;
    case VAL_FLOAT: return memcmp(&a.as.f, &b.as.f, sizeof(double)) == 0;
    case VAL_STR: return a.as.o == b.as.o || str_equal(AS_STR(a), AS_STR(b));
    default: return a.as.o == b.as.o;
    }
}

static uint64_t const_hash(Value v) {
    uint64_t x;
    switch (v.type) {
    case VAL_BOOL: x = v.as.b; break;
    case VAL_INT: x = (uint64_t)v.as.i; break;
    case VAL_FLOAT: memcpy(&x, &v.as.f, sizeof x); break;
    case VAL_STR: x = AS_STR(v)->hash; break;
    case VAL_NIL: x = 0; break;
    default: x = (uint64_t)(uintptr_t)v.as.o; break;
    }
    x ^= (uint64_t)v.type << 56;
    x *= 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 29);
}

/* The slot of v in the index (holding -1 when absent). Index entries are
 * low positions, or CONST_HIGH | high position. */
static int64_t *index_slot(FuncState *fs, Value v) {
    size_t mask = fs->capcindex - 1;
    for (size_t i = const_hash(v) & mask;; i = (i + 1) & mask) {
        int64_t e = fs->cindex[i];
        if (e < 0) return &fs->cindex[i];
        const Value *c = (e & CONST_HIGH) ? &fs->kbig[e & ~(int64_t)CONST_HIGH] : &fs->consts[e];
        if (same_const(*c, v)) return &fs->cindex[i];
    }
}

static void index_grow(FuncState *fs) {
    int n = fs->nconsts + fs->nkbig + 1;
    if (n * 2 <= fs->capcindex) return;
    size_t cap = fs->capcindex ? (size_t)fs->capcindex * 2 : 64;
    while (cap < (size_t)n * 2) cap *= 2;
    free(fs->cindex);
    fs->cindex = malloc(cap * sizeof *fs->cindex);
    if (!fs->cindex) { fprintf(stderr, "fatal error: out of memory\n"); exit(2); }
    for (size_t i = 0; i < cap; i++) fs->cindex[i] = -1;
    fs->capcindex = (int)cap;
    for (int i = 0; i < fs->nconsts; i++) {
        int64_t *slot = index_slot(fs, fs->consts[i]);
        if (*slot < 0) *slot = i;
    }
    for (int i = 0; i < fs->nkbig; i++) {
        int64_t *slot = index_slot(fs, fs->kbig[i]);
        if (*slot < 0) *slot = (int64_t)(CONST_HIGH | (uint32_t)i);
    }
}

static int add_low(FuncState *fs, Value v) {
    fs->consts = grow(fs->consts, &fs->capconsts, fs->nconsts + 1, sizeof(Value));
    fs->consts[fs->nconsts] = v;
    return fs->nconsts++;
}

/* For LOADK: any position (CONST_HIGH | j for the high table). */
static uint32_t const_loadk(FuncState *fs, Value v) {
    index_grow(fs);
    int64_t *slot = index_slot(fs, v);
    if (*slot >= 0) return (uint32_t)*slot;
    if (fs->nconsts < LOW_LOADK_LIMIT) {
        *slot = add_low(fs, v);
        return (uint32_t)*slot;
    }
    fs->kbig = grow(fs->kbig, &fs->capkbig, fs->nkbig + 1, sizeof(Value));
    fs->kbig[fs->nkbig] = v;
    *slot = (int64_t)(CONST_HIGH | (uint32_t)fs->nkbig);
    return CONST_HIGH | (uint32_t)fs->nkbig++;
}

int const_index(FuncState *fs, Value v) {
    return const_k(fs, v);
}

int const_k(FuncState *fs, Value v) {
    index_grow(fs);
    int64_t *slot = index_slot(fs, v);
    if (*slot >= 0 && !(*slot & CONST_HIGH)) return (int)*slot;
    if (fs->nconsts > MAX_CONST) {
        comp_error(fs->c, NULL, "function %s has too many constants", fs->name);
        return 0;
    }
    int k = add_low(fs, v);
    if (*slot < 0) *slot = k;              /* else the high copy stays indexed */
    return k;
}

int const_pair(FuncState *fs, Value a, Value b) {
    if (fs->nconsts + 2 > MAX_CONST) return -1;
    index_grow(fs);
    int k = add_low(fs, a);
    add_low(fs, b);
    return k;                              /* not indexed: private to one instruction */
}

/* --- interned string constants --- */

static ObjStr **interned;        /* open addressing on the hash */
static size_t ninterned, capinterned;

ObjStr *comp_intern(const char *s, size_t len) {
    uint32_t h = str_hash(s, len);
    if (capinterned) {
        for (size_t i = h & (capinterned - 1);; i = (i + 1) & (capinterned - 1)) {
            ObjStr *x = interned[i];
            if (!x) break;
            if (x->hash == h && x->len == len && memcmp(x->chars, s, len) == 0) return x;
        }
    }
    if ((ninterned + 1) * 2 > capinterned) {
        size_t ncap = capinterned ? capinterned * 2 : 256;
        ObjStr **t = calloc(ncap, sizeof *t);
        if (!t) { fprintf(stderr, "fatal error: out of memory\n"); exit(2); }
        for (size_t i = 0; i < capinterned; i++) {
            if (!interned[i]) continue;
            size_t j = interned[i]->hash & (ncap - 1);
            while (t[j]) j = (j + 1) & (ncap - 1);
            t[j] = interned[i];
        }
        free(interned);
        interned = t;
        capinterned = ncap;
    }
    ObjStr *x = str_static(s, len);
    size_t j = x->hash & (capinterned - 1);
    while (interned[j]) j = (j + 1) & (capinterned - 1);
    interned[j] = x;
    ninterned++;
    return x;
}

int reg_alloc(FuncState *fs, int n) {
    int r = fs->freereg;
    fs->freereg += n;
    if (fs->freereg > fs->maxstack) {
        if (fs->freereg > MAX_REG) {
            comp_error(fs->c, NULL, "function %s needs too many registers", fs->name);
            fs->freereg = r;
            return r;
        }
        fs->maxstack = fs->freereg;
    }
    return r;
}

void reg_free_to(FuncState *fs, int reg) {
    fs->freereg = reg;
}

int here(FuncState *fs) {
    fs->last_target = fs->ncode;
    return fs->ncode;
}

static int jump_next(FuncState *fs, int pc) {
    int off = INS_SJ(fs->code[pc]);
    return off == SJ_END ? NO_JUMP : pc + 1 + off;
}

static void jump_set(FuncState *fs, int pc, int target) {
    int off = target - (pc + 1);
    if (off >= MAX_SJ || off < -MAX_SJ) {
        comp_error(fs->c, NULL, "function %s is too long", fs->name);
        off = 0;
    }
    Instr i = fs->code[pc];
    fs->code[pc] = (i & ~((Instr)0xffffff << 40)) | (Instr)((uint32_t)off & 0xffffff) << 40;
}

void jump_concat(FuncState *fs, int *list, int l2) {
    if (l2 == NO_JUMP) return;
    if (*list == NO_JUMP) { *list = l2; return; }
    int pc = *list, next;
    while ((next = jump_next(fs, pc)) != NO_JUMP) pc = next;
    jump_set(fs, pc, l2);
}

void jump_patch(FuncState *fs, int list, int target) {
    while (list != NO_JUMP) {
        int next = jump_next(fs, list);
        jump_set(fs, list, target);
        list = next;
    }
}

void jump_patch_here(FuncState *fs, int list) {
    if (list == NO_JUMP) return;
    jump_patch(fs, list, here(fs));
}

void jump_to(FuncState *fs, int target) {
    int pc = emit_jump(fs, OP_JMP, 0, 0);
    jump_set(fs, pc, target);
}
