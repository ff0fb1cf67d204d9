/*
 * compile_const.c — constant expressions: `const` declarations and the
 * folding of operators whose operands are all constants.
 *
 * A constant is a literal, a `const` name, a scalar or string member of a
 * module (`time.second`), or an operator applied to constants. Folding
 * uses the VM's own operator code (vm/arith.c), so `2 * time.second` means
 * exactly what it would at run time.
 */
#include <stdio.h>
#include <string.h>

#include "grammar.h"
#include "stdlib/stdlib.h"
#include "vm/arith.h"
#include "vm/compile.h"

void comp_expr_text(const Node *e, char *buf, size_t n) {
    switch (e->kind) {
    case AST_IDENT: snprintf(buf, n, "%s", e->name); break;
    case AST_FIELD: {
        char inner[64];
        comp_expr_text(e->a, inner, sizeof inner);
        snprintf(buf, n, "%s.%s", inner, e->name);
        break;
    }
    case AST_CALL: {
        char inner[64];
        comp_expr_text(e->a, inner, sizeof inner);
        snprintf(buf, n, "%s(%s)", inner, e->list.len ? "..." : "");
        break;
    }
    case AST_PAREN: comp_expr_text(e->a, buf, n); break;
    case AST_INDEX: {
        char inner[64];
        comp_expr_text(e->a, inner, sizeof inner);
        snprintf(buf, n, "%s[...]", inner);
        break;
    }
    case AST_LISTLIT: snprintf(buf, n, "[...]"); break;
    case AST_MAPLIT: snprintf(buf, n, "{...}"); break;
    case AST_FUNCLIT: snprintf(buf, n, "func literal"); break;
    case AST_CHANMAKE: snprintf(buf, n, "chan(...)"); break;
    case AST_RECV: snprintf(buf, n, "<-..."); break;
    default: snprintf(buf, n, "expression"); break;
    }
}

OpCode tok_binop(int tok) {
    switch (tok) {
    case TK_PLUS: return OP_ADD;
    case TK_MINUS: return OP_SUB;
    case TK_STAR: return OP_MUL;
    case TK_SLASH: return OP_DIV;
    case TK_PERCENT: return OP_MOD;
    case TK_AMP: return OP_BAND;
    case TK_PIPE: return OP_BOR;
    case TK_CARET: return OP_BXOR;
    case TK_ANDNOT: return OP_BANDNOT;
    case TK_SHL: return OP_SHL;
    case TK_SHR: return OP_SHR;
    default: return OP__COUNT;
    }
}

static bool fold_compare(int tok, Value a, Value b, Value *out, const char **err, char *buf) {
    bool r;
    switch (tok) {
    case TK_EQ: *out = BOOL_VAL(value_equal(a, b)); return true;
    case TK_NE: *out = BOOL_VAL(!value_equal(a, b)); return true;
    case TK_LT: *err = arith_less(a, b, false, &r, buf); break;
    case TK_LE: *err = arith_less(a, b, true, &r, buf); break;
    case TK_GT: *err = arith_less(b, a, false, &r, buf); break;
    case TK_GE: *err = arith_less(b, a, true, &r, buf); break;
    default: return false;
    }
    if (!*err) *out = BOOL_VAL(r);
    return true;
}

static bool not_const(FuncState *fs, Node *e, bool report) {
    if (report) {
        char text[128];
        comp_expr_text(e, text, sizeof text);
        comp_error(fs->c, e, "const initializer %s is not a constant", text);
    }
    return false;
}

static bool const_scalar(Value v) {
    return v.type <= VAL_STR;
}

static bool eval(FuncState *fs, Node *e, Value *out, bool report) {
    char buf[ARITH_BUF];
    switch (e->kind) {
    case AST_NIL: *out = NIL_VAL; return true;
    case AST_TRUE: *out = BOOL_VAL(true); return true;
    case AST_FALSE: *out = BOOL_VAL(false); return true;
    case AST_INT: *out = INT_VAL(e->ival); return true;
    case AST_FLOAT: *out = FLOAT_VAL(e->fval); return true;
    case AST_STRING: *out = STR_VAL(comp_intern(e->str, e->len)); return true;
    case AST_PAREN: return eval(fs, e->a, out, report);
    case AST_IDENT: {
        if (strcmp(e->name, "_") == 0) {
            if (report) comp_error(fs->c, e, "cannot use _ as value");
            return false;
        }
        Resolved r = resolve(fs, e, report);
        if (r.kind == RES_NONE) return false;
        if (r.kind == RES_CONST) { *out = r.value; return true; }
        return not_const(fs, e, report);
    }
    case AST_FIELD: {
        ObjModule *m = expr_module(fs, e->a);
        if (!m) return not_const(fs, e, report);
        Value v;
        if (!module_get(m, e->name, &v)) {
            if (report) comp_error_at(fs->c, e->line, comp_field_col(fs->c, e), "undefined: %s.%s", m->name, e->name);
            return false;
        }
        if (!const_scalar(v)) return not_const(fs, e, report);
        *out = v;
        return true;
    }
    case AST_UNARY: {
        Value a;
        if (!eval(fs, e->a, &a, report)) return false;
        OpCode op = e->op == TK_MINUS ? OP_UNM : e->op == TK_PLUS ? OP_PLUS
                  : e->op == TK_NOT ? OP_NOT : OP_BNOT;
        const char *err = arith_unop(op, a, out, buf);
        if (err) {
            if (report) comp_error(fs->c, e, "%s", err);
            return false;
        }
        return true;
    }
    case AST_AND:
    case AST_OR: {
        Value a, b;
        if (!eval(fs, e->a, &a, report)) return false;
        if (!eval(fs, e->b, &b, report)) return false;
        if (!IS_BOOL(a) || !IS_BOOL(b)) {
            if (report) comp_error(fs->c, e, "non-bool used as condition (%s)",
                                   value_type_name(IS_BOOL(a) ? b : a));
            return false;
        }
        *out = BOOL_VAL(e->kind == AST_AND ? (a.as.b && b.as.b) : (a.as.b || b.as.b));
        return true;
    }
    case AST_BINARY: {
        Value a, b;
        if (!eval(fs, e->a, &a, report)) return false;
        if (!eval(fs, e->b, &b, report)) return false;
        const char *err = NULL;
        OpCode op = tok_binop(e->op);
        if (op != OP__COUNT) {
            err = arith_binop(op, a, b, out, NULL, buf);
        } else if (!fold_compare(e->op, a, b, out, &err, buf)) {
            return not_const(fs, e, report);
        }
        if (err) {
            if (report) {
                if (strcmp(err, "integer divide by zero") == 0)
                    comp_error(fs->c, e, "invalid operation: division by zero");
                else
                    comp_error(fs->c, e, "%s", err);
            }
            return false;
        }
        return true;
    }
    default:
        return not_const(fs, e, report);
    }
}

bool const_eval(FuncState *fs, Node *e, Value *out, bool report) {
    return eval(fs, e, out, report);
}

/* Whether name means a constant here; without side effects (resolve()
 * would record a capture of an outer variable). */
static bool name_is_const(FuncState *fs, const char *name) {
    if (strcmp(name, "_") == 0) return false;
    for (FuncState *f = fs; f; f = f->parent) {
        for (int i = f->nvars - 1; i >= 0; i--)
            if (strcmp(f->vars[i].name, name) == 0) return f->vars[i].kind == VAR_CONST;
        for (int i = 0; i < f->ncaps; i++)
            if (strcmp(f->caps[i].name, name) == 0) return false;
    }
    TopName *t = comp_top(fs->c, name);
    return t && t->kind == TOP_CONST;
}

/* Whether e is built only of literals, constant names and operators (so
 * that trying to fold it cannot report anything or capture a variable). */
static bool looks_const(FuncState *fs, Node *e) {
    switch (e->kind) {
    case AST_NIL: case AST_TRUE: case AST_FALSE: case AST_INT: case AST_FLOAT: case AST_STRING:
        return true;
    case AST_PAREN: case AST_UNARY:
        return looks_const(fs, e->a);
    case AST_BINARY: case AST_AND: case AST_OR:
        return looks_const(fs, e->a) && looks_const(fs, e->b);
    case AST_IDENT:
        return name_is_const(fs, e->name);
    case AST_FIELD:
        return expr_module(fs, e->a) != NULL;
    default:
        return false;
    }
}

bool const_try(FuncState *fs, Node *e, Value *out) {
    if (!looks_const(fs, e)) return false;
    /* An operation that fails (1 + "a") is left to panic at run time. */
    return eval(fs, e, out, false);
}

bool top_const_value(Compiler *c, TopName *t, Value *out) {
    if (t->state == 2) { *out = t->value; return true; }
    if (t->state == 3) return false;
    if (t->state == 1) {
        comp_error(c, t->node, "initialization cycle: %s refers to itself", t->name);
        t->state = 3;
        return false;
    }
    t->state = 1;
    FuncState fs;
    fs_init(&fs, c, NULL, "const");
    bool ok = eval(&fs, t->node->a, &t->value, true);
    fs_free(&fs);
    if (t->state == 3) return false;
    t->state = ok ? 2 : 3;
    *out = t->value;
    return ok;
}
