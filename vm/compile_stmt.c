/*
 * compile_stmt.c — statements: declarations, assignments, control flow,
 * loops (with Go 1.22 per-iteration variables), switch, select, defer, go.
 *
 * Loops are laid out with the test at the bottom, so one iteration costs a
 * single conditional backward jump:
 *
 *         JMP test                    (for i := 0; i < n; i++ with a plain i:
 *   body: ...                           the test opens the loop and i++ and
 *   cont: post                          i < n fuse into one INCJLT)
 *   test: if cond goto body
 *   exit:
 */
#include <string.h>

#include "grammar.h"
#include "parser/diag.h"
#include "vm/compile.h"

void expr_binop(FuncState *fs, int tok, int dst, int ra, Node *b);

/* --- assignment targets --- */

typedef enum { LT_DISCARD, LT_REG, LT_BOX, LT_UPV, LT_INDEX, LT_INDEXK, LT_FIELD, LT_BAD } LKind;
typedef struct LTarget {
    LKind kind;
    int reg;                     /* LT_REG/LT_BOX: the variable; LT_UPV: box index */
    int obj, key;                /* LT_INDEX: registers; LT_INDEXK/LT_FIELD: obj register, key constant */
    Node *node;
} LTarget;

static void cannot_assign(FuncState *fs, Node *t) {
    char what[128];
    comp_expr_text(t, what, sizeof what);
    comp_error(fs->c, t, "cannot assign to %s (neither addressable nor a map index expression)", what);
}

/* Evaluates the operands of a target (an index's list and key, a field's
 * map). With copy, a local used as the object is copied first (in a
 * multiple assignment, a later store may change the variable). */
static LTarget target_prepare(FuncState *fs, Node *t, bool copy) {
    LTarget lt = { .kind = LT_BAD, .node = t };
    Node *u = unparen(t);
    switch (u->kind) {
    case AST_IDENT: {
        if (strcmp(u->name, "_") == 0) { lt.kind = LT_DISCARD; break; }
        Resolved r = resolve(fs, u, true);
        if (r.kind == RES_LOCAL) {
            lt.kind = r.var->kind == VAR_BOX ? LT_BOX : LT_REG;
            lt.reg = r.var->reg;
        } else if (r.kind == RES_UPVAL) {
            lt.kind = LT_UPV;
            lt.reg = r.index;
        } else if (r.kind != RES_NONE) {
            cannot_assign(fs, u);
        }
        break;
    }
    case AST_INDEX: {
        lt.obj = copy ? reg_alloc(fs, 1) : -1;
        if (copy) expr_to(fs, u->a, lt.obj);
        else lt.obj = expr_any(fs, u->a);
        Value k;
        if (const_try(fs, u->b, &k) && (IS_STR(k) || IS_INT(k))) {
            lt.kind = LT_INDEXK;
            lt.key = const_k(fs, k);
        } else {
            lt.kind = LT_INDEX;
            if (copy) {
                lt.key = reg_alloc(fs, 1);
                expr_to(fs, u->b, lt.key);
            } else {
                lt.key = expr_any(fs, u->b);
            }
        }
        break;
    }
    case AST_FIELD: {
        if (expr_module(fs, u->a)) { cannot_assign(fs, u); break; }
        lt.obj = copy ? reg_alloc(fs, 1) : -1;
        if (copy) expr_to(fs, u->a, lt.obj);
        else lt.obj = expr_any(fs, u->a);
        lt.kind = LT_FIELD;
        lt.key = const_k(fs, STR_VAL(comp_intern(u->name, strlen(u->name))));
        break;
    }
    default:
        cannot_assign(fs, u);
        break;
    }
    return lt;
}

static void target_store(FuncState *fs, LTarget *lt, int src) {
    int pc;
    Node *u = unparen(lt->node);
    switch (lt->kind) {
    case LT_REG: emit_move(fs, lt->reg, src); break;
    case LT_BOX: emit_abc(fs, OP_SETBOX, lt->reg, src, 0); break;
    case LT_UPV: emit_abc(fs, OP_SETUPV, lt->reg, src, 0); break;
    case LT_INDEX:
        pc = emit_abc(fs, OP_SETINDEX, lt->obj, lt->key, src);
        emit_hint(fs, pc, u->a);
        break;
    case LT_INDEXK:
        pc = emit_abc(fs, OP_SETINDEXK, lt->obj, lt->key, src);
        emit_hint(fs, pc, u->a);
        break;
    case LT_FIELD:
        pc = emit_abc(fs, OP_SETFIELD, lt->obj, lt->key, src);
        emit_hint(fs, pc, u->a);
        break;
    default: break;
    }
}

static void target_load(FuncState *fs, LTarget *lt, int dst) {
    int pc;
    Node *u = unparen(lt->node);
    switch (lt->kind) {
    case LT_REG: emit_move(fs, dst, lt->reg); break;
    case LT_BOX: emit_abc(fs, OP_GETBOX, dst, lt->reg, 0); break;
    case LT_UPV: emit_abc(fs, OP_GETUPV, dst, lt->reg, 0); break;
    case LT_INDEX:
        pc = emit_abc(fs, OP_GETINDEX, dst, lt->obj, lt->key);
        emit_hint(fs, pc, u->a);
        break;
    case LT_INDEXK:
        pc = emit_abc(fs, OP_GETINDEXK, dst, lt->obj, lt->key);
        emit_hint(fs, pc, u->a);
        break;
    case LT_FIELD:
        pc = emit_abc(fs, OP_GETFIELD, dst, lt->obj, lt->key);
        emit_hint(fs, pc, u->a);
        break;
    case LT_DISCARD:
        comp_error(fs->c, lt->node, "cannot use _ as value");
        break;
    default: break;
    }
}

/* --- values of assignments and declarations --- */

static void mismatch(FuncState *fs, Node *at, int nl, int nr) {
    comp_error(fs->c, at, "assignment mismatch: %d variable%s but %d value%s",
               nl, nl == 1 ? "" : "s", nr, nr == 1 ? "" : "s");
}

/* Evaluates the right-hand side of an assignment of n values into
 * base..base+n-1 (already allocated). One multi-value expression (a call,
 * m[k], <-ch) may provide several. */
static void values_to(FuncState *fs, Node *at, NodeList *rhs, int base, int n) {
    if (rhs->len == 1 && n > 1) {
        Node *e = rhs->items[0];
        switch (e->kind) {
        case AST_CALL:
            reg_free_to(fs, base + 1);
            expr_call(fs, e, base, n);
            reg_free_to(fs, base + n);
            return;
        case AST_INDEX:
            if (n == 2) {
                int save = fs->freereg;
                int ro = expr_any(fs, e->a);
                int rk = expr_any(fs, e->b);
                int pc = emit_abc(fs, OP_GETINDEX2, base, ro, rk);
                emit_hint(fs, pc, e->a);
                reg_free_to(fs, save);
                return;
            }
            break;
        case AST_RECV:
            if (n == 2) {
                int save = fs->freereg;
                int rc = expr_any(fs, e->a);
                emit_abc(fs, OP_RECV2, base, rc, 0);
                reg_free_to(fs, save);
                return;
            }
            break;
        default:
            break;
        }
        mismatch(fs, rhs->items[0], n, 1);
        return;
    }
    if (rhs->len != n) {
        mismatch(fs, rhs->len ? rhs->items[0] : at, n, rhs->len);
        return;
    }
    for (int i = 0; i < n; i++) {
        reg_free_to(fs, base + i + 1);
        expr_to(fs, rhs->items[i], base + i);
    }
    reg_free_to(fs, base + n);
}

static void define_stmt(FuncState *fs, Node *s, bool is_var) {
    NodeList *lhs = &s->list;
    int nl = lhs->len;
    int nnew = 0, nblank = 0;
    bool isnew[nl > 0 ? nl : 1];
    for (int i = 0; i < nl; i++) {
        Node *id = lhs->items[i];
        isnew[i] = false;
        if (strcmp(id->name, "_") == 0) { nblank++; continue; }
        for (int j = 0; j < i; j++)
            if (strcmp(lhs->items[j]->name, id->name) == 0)
                comp_error(fs->c, id, "%s repeated on left side of %s", id->name, is_var ? "var" : ":=");
        VarDesc *v = var_lookup_block(fs, id->name);
        if (v && is_var) comp_error(fs->c, id, "%s redeclared in this block", id->name);
        if (!v || is_var) { isnew[i] = true; nnew++; }
    }
    if (!is_var && nnew == 0) {
        Node *last = lhs->items[nl - 1];
        comp_error_at(fs->c, last->line, comp_find_token(fs->c, last->line, last->col + (int)strlen(last->name), ":="),
                      "no new variables on left side of :=");
    }
    if (is_var && s->list2.len == 0) {
        int base = reg_alloc(fs, nl);
        emit_abc(fs, OP_LOADNIL, base, nl - 1, 0);
        for (int i = 0; i < nl; i++) var_declare(fs, lhs->items[i], base + i);
        return;
    }
    if (nnew == nl) {
        int base = reg_alloc(fs, nl);
        values_to(fs, s, &s->list2, base, nl);
        for (int i = 0; i < nl; i++) var_declare(fs, lhs->items[i], base + i);
        return;
    }
    int newbase = reg_alloc(fs, nnew);
    int tmp = reg_alloc(fs, nl);
    values_to(fs, s, &s->list2, tmp, nl);
    int k = 0;
    for (int i = 0; i < nl; i++) {
        Node *id = lhs->items[i];
        if (isnew[i]) {
            emit_move(fs, newbase + k++, tmp + i);
        } else if (strcmp(id->name, "_") != 0) {
            LTarget lt = target_prepare(fs, id, false);
            target_store(fs, &lt, tmp + i);
        }
    }
    reg_free_to(fs, newbase + nnew);
    k = 0;
    for (int i = 0; i < nl; i++)
        if (isnew[i]) var_declare(fs, lhs->items[i], newbase + k++);
}

static void assign_stmt(FuncState *fs, Node *s) {
    int nl = s->list.len, nr = s->list2.len;
    if (nl == 1 && nr == 1) {
        Node *t = unparen(s->list.items[0]);
        Node *e = s->list2.items[0];
        if (t->kind == AST_IDENT && strcmp(t->name, "_") != 0) {
            Resolved r = resolve(fs, t, false);
            if (r.kind == RES_LOCAL && r.var->kind == VAR_REG) {
                expr_to(fs, e, r.var->reg);
                return;
            }
        }
        LTarget lt = target_prepare(fs, t, false);
        if (lt.kind == LT_DISCARD) {
            int save = fs->freereg;
            if (e->kind == AST_CALL) { int b = reg_alloc(fs, 1); expr_call(fs, e, b, 0); }
            else expr_any(fs, e);
            reg_free_to(fs, save);
            return;
        }
        int r = expr_any(fs, e);
        target_store(fs, &lt, r);
        return;
    }
    LTarget lts[nl > 0 ? nl : 1];
    for (int i = 0; i < nl; i++) lts[i] = target_prepare(fs, s->list.items[i], true);
    int tmp = reg_alloc(fs, nl);
    values_to(fs, s, &s->list2, tmp, nl);
    for (int i = 0; i < nl; i++) target_store(fs, &lts[i], tmp + i);
}

static void opassign(FuncState *fs, Node *t, int tok, Node *b, int delta) {
    t = unparen(t);
    if (t->kind == AST_IDENT && strcmp(t->name, "_") != 0) {
        Resolved r = resolve(fs, t, false);
        if (r.kind == RES_LOCAL && r.var->kind == VAR_REG) {
            if (b) expr_binop(fs, tok, r.var->reg, r.var->reg, b);
            else emit_abck(fs, OP_ADDI, r.var->reg, r.var->reg, delta, 0);
            return;
        }
    }
    LTarget lt = target_prepare(fs, t, false);
    if (lt.kind == LT_BAD) return;
    int v = reg_alloc(fs, 1);
    target_load(fs, &lt, v);
    if (b) expr_binop(fs, tok, v, v, b);
    else emit_abck(fs, OP_ADDI, v, v, delta, 0);
    target_store(fs, &lt, v);
}

/* --- control flow --- */

static Breakable *push_breakable(FuncState *fs, Breakable *b, const char *label, bool is_loop) {
    b->prev = fs->breakables;
    b->label = label;
    b->is_loop = is_loop;
    b->break_list = NO_JUMP;
    b->continue_list = NO_JUMP;
    fs->breakables = b;
    return b;
}

static void pop_breakable(FuncState *fs, Breakable *b) {
    jump_patch_here(fs, b->break_list);
    fs->breakables = b->prev;
}

static void branch_stmt(FuncState *fs, Node *s, bool is_break) {
    Breakable *b = fs->breakables;
    if (s->name) {
        for (LabelUse *l = fs->labels; l; l = l->prev)
            if (strcmp(l->name, s->name) == 0) l->used = true;
        while (b && !(b->label && strcmp(b->label, s->name) == 0)) b = b->prev;
        if (!b || (!is_break && !b->is_loop)) {
            bool defined = false;
            for (LabelUse *l = fs->labels; l; l = l->prev)
                if (strcmp(l->name, s->name) == 0) defined = true;
            int col = comp_find_token(fs->c, s->line, s->col + 5, s->name);
            if (!defined) comp_error_at(fs->c, s->line, col, "label %s not defined", s->name);
            else comp_error_at(fs->c, s->line, col, "invalid %s label %s", is_break ? "break" : "continue", s->name);
            return;
        }
    } else if (!is_break) {
        while (b && !b->is_loop) b = b->prev;
        if (!b) { comp_error(fs->c, s, "continue is not in a loop"); return; }
    } else if (!b) {
        comp_error(fs->c, s, "break is not in a loop, switch, or select");
        return;
    }
    int j = emit_jump(fs, OP_JMP, 0, 0);
    jump_concat(fs, is_break ? &b->break_list : &b->continue_list, j);
}

static void if_stmt(FuncState *fs, Node *s) {
    BlockSave bs = block_enter(fs);
    if (s->a) stmt(fs, s->a);
    int f = cond_jump(fs, s->b, false);
    stmt(fs, s->c);
    if (s->d) {
        int j = emit_jump(fs, OP_JMP, 0, 0);
        jump_patch_here(fs, f);
        stmt(fs, s->d);
        jump_patch_here(fs, j);
    } else {
        jump_patch_here(fs, f);
    }
    block_leave(fs, bs);
}

/* `for ...; i < n; i++` with i and n plain locals (or n a small int):
 * the test and the increment fuse into one INCJLT. */
static bool fusable_loop(FuncState *fs, Node *s, int *ri, int *rn, bool *imm) {
    Node *cond = s->b ? unparen(s->b) : NULL, *post = s->c;
    if (!cond || !post || post->kind != AST_INCDEC || post->op != TK_INC) return false;
    if (cond->kind != AST_BINARY || cond->op != TK_LT) return false;
    Node *i = unparen(post->a), *ci = unparen(cond->a), *n = unparen(cond->b);
    if (i->kind != AST_IDENT || ci->kind != AST_IDENT || strcmp(i->name, ci->name) != 0) return false;
    if (strcmp(i->name, "_") == 0) return false;
    Resolved r = resolve(fs, i, false);
    if (r.kind != RES_LOCAL || r.var->kind != VAR_REG) return false;
    *ri = r.var->reg;
    Value k;
    if (n->kind == AST_IDENT && strcmp(n->name, "_") != 0) {
        Resolved rn_ = resolve(fs, n, false);
        if (rn_.kind == RES_LOCAL && rn_.var->kind == VAR_REG) {
            *rn = rn_.var->reg;
            *imm = false;
            return true;
        }
    }
    if (const_try(fs, n, &k) && IS_INT(k) && k.as.i >= -32768 && k.as.i <= 32767) {
        *rn = (int)(uint16_t)(int16_t)k.as.i;
        *imm = true;
        return true;
    }
    return false;
}

static void for_stmt(FuncState *fs, Node *s, const char *label) {
    BlockSave bs = block_enter(fs);
    if (s->a) stmt(fs, s->a);
    int loopvars = bs.nvars;
    Breakable br;
    push_breakable(fs, &br, label, true);
    int ri, rn;
    bool imm;
    bool fused = fusable_loop(fs, s, &ri, &rn, &imm);
    int exit_list = NO_JUMP, enter = NO_JUMP;
    if (fused) exit_list = cond_jump(fs, s->b, false);
    else if (s->b) enter = emit_jump(fs, OP_JMP, 0, 0);
    int top = here(fs);
    stmt(fs, s->d);
    jump_patch_here(fs, br.continue_list);
    here(fs);
    /* Go 1.22: the next iteration gets fresh copies of the loop variables,
     * made before the post statement runs. */
    for (int i = loopvars; i < fs->nvars; i++)
        if (fs->vars[i].kind == VAR_BOX) emit_abc(fs, OP_FRESHBOX, fs->vars[i].reg, 0, 0);
    if (fused) {
        fs->line = s->c->line;
        int j = emit_jump(fs, imm ? OP_INCJLTI : OP_INCJLT, ri, rn);
        jump_patch(fs, j, top);
    } else {
        if (s->c) stmt(fs, s->c);
        jump_patch_here(fs, enter);
        if (s->b) jump_patch(fs, cond_jump(fs, s->b, true), top);
        else jump_to(fs, top);
    }
    jump_patch_here(fs, exit_list);
    pop_breakable(fs, &br);
    block_leave(fs, bs);
}

static void range_stmt(FuncState *fs, Node *s, const char *label) {
    int save = fs->freereg;
    int base = reg_alloc(fs, 5);
    fs->line = s->line;
    expr_to(fs, s->a, base);
    emit_abc(fs, OP_RANGEPREP, base, 0, 0);
    Breakable br;
    push_breakable(fs, &br, label, true);
    int enter = emit_jump(fs, OP_JMP, 0, 0);
    int top = here(fs);
    BlockSave bs = block_enter(fs);
    int nv = s->list.len;
    if (s->flags & AST_RANGE_DEFINE) {
        for (int i = 0; i < nv && i < 2; i++) {
            Node *id = s->list.items[i];
            if (strcmp(id->name, "_") == 0) continue;
            for (int j = 0; j < i; j++)
                if (strcmp(s->list.items[j]->name, id->name) == 0)
                    comp_error(fs->c, id, "%s repeated on left side of :=", id->name);
            var_declare(fs, id, base + 3 + i);
        }
    } else {
        for (int i = 0; i < nv && i < 2; i++) {
            int tsave = fs->freereg;
            LTarget lt = target_prepare(fs, s->list.items[i], false);
            target_store(fs, &lt, base + 3 + i);
            reg_free_to(fs, tsave);
        }
    }
    if (nv > 2) comp_error(fs->c, s->list.items[2], "range clause permits at most two iteration variables");
    stmt(fs, s->d);
    block_leave(fs, bs);
    jump_patch_here(fs, br.continue_list);
    jump_patch_here(fs, enter);
    fs->line = s->line;
    int j = emit_jump(fs, OP_RANGENEXT, base, 0);
    jump_patch(fs, j, top);
    pop_breakable(fs, &br);
    reg_free_to(fs, save);
}

static void switch_stmt(FuncState *fs, Node *s, const char *label) {
    BlockSave bs = block_enter(fs);
    if (s->a) stmt(fs, s->a);
    Breakable br;
    push_breakable(fs, &br, label, false);
    int tag = -1;
    if (s->b) {
        tag = reg_alloc(fs, 1);
        expr_to(fs, s->b, tag);
    }
    int ncases = s->list.len;
    int lists[ncases > 0 ? ncases : 1];
    int deflt = -1;
    for (int i = 0; i < ncases; i++) {
        Node *c = s->list.items[i];
        lists[i] = NO_JUMP;
        if (c->flags & AST_DEFAULT) {
            if (deflt >= 0) comp_error(fs->c, c, "multiple defaults in switch");
            deflt = i;
            continue;
        }
        for (int j = 0; j < c->list.len; j++) {
            Node *v = c->list.items[j];
            fs->line = v->line;
            int l;
            if (tag >= 0) {
                Value k;
                int save = fs->freereg;
                if (const_try(fs, v, &k)) {
                    l = emit_jump(fs, OP_JEQK, tag, const_k(fs, k));
                } else {
                    int rv = expr_any(fs, v);
                    l = emit_jump(fs, OP_JEQ, tag, rv);
                }
                reg_free_to(fs, save);
            } else {
                l = cond_jump(fs, v, true);
            }
            jump_concat(fs, &lists[i], l);
        }
    }
    int after = emit_jump(fs, OP_JMP, 0, 0);
    for (int i = 0; i < ncases; i++) {
        Node *c = s->list.items[i];
        if (i == deflt) { jump_patch_here(fs, after); after = NO_JUMP; }
        jump_patch_here(fs, lists[i]);
        stmt(fs, c->a);
        if (i < ncases - 1) jump_concat(fs, &br.break_list, emit_jump(fs, OP_JMP, 0, 0));
    }
    jump_concat(fs, &br.break_list, after);
    pop_breakable(fs, &br);
    block_leave(fs, bs);
}

/* The receive expression of a select case's communication, or NULL. */
static Node *select_recv(Node *comm) {
    Node *e = NULL;
    switch (comm->kind) {
    case AST_EXPR: e = comm->a; break;
    case AST_DEFINE: case AST_ASSIGN: case AST_VAR:
        if (comm->list2.len == 1) e = comm->list2.items[0];
        break;
    default: break;
    }
    e = e ? unparen(e) : NULL;
    return e && e->kind == AST_RECV ? e : NULL;
}

static void select_stmt(FuncState *fs, Node *s, const char *label) {
    int save = fs->freereg;
    Breakable br;
    push_breakable(fs, &br, label, false);
    int ncases = s->list.len, n = 0, deflt = -1;
    for (int i = 0; i < ncases; i++) {
        Node *c = s->list.items[i];
        if (c->flags & AST_DEFAULT) {
            if (deflt >= 0) comp_error(fs->c, c, "multiple defaults in select");
            deflt = i;
        } else {
            n++;
        }
    }
    int base = reg_alloc(fs, 3 * n);
    int k = 0;
    for (int i = 0; i < ncases; i++) {
        Node *c = s->list.items[i];
        if (c->flags & AST_DEFAULT) continue;
        Node *comm = c->b;
        fs->line = comm->line;
        int r = base + 3 * k++;
        if (comm->kind == AST_SEND) {
            expr_to(fs, comm->a, r);
            expr_to(fs, comm->b, r + 1);
            emit_abc(fs, OP_LOADBOOL, r + 2, 1, 0);
        } else {
            Node *recv = select_recv(comm);
            if (!recv) {
                comp_error(fs->c, comm, "select case must be receive, send or assign recv");
                continue;
            }
            expr_to(fs, recv->a, r);
            emit_abc(fs, OP_LOADNIL, r + 1, 0, 0);
            emit_abc(fs, OP_LOADBOOL, r + 2, 0, 0);
        }
    }
    int res = reg_alloc(fs, 3);
    fs->line = s->line;
    emit_abck(fs, OP_SELECT, res, base, n, deflt >= 0);
    int lists[ncases > 0 ? ncases : 1];
    k = 0;
    for (int i = 0; i < ncases; i++) {
        Node *c = s->list.items[i];
        lists[i] = NO_JUMP;
        if (c->flags & AST_DEFAULT) continue;
        lists[i] = emit_jump(fs, OP_JEQK, res, const_k(fs, INT_VAL(k++)));
    }
    int after = emit_jump(fs, OP_JMP, 0, 0);
    for (int i = 0; i < ncases; i++) {
        Node *c = s->list.items[i];
        if (i == deflt) jump_patch_here(fs, after);
        else jump_patch_here(fs, lists[i]);
        BlockSave bs = block_enter(fs);
        Node *comm = c->b;
        if (comm && (comm->kind == AST_DEFINE || comm->kind == AST_VAR)) {
            for (int j = 0; j < comm->list.len && j < 2; j++) {
                Node *id = comm->list.items[j];
                if (strcmp(id->name, "_") != 0) var_declare(fs, id, res + 1 + j);
            }
            if (comm->list.len > 2) mismatch(fs, comm, comm->list.len, 1);
        } else if (comm && comm->kind == AST_ASSIGN) {
            for (int j = 0; j < comm->list.len && j < 2; j++) {
                int tsave = fs->freereg;
                LTarget lt = target_prepare(fs, comm->list.items[j], false);
                target_store(fs, &lt, res + 1 + j);
                reg_free_to(fs, tsave);
            }
            if (comm->list.len > 2) mismatch(fs, comm, comm->list.len, 1);
        }
        stmt(fs, c->a);
        block_leave(fs, bs);
        if (i < ncases - 1) jump_concat(fs, &br.break_list, emit_jump(fs, OP_JMP, 0, 0));
    }
    if (deflt < 0) jump_concat(fs, &br.break_list, after);
    pop_breakable(fs, &br);
    reg_free_to(fs, save);
}

static void return_stmt(FuncState *fs, Node *s) {
    int n = s->list.len;
    if (n == 0) {
        emit_abc(fs, OP_RETURN0, 0, 0, 0);
        return;
    }
    if (n == 1) {
        Node *e = s->list.items[0];
        if (e->kind == AST_CALL) {
            int base = reg_alloc(fs, 1);
            expr_call(fs, e, base, -1);
            emit_abc(fs, OP_RETURN, base, 0, 0);
        } else {
            int r = expr_any(fs, e);
            emit_abc(fs, OP_RETURN1, r, 0, 0);
        }
        return;
    }
    int base = reg_alloc(fs, n);
    for (int i = 0; i < n; i++) {
        reg_free_to(fs, base + i + 1);
        expr_to(fs, s->list.items[i], base + i);
    }
    reg_free_to(fs, base + n);
    emit_abc(fs, OP_RETURN, base, n + 1, 0);
}

void expr_call_op(FuncState *fs, Node *e, int base, OpCode op);

static void go_defer_stmt(FuncState *fs, Node *s, OpCode op) {
    Node *call = s->a;
    if (!call || call->kind != AST_CALL) {
        comp_error(fs->c, call ? call : s, "expression in %s must be function call",
                   op == OP_GO ? "go" : "defer");
        return;
    }
    int base = reg_alloc(fs, 1);
    expr_call_op(fs, call, base, op);
}

static void expr_stmt(FuncState *fs, Node *s) {
    Node *e = s->a;
    if (e->kind == AST_CALL) {
        int base = reg_alloc(fs, 1);
        expr_call(fs, e, base, 0);
        return;
    }
    expr_any(fs, e);
}

void stmt(FuncState *fs, Node *s) {
    if (!s) return;
    const char *label = fs->pending_label;
    fs->pending_label = NULL;
    int save = fs->freereg;
    fs->line = s->line;
    switch (s->kind) {
    case AST_EMPTY: break;
    case AST_BLOCK: {
        BlockSave bs = block_enter(fs);
        stmt_list(fs, &s->list);
        block_leave(fs, bs);
        break;
    }
    case AST_EXPR: expr_stmt(fs, s); break;
    case AST_DEFINE: define_stmt(fs, s, false); return;
    case AST_VAR: define_stmt(fs, s, true); return;
    case AST_CONST: {
        Value v;
        if (var_lookup_block(fs, s->name))
            comp_error(fs->c, s, "%s redeclared in this block", s->name);
        if (!const_eval(fs, s->a, &v, true)) v = NIL_VAL;
        var_declare_const(fs, s, v);
        return;
    }
    case AST_ASSIGN: assign_stmt(fs, s); break;
    case AST_OPASSIGN: opassign(fs, s->a, s->op, s->b, 0); break;
    case AST_INCDEC: opassign(fs, s->a, 0, NULL, s->op == TK_INC ? 1 : -1); break;
    case AST_SEND: {
        int rc = expr_any(fs, s->a);
        int rv = expr_any(fs, s->b);
        fs->line = s->line;
        emit_abc(fs, OP_SEND, rc, rv, 0);
        break;
    }
    case AST_IF: if_stmt(fs, s); break;
    case AST_FOR: for_stmt(fs, s, label); break;
    case AST_RANGE: range_stmt(fs, s, label); break;
    case AST_SWITCH: switch_stmt(fs, s, label); break;
    case AST_SELECT: select_stmt(fs, s, label); break;
    case AST_BREAK: branch_stmt(fs, s, true); break;
    case AST_CONTINUE: branch_stmt(fs, s, false); break;
    case AST_LABELED: {
        LabelUse lu = { fs->labels, s->name, false };
        for (LabelUse *l = fs->labels; l; l = l->prev)
            if (strcmp(l->name, s->name) == 0) comp_error(fs->c, s, "label %s already defined", s->name);
        fs->labels = &lu;
        fs->pending_label = s->name;
        stmt(fs, s->a);
        fs->pending_label = NULL;
        fs->labels = lu.prev;
        if (!lu.used) comp_error(fs->c, s, "label %s defined and not used", s->name);
        break;
    }
    case AST_RETURN: return_stmt(fs, s); break;
    case AST_GO: go_defer_stmt(fs, s, OP_GO); break;
    case AST_DEFER: go_defer_stmt(fs, s, OP_DEFER); break;
    default:
        comp_error(fs->c, s, "unexpected %s in function body", ast_kind_name(s->kind));
        break;
    }
    reg_free_to(fs, save);
}

void stmt_list(FuncState *fs, NodeList *l) {
    for (int i = 0; i < l->len; i++) {
        stmt(fs, l->items[i]);
        if (comp_too_many(fs->c)) return;
    }
}
