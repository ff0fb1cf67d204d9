/*
 * compile_scope.c — scopes and name resolution.
 *
 * A name resolves, innermost first, to: a local of the function being
 * compiled; a local of an enclosing function (captured: the closure gets
 * a box of it); a top-level function, constant or import of the file; a
 * prelude function (sort); a builtin; a standard module. Anything else is
 * `undefined: x`.
 *
 * Captured variables: a local that some closure captures lives in an
 * ObjBox from its declaration on, and the register holds the box. The
 * first compiler pass records the declaring identifier of every captured
 * local in Compiler.captured; the second pass boxes exactly those.
 */
#include <stdlib.h>
#include <string.h>

#include "stdlib/stdlib.h"
#include "vm/compile.h"

/* --- the set of captured declarations (open addressing on the pointer) --- */

static size_t node_hash(const Node *n, size_t cap) {
    uintptr_t x = (uintptr_t)n;
    x ^= x >> 17;
    x *= 0x9e3779b97f4a7c15ull;
    return (size_t)(x >> 20) & (cap - 1);
}

bool nodeset_has(const NodeSet *s, const Node *n) {
    if (!s->cap) return false;
    for (size_t i = node_hash(n, s->cap);; i = (i + 1) & (s->cap - 1)) {
        if (s->slots[i] == n) return true;
        if (!s->slots[i]) return false;
    }
}

void nodeset_add(NodeSet *s, const Node *n) {
    if (nodeset_has(s, n)) return;
    if ((s->count + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        const Node **old = s->slots;
        size_t oldcap = s->cap;
        s->slots = calloc(ncap, sizeof *s->slots);
        s->cap = ncap;
        for (size_t i = 0; i < oldcap; i++) {
            if (!old[i]) continue;
            size_t j = node_hash(old[i], ncap);
            while (s->slots[j]) j = (j + 1) & (ncap - 1);
            s->slots[j] = old[i];
        }
        free(old);
    }
    size_t j = node_hash(n, s->cap);
    while (s->slots[j]) j = (j + 1) & (s->cap - 1);
    s->slots[j] = n;
    s->count++;
}

void nodeset_free(NodeSet *s) {
    free(s->slots);
    memset(s, 0, sizeof *s);
}

/* --- blocks and declarations --- */

BlockSave block_enter(FuncState *fs) {
    BlockSave s = { fs->nvars, fs->block_start, fs->freereg };
    fs->block_start = fs->nvars;
    return s;
}

void block_leave(FuncState *fs, BlockSave s) {
    for (int i = s.nvars; i < fs->nvars; i++)
        if (fs->vars[i].info >= 0) fs->locals[fs->vars[i].info].end_pc = fs->ncode;
    fs->nvars = s.nvars;
    fs->block_start = s.block_start;
    fs->freereg = s.freereg;
}

VarDesc *var_lookup_block(FuncState *fs, const char *name) {
    for (int i = fs->nvars - 1; i >= fs->block_start; i--)
        if (strcmp(fs->vars[i].name, name) == 0) return &fs->vars[i];
    return NULL;
}

static VarDesc *var_push(FuncState *fs, const Node *ident) {
    if (fs->nvars == fs->capvars) {
        fs->capvars = fs->capvars ? fs->capvars * 2 : 32;
        fs->vars = realloc(fs->vars, (size_t)fs->capvars * sizeof *fs->vars);
    }
    VarDesc *v = &fs->vars[fs->nvars++];
    memset(v, 0, sizeof *v);
    v->name = ident->name;
    v->decl = ident;
    v->info = -1;
    return v;
}

bool var_captured(FuncState *fs, const Node *ident) {
    return fs->c->pass == 2 && nodeset_has(&fs->c->captured, ident);
}

VarDesc *var_declare(FuncState *fs, const Node *ident, int reg) {
    if (strcmp(ident->name, "_") == 0) return NULL;
    VarDesc *v = var_push(fs, ident);
    v->reg = reg;
    v->kind = VAR_REG;
    if (var_captured(fs, ident)) {
        v->kind = VAR_BOX;
        emit_abc(fs, OP_NEWBOX, reg, reg, 0);
    }
    if (fs->nlocals == fs->caplocals) {
        fs->caplocals = fs->caplocals ? fs->caplocals * 2 : 16;
        fs->locals = realloc(fs->locals, (size_t)fs->caplocals * sizeof *fs->locals);
    }
    v->info = fs->nlocals;
    fs->locals[fs->nlocals++] = (LocalInfo){ ident->name, reg, fs->ncode, -1 };
    return v;
}

VarDesc *var_declare_const(FuncState *fs, const Node *ident, Value val) {
    VarDesc *v = var_push(fs, ident);
    v->kind = VAR_CONST;
    v->cval = val;
    return v;
}

/* --- resolution --- */

static VarDesc *find_local(FuncState *fs, const char *name) {
    for (int i = fs->nvars - 1; i >= 0; i--)
        if (strcmp(fs->vars[i].name, name) == 0) return &fs->vars[i];
    return NULL;
}

static int add_cap(FuncState *fs, const char *name, bool from_reg, int index) {
    if (fs->ncaps == fs->capcaps) {
        fs->capcaps = fs->capcaps ? fs->capcaps * 2 : 8;
        fs->caps = realloc(fs->caps, (size_t)fs->capcaps * sizeof *fs->caps);
    }
    fs->caps[fs->ncaps] = (Capture){ from_reg, (uint16_t)index, name };
    return fs->ncaps++;
}

/* Finds `name` in the functions enclosing fs. Returns 1 and the box index
 * of fs's closure, 2 and a constant, or 0 when no enclosing function has
 * such a local. */
static int find_outer(FuncState *fs, const char *name, int *index, Value *cval) {
    if (!fs->parent) return 0;
    for (int i = 0; i < fs->ncaps; i++)
        if (strcmp(fs->caps[i].name, name) == 0) { *index = i; return 1; }
    FuncState *parent = fs->parent;
    VarDesc *v = find_local(parent, name);
    if (v) {
        if (v->kind == VAR_CONST) { *cval = v->cval; return 2; }
        if (fs->c->pass == 2 && v->kind != VAR_BOX)
            comp_error(fs->c, v->decl, "internal error: capture of %s missed by the first pass", v->name);
        nodeset_add(&fs->c->captured, v->decl);
        *index = add_cap(fs, v->name, true, v->reg);
        return 1;
    }
    int pidx;
    int r = find_outer(parent, name, &pidx, cval);
    if (r != 1) return r;
    *index = add_cap(fs, parent->caps[pidx].name, false, pidx);
    return 1;
}

Resolved resolve(FuncState *fs, const Node *ident, bool report) {
    Resolved r = { .kind = RES_NONE };
    const char *name = ident->name;
    if (strcmp(name, "_") == 0) {
        if (report) comp_error(fs->c, ident, "cannot use _ as value");
        return r;
    }
    VarDesc *v = find_local(fs, name);
    if (v) {
        if (v->kind == VAR_CONST) { r.kind = RES_CONST; r.value = v->cval; }
        else { r.kind = RES_LOCAL; r.var = v; }
        return r;
    }
    int idx;
    Value cval;
    switch (find_outer(fs, name, &idx, &cval)) {
    case 1: r.kind = RES_UPVAL; r.index = idx; return r;
    case 2: r.kind = RES_CONST; r.value = cval; return r;
    default: break;
    }
    TopName *t = comp_top(fs->c, name);
    if (t) {
        switch (t->kind) {
        case TOP_FUNC:
            r.kind = RES_TOP;
            r.value = t->value;
            return r;
        case TOP_MODULE:
            r.kind = RES_TOP;
            r.value = t->value;
            r.is_module = true;
            return r;
        case TOP_CONST:
            if (!top_const_value(fs->c, t, &r.value)) r.value = NIL_VAL;
            r.kind = RES_CONST;
            return r;
        }
    }
    if (fs->c->is_prelude && strncmp(name, "__native_", 9) == 0 &&
        stdlib_builtin(name + 9, &r.value)) {
        r.kind = RES_GLOBAL;
        return r;
    }
    if (!fs->c->is_prelude && prelude_lookup(name, &r.value)) {
        r.kind = RES_GLOBAL;
        return r;
    }
    if (stdlib_builtin(name, &r.value)) {
        r.kind = RES_GLOBAL;
        return r;
    }
    ObjModule *m = stdlib_module(name);
    if (m) {
        r.kind = RES_GLOBAL;
        r.value = OBJ_VAL(VAL_MODULE, m);
        r.is_module = true;
        return r;
    }
    if (report) comp_error(fs->c, ident, "undefined: %s", name);
    return r;
}
