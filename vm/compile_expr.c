/*
 * compile_expr.c — expressions and conditions.
 *
 * Register discipline: registers below fs->freereg are in use. expr_to(e,
 * dst) leaves e's value in dst and may use registers from freereg up as
 * temporaries, which it frees again. expr_any(e) returns a register that
 * holds e's value: a plain local's own register (read it, never write it),
 * else a new temporary that the caller frees by resetting freereg.
 *
 * A call puts the function in its base register and the arguments just
 * above (the callee's frame starts there), so a call is compiled at the
 * top of the registers in use, and its results land at the base.
 */
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "stdlib/stdlib.h"
#include "vm/compile.h"

Node *unparen(Node *e) {
    while (e && e->kind == AST_PAREN) e = e->a;
    return e;
}

bool expr_is_multi(const Node *e) {
    return e->kind == AST_CALL;
}

/* The first register above every declared local. */
static int active_top(FuncState *fs) {
    for (int i = fs->nvars - 1; i >= 0; i--)
        if (fs->vars[i].kind != VAR_CONST) return fs->vars[i].reg + 1;
    return 0;
}

/* Whether `name` is declared as a variable (or captured) in fs or an
 * enclosing function; no side effects. */
static bool name_is_variable(FuncState *fs, const char *name) {
    for (FuncState *f = fs; f; f = f->parent) {
        for (int i = f->nvars - 1; i >= 0; i--)
            if (strcmp(f->vars[i].name, name) == 0) return true;
        for (int i = 0; i < f->ncaps; i++)
            if (strcmp(f->caps[i].name, name) == 0) return true;
    }
    return false;
}

ObjModule *expr_module(FuncState *fs, Node *e) {
    e = unparen(e);
    if (e->kind != AST_IDENT || name_is_variable(fs, e->name)) return NULL;
    TopName *t = comp_top(fs->c, e->name);
    if (t) return t->kind == TOP_MODULE ? AS_MODULE(t->value) : NULL;
    Value v;
    if (stdlib_builtin(e->name, &v)) return NULL;
    return stdlib_module(e->name);
}

static bool is_compare(int tok) {
    return tok == TK_EQ || tok == TK_NE || tok == TK_LT || tok == TK_LE ||
           tok == TK_GT || tok == TK_GE;
}

int expr_any(FuncState *fs, Node *e) {
    Node *u = unparen(e);
    if (u->kind == AST_IDENT && strcmp(u->name, "_") != 0) {
        Resolved r = resolve(fs, u, false);
        if (r.kind == RES_LOCAL && r.var->kind == VAR_REG) return r.var->reg;
    }
    int reg = reg_alloc(fs, 1);
    expr_to(fs, e, reg);
    return reg;
}

/* A module member named at compile time: time.sleep, file.f. A list or
 * map member (os.args) is shared and static: it is fetched at run time by
 * GETFIELD, which gives the goroutine its own copy; *out is then the
 * module, with *copy set. */
static bool module_member_copy(FuncState *fs, Node *e, Value *out, bool *copy) {
    ObjModule *m = expr_module(fs, e->a);
    *copy = false;
    if (!m) return false;
    if (!module_get(m, e->name, out)) {
        comp_error_at(fs->c, e->line, comp_field_col(fs->c, e), "undefined: %s.%s", m->name, e->name);
        *out = NIL_VAL;
    } else if (out->type == VAL_LIST || out->type == VAL_MAP) {
        *out = OBJ_VAL(VAL_MODULE, m);
        *copy = true;
    }
    return true;
}

/* Loads a module member named at compile time into dst. */
static bool module_member_to(FuncState *fs, Node *e, int dst) {
    Value v;
    bool copy;
    if (!module_member_copy(fs, e, &v, &copy)) return false;
    emit_loadk(fs, dst, v);
    if (copy) emit_abc(fs, OP_GETFIELD, dst, dst, const_k(fs, STR_VAL(comp_intern(e->name, strlen(e->name)))));
    return true;
}

/* dst := R[ra] op b, using the constant forms when b is a constant. */
void expr_binop(FuncState *fs, int tok, int dst, int ra, Node *b) {
    int save = fs->freereg;
    OpCode op = tok_binop(tok);
    Value k;
    if ((op == OP_ADD || op == OP_SUB || op == OP_MUL || op == OP_DIV || op == OP_MOD) &&
        const_try(fs, b, &k) && IS_NUM(k)) {
        int pair;
        if ((op == OP_ADD || op == OP_SUB) && IS_INT(k) && k.as.i > -32768 && k.as.i < 32768) {
            int64_t c = op == OP_ADD ? k.as.i : -k.as.i;
            emit_abck(fs, OP_ADDI, dst, ra, (int)(uint16_t)(int16_t)c, op == OP_SUB);
        } else if ((op == OP_DIV || op == OP_MOD) && IS_INT(k) && k.as.i >= 2 && k.as.i <= 0xffffffffll &&
                   (pair = const_pair(fs, k, INT_VAL((int64_t)(UINT64_MAX / (uint64_t)k.as.i + 1)))) >= 0) {
            /* Division by a constant multiplies by its reciprocal instead
             * (exact for dividends in [0, 2^32), D. Lemire's method). */
            emit_abc(fs, op == OP_DIV ? OP_DIVKI : OP_MODKI, dst, ra, pair);
        } else {
            emit_abc(fs, (OpCode)(OP_ADDK + (op - OP_ADD)), dst, ra, const_k(fs, k));
        }
    } else {
        int rb = expr_any(fs, b);
        emit_abc(fs, op, dst, ra, rb);
    }
    reg_free_to(fs, save);
}

static void binary_to(FuncState *fs, Node *e, int dst) {
    int save = fs->freereg;
    if (is_compare(e->op)) {
        int ra = expr_any(fs, e->a);
        int rb = expr_any(fs, e->b);
        switch (e->op) {
        case TK_EQ: emit_abc(fs, OP_EQ, dst, ra, rb); break;
        case TK_NE: emit_abc(fs, OP_NE, dst, ra, rb); break;
        case TK_LT: emit_abc(fs, OP_LT, dst, ra, rb); break;
        case TK_LE: emit_abc(fs, OP_LE, dst, ra, rb); break;
        case TK_GT: emit_abck(fs, OP_LT, dst, rb, ra, 1); break;
        case TK_GE: emit_abck(fs, OP_LE, dst, rb, ra, 1); break;
        }
        reg_free_to(fs, save);
        return;
    }
    int ra = expr_any(fs, e->a);
    expr_binop(fs, e->op, dst, ra, e->b);
    reg_free_to(fs, save);
}

static void list_to(FuncState *fs, Node *e, int dst) {
    int n = e->list.len;
    emit_abc(fs, OP_NEWLIST, dst, n > 0xffff ? 0xffff : n, 0);
    for (int i = 0; i < n; i += 32) {
        int chunk = n - i < 32 ? n - i : 32;
        int save = fs->freereg;
        int base = reg_alloc(fs, chunk);
        for (int j = 0; j < chunk; j++) expr_to(fs, e->list.items[i + j], base + j);
        emit_abc(fs, OP_LISTAPPEND, dst, base, chunk);
        reg_free_to(fs, save);
    }
}

static void map_to(FuncState *fs, Node *e, int dst) {
    int n = e->list.len;
    emit_abc(fs, OP_NEWMAP, dst, n > 0xffff ? 0xffff : n, 0);
    for (int i = 0; i < n; i += 16) {
        int chunk = n - i < 16 ? n - i : 16;
        int save = fs->freereg;
        int base = reg_alloc(fs, 2 * chunk);
        for (int j = 0; j < chunk; j++) {
            Node *pair = e->list.items[i + j];
            expr_to(fs, pair->a, base + 2 * j);
            expr_to(fs, pair->b, base + 2 * j + 1);
        }
        emit_abc(fs, OP_MAPPUT, dst, base, chunk);
        reg_free_to(fs, save);
    }
}

static void funclit_to(FuncState *fs, Node *e, int dst) {
    char name[256];
    /* Go's names: main.func1 in a function, main.func1.1 in a closure. */
    if (fs->parent) snprintf(name, sizeof name, "%s.%d", fs->name, ++fs->nclosures);
    else snprintf(name, sizeof name, "%s.func%d", fs->name, ++fs->nclosures);
    comp_closure_to(fs, comp_function(fs->c, fs, name, e), dst);
}

void comp_closure_to(FuncState *fs, Proto *p, int dst) {
    if (p->ncaps == 0) {
        /* Nothing captured: one static function serves every evaluation.
         * (The first pass only looks for captures: no object needed.) */
        if (fs->c->pass == 1) emit_loadk(fs, dst, NIL_VAL);
        else emit_loadk(fs, dst, OBJ_VAL(VAL_FUNC, comp_static_func(fs->c, p)));
        return;
    }
    if (fs->nprotos == fs->capprotos) {
        fs->capprotos = fs->capprotos ? fs->capprotos * 2 : 8;
        fs->protos = realloc(fs->protos, (size_t)fs->capprotos * sizeof *fs->protos);
    }
    fs->protos[fs->nprotos] = p;
    emit_abx(fs, OP_CLOSURE, dst, (uint32_t)fs->nprotos++);
}

/* The builtin a callee names, when it is one and not shadowed. */
static bool callee_builtin(FuncState *fs, Node *f, const char *name) {
    if (f->kind != AST_IDENT || strcmp(f->name, name) != 0) return false;
    if (name_is_variable(fs, name) || comp_top(fs->c, name)) return false;
    Value v;
    return stdlib_builtin(name, &v);
}

/* A call, or with op OP_DEFER / OP_GO a deferred call or a goroutine. */
static void call_generic(FuncState *fs, Node *e, int base, int want, OpCode op) {
    int save_line = fs->line;
    fs->line = e->line;
    Node *f = unparen(e->a);
    int nargs = e->list.len;
    bool spread = (e->flags & AST_SPREAD) != 0;

    if (op == OP_CALL && nargs == 1 && !spread && want == 1 && callee_builtin(fs, f, "len")) {
        int r = expr_any(fs, e->list.items[0]);
        emit_abc(fs, OP_LEN, base, r, 0);
        reg_free_to(fs, base + 1);
        fs->line = save_line;
        return;
    }

    bool method = false;
    if (f->kind == AST_FIELD && !expr_module(fs, f->a)) {
        int save = fs->freereg;
        int ro = expr_any(fs, f->a);
        reg_free_to(fs, save);
        reg_alloc(fs, 1);                  /* the receiver slot */
        fs->line = f->line;
        int pc = emit_abc(fs, OP_GETMETHOD, base, ro, const_k(fs, STR_VAL(comp_intern(f->name, strlen(f->name)))));
        emit_hint(fs, pc, f->a);
        fs->line = e->line;
        method = true;
    } else if (f->kind == AST_FIELD) {
        module_member_to(fs, f, base);
    } else {
        expr_to(fs, f, base);
    }

    int b;
    if (nargs == 1 && !spread && expr_is_multi(e->list.items[0])) {
        int r = reg_alloc(fs, 1);
        expr_call(fs, e->list.items[0], r, -1);
        b = 0;
    } else {
        for (int i = 0; i < nargs; i++) {
            int r = reg_alloc(fs, 1);
            expr_to(fs, e->list.items[i], r);
        }
        if (spread && nargs > 0) {
            emit_abc(fs, OP_SPREAD, fs->freereg - 1, 0, 0);
            b = 0;
        } else {
            b = nargs + 1 + (method ? 1 : 0);
        }
    }
    fs->line = e->line;
    int pc;
    if (op == OP_CALL) pc = emit_abc(fs, method ? OP_CALLM : OP_CALL, base, b, want + 1);
    else pc = emit_abck(fs, op, base, b, 0, method);
    emit_hint(fs, pc, f);
    reg_free_to(fs, base + (want > 1 ? want : 1));
    if (fs->freereg > fs->maxstack) fs->maxstack = fs->freereg;
    fs->line = save_line;
}

void expr_call(FuncState *fs, Node *e, int base, int want) {
    call_generic(fs, e, base, want, OP_CALL);
}

void expr_call_op(FuncState *fs, Node *e, int base, OpCode op) {
    call_generic(fs, e, base, 0, op);
}

/* A call whose value goes to dst (one result). */
static void call_to(FuncState *fs, Node *e, int dst) {
    int save = fs->freereg;
    if (dst >= active_top(fs) && dst == fs->freereg - 1) {
        expr_call(fs, e, dst, 1);
        reg_free_to(fs, save);
        return;
    }
    int base = reg_alloc(fs, 1);
    expr_call(fs, e, base, 1);
    emit_move(fs, dst, base);
    reg_free_to(fs, save);
}

void expr_to(FuncState *fs, Node *e, int dst) {
    int save_line = fs->line;
    fs->line = e->line;
    int save = fs->freereg;
    Value k;
    switch (e->kind) {
    case AST_NIL: emit_loadk(fs, dst, NIL_VAL); break;
    case AST_TRUE: emit_loadk(fs, dst, BOOL_VAL(true)); break;
    case AST_FALSE: emit_loadk(fs, dst, BOOL_VAL(false)); break;
    case AST_INT: emit_loadk(fs, dst, INT_VAL(e->ival)); break;
    case AST_FLOAT: emit_loadk(fs, dst, FLOAT_VAL(e->fval)); break;
    case AST_STRING: emit_loadk(fs, dst, STR_VAL(comp_intern(e->str, e->len))); break;
    case AST_IDENT: {
        Resolved r = resolve(fs, e, true);
        switch (r.kind) {
        case RES_LOCAL:
            if (r.var->kind == VAR_BOX) emit_abc(fs, OP_GETBOX, dst, r.var->reg, 0);
            else emit_move(fs, dst, r.var->reg);
            break;
        case RES_UPVAL: emit_abc(fs, OP_GETUPV, dst, r.index, 0); break;
        case RES_CONST: case RES_TOP: case RES_GLOBAL: emit_loadk(fs, dst, r.value); break;
        case RES_NONE: break;
        }
        break;
    }
    case AST_PAREN:
        if (unparen(e)->kind == AST_CALL) call_to(fs, unparen(e), dst);
        else expr_to(fs, e->a, dst);
        break;
    case AST_BINARY:
        if (const_try(fs, e, &k)) emit_loadk(fs, dst, k);
        else binary_to(fs, e, dst);
        break;
    case AST_AND:
    case AST_OR: {
        if (const_try(fs, e, &k)) { emit_loadk(fs, dst, k); break; }
        int f = cond_jump(fs, e, false);
        emit_abc(fs, OP_LOADBOOL, dst, 1, 0);
        int j = emit_jump(fs, OP_JMP, 0, 0);
        jump_patch_here(fs, f);
        emit_abc(fs, OP_LOADBOOL, dst, 0, 0);
        jump_patch_here(fs, j);
        break;
    }
    case AST_UNARY: {
        if (const_try(fs, e, &k)) { emit_loadk(fs, dst, k); break; }
        int rb = expr_any(fs, e->a);
        OpCode op = e->op == TK_MINUS ? OP_UNM : e->op == TK_PLUS ? OP_PLUS
                  : e->op == TK_NOT ? OP_NOT : OP_BNOT;
        emit_abc(fs, op, dst, rb, 0);
        break;
    }
    case AST_RECV: {
        int rb = expr_any(fs, e->a);
        emit_abc(fs, OP_RECV, dst, rb, 0);
        break;
    }
    case AST_CALL:
        call_to(fs, e, dst);
        break;
    case AST_INDEX: {
        int ra = expr_any(fs, e->a);
        int pc;
        if (const_try(fs, e->b, &k) && (IS_STR(k) || IS_INT(k))) {
            pc = emit_abc(fs, OP_GETINDEXK, dst, ra, const_k(fs, k));
        } else {
            int rb = expr_any(fs, e->b);
            pc = emit_abc(fs, OP_GETINDEX, dst, ra, rb);
        }
        emit_hint(fs, pc, e->a);
        break;
    }
    case AST_SLICE: {
        int base = reg_alloc(fs, 3);
        expr_to(fs, e->a, base);
        if (e->b) expr_to(fs, e->b, base + 1);
        if (e->c) expr_to(fs, e->c, base + 2);
        int pc = emit_abc(fs, OP_SLICE, dst, base, (e->b ? 1 : 0) | (e->c ? 2 : 0));
        emit_hint(fs, pc, e->a);
        break;
    }
    case AST_FIELD: {
        if (module_member_to(fs, e, dst)) break;
        int ra = expr_any(fs, e->a);
        int pc = emit_abc(fs, OP_GETFIELD, dst, ra, const_k(fs, STR_VAL(comp_intern(e->name, strlen(e->name)))));
        emit_hint(fs, pc, e->a);
        break;
    }
    case AST_LISTLIT:
    case AST_MAPLIT:
        if (dst < active_top(fs)) {
            /* Build in a temporary: the elements may read the variable. */
            int t = reg_alloc(fs, 1);
            if (e->kind == AST_LISTLIT) list_to(fs, e, t); else map_to(fs, e, t);
            emit_move(fs, dst, t);
        } else if (e->kind == AST_LISTLIT) {
            list_to(fs, e, dst);
        } else {
            map_to(fs, e, dst);
        }
        break;
    case AST_FUNCLIT:
        funclit_to(fs, e, dst);
        break;
    case AST_CHANMAKE:
        if (e->a) {
            int rb = expr_any(fs, e->a);
            emit_abck(fs, OP_MAKECHAN, dst, rb, 0, 1);
        } else {
            emit_abc(fs, OP_MAKECHAN, dst, 0, 0);
        }
        break;
    default:
        comp_error(fs->c, e, "unexpected %s in expression", ast_kind_name(e->kind));
        break;
    }
    reg_free_to(fs, save);
    fs->line = save_line;
}

/* --- conditions --- */

/* Compare-and-jump with a small int constant on the right. */
static bool small_int(FuncState *fs, Node *e, int *out) {
    Value k;
    if (!const_try(fs, e, &k) || !IS_INT(k) || k.as.i < -32768 || k.as.i > 32767) return false;
    *out = (int)k.as.i;
    return true;
}

static int compare_jump(FuncState *fs, Node *e, bool jump_if) {
    int tok = e->op;
    Node *a = e->a, *b = e->b;
    int imm;
    Value k;
    /* A constant on the left: mirror the comparison (5 < x is x > 5). */
    if (tok != TK_EQ && tok != TK_NE && small_int(fs, a, &imm) && !small_int(fs, b, &imm)) {
        Node *t = a; a = b; b = t;
        tok = tok == TK_LT ? TK_GT : tok == TK_LE ? TK_GE : tok == TK_GT ? TK_LT : TK_LE;
    }
    int ra = expr_any(fs, a);
    if (tok != TK_EQ && tok != TK_NE && small_int(fs, b, &imm)) {
        OpCode op;
        switch (tok) {
        case TK_LT: op = jump_if ? OP_JLTI : OP_JNLTI; break;
        case TK_LE: op = jump_if ? OP_JLEI : OP_JNLEI; break;
        case TK_GT: op = jump_if ? OP_JGTI : OP_JNGTI; break;
        default:    op = jump_if ? OP_JGEI : OP_JNGEI; break;
        }
        return emit_jump(fs, op, ra, (int)(uint16_t)(int16_t)imm);
    }
    if ((tok == TK_EQ || tok == TK_NE) && const_try(fs, b, &k)) {
        bool eq = (tok == TK_EQ) == jump_if;
        return emit_jump(fs, eq ? OP_JEQK : OP_JNEK, ra, const_k(fs, k));
    }
    int rb = expr_any(fs, b);
    switch (tok) {
    case TK_EQ: return emit_jump(fs, jump_if ? OP_JEQ : OP_JNE, ra, rb);
    case TK_NE: return emit_jump(fs, jump_if ? OP_JNE : OP_JEQ, ra, rb);
    case TK_LT: return emit_jump(fs, jump_if ? OP_JLT : OP_JNLT, ra, rb);
    case TK_LE: return emit_jump(fs, jump_if ? OP_JLE : OP_JNLE, ra, rb);
    case TK_GT: return emit_jump(fs, jump_if ? OP_JGT : OP_JNGT, ra, rb);
    default:    return emit_jump(fs, jump_if ? OP_JGE : OP_JNGE, ra, rb);
    }
}

int cond_jump(FuncState *fs, Node *e, bool jump_if) {
    int save_line = fs->line;
    fs->line = e->line;
    int save = fs->freereg;
    int list = NO_JUMP;
    switch (e->kind) {
    case AST_PAREN:
        list = cond_jump(fs, e->a, jump_if);
        break;
    case AST_TRUE:
    case AST_FALSE:
        if ((e->kind == AST_TRUE) == jump_if) list = emit_jump(fs, OP_JMP, 0, 0);
        break;
    case AST_UNARY:
        if (e->op == TK_NOT) { list = cond_jump(fs, e->a, !jump_if); break; }
        goto general;
    case AST_AND:
        if (!jump_if) {
            list = cond_jump(fs, e->a, false);
            jump_concat(fs, &list, cond_jump(fs, e->b, false));
        } else {
            int skip = cond_jump(fs, e->a, false);
            list = cond_jump(fs, e->b, true);
            jump_patch_here(fs, skip);
        }
        break;
    case AST_OR:
        if (jump_if) {
            list = cond_jump(fs, e->a, true);
            jump_concat(fs, &list, cond_jump(fs, e->b, true));
        } else {
            int skip = cond_jump(fs, e->a, true);
            list = cond_jump(fs, e->b, false);
            jump_patch_here(fs, skip);
        }
        break;
    case AST_BINARY:
        if (is_compare(e->op)) { list = compare_jump(fs, e, jump_if); break; }
        goto general;
    default:
    general: {
        int r = expr_any(fs, e);
        list = emit_jump(fs, jump_if ? OP_JTRUE : OP_JFALSE, r, 0);
        break;
    }
    }
    reg_free_to(fs, save);
    fs->line = save_line;
    return list;
}
