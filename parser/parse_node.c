/*
 * parse_node.c — node construction for the grammar's actions.
 *
 * Every constructor finishes its node with p_fin, which computes the
 * node's depth from its children (so no tree walk is ever needed to
 * enforce AST_MAX_DEPTH) and rejects a bare 9223372036854775808, the one
 * literal that is valid only under unary '-'.
 */
#include <string.h>

#include "grammar.h"
#include "parser/parse_int.h"

static int is_statement(AstKind k) { return k >= AST_BLOCK; }

Node *p_new(ParseCtx *c, AstKind k, const Tok *at) {
    return ast_node(c->ast, k, at->line, at->col);
}

Node *p_new_at(ParseCtx *c, AstKind k, const Node *at) {
    return ast_node(c->ast, k, at->line, at->col);
}

/* A child's contribution to its parent's depth; rejects a bare
 * 9223372036854775808 anywhere but under unary '-'. */
static int child_depth(ParseCtx *c, Node *x) {
    if (!x) return 0;
    if (x->flags & P_MININT) {
        x->flags &= ~P_MININT;
        p_error(c, x->line, x->col, "integer literal overflows int");
    }
    return x->depth;
}

Node *p_fin(ParseCtx *c, Node *n) {
    int d = 0, k;
    if ((k = child_depth(c, n->a)) > d) d = k;
    if ((k = child_depth(c, n->b)) > d) d = k;
    if ((k = child_depth(c, n->c)) > d) d = k;
    if ((k = child_depth(c, n->d)) > d) d = k;
    for (int i = 0; i < n->list.len; i++)
        if ((k = child_depth(c, n->list.items[i])) > d) d = k;
    for (int i = 0; i < n->list2.len; i++)
        if ((k = child_depth(c, n->list2.items[i])) > d) d = k;
    n->depth = d + 1;
    if (n->depth > AST_MAX_DEPTH && !c->abort) {
        p_error(c, n->line, n->col, is_statement(n->kind) ? "block nesting too deep"
                                                          : "expression nesting too deep");
        c->abort = 1;
    }
    return n;
}

Node *p_leaf(ParseCtx *c, AstKind k, const Tok *t) {
    Node *n = p_new(c, k, t);
    switch (k) {
    case AST_INT:
        n->ival = t->ival;
        if (t->flags & TOKF_MININT) n->flags |= P_MININT;
        break;
    case AST_FLOAT: n->fval = t->fval; break;
    case AST_STRING: case AST_IMPORT: n->str = t->str; n->len = t->len; break;
    case AST_IDENT: n->name = t->str; break;
    default: break;
    }
    return n;
}

Node *p_kid(ParseCtx *c, AstKind k, const Node *at, Node *a, Node *b) {
    Node *n = p_new_at(c, k, at);
    n->a = a;
    n->b = b;
    return p_fin(c, n);
}

Node *p_binary(ParseCtx *c, int op, Node *a, Node *b) {
    Node *n = p_new_at(c, AST_BINARY, a);
    n->op = op;
    n->a = a;
    n->b = b;
    return p_fin(c, n);
}

Node *p_logic(ParseCtx *c, AstKind k, Node *a, Node *b) { return p_kid(c, k, a, a, b); }

Node *p_unary(ParseCtx *c, const Tok *t, int op, Node *a) {
    if (op == TK_MINUS && a->kind == AST_INT && (a->flags & P_MININT)) {
        /* -9223372036854775808: the one literal that fits only negated */
        a->flags &= ~P_MININT;
        a->line = t->line;
        a->col = t->col;
        return a;
    }
    Node *n = p_new(c, AST_UNARY, t);
    n->op = op;
    n->a = a;
    return p_fin(c, n);
}

Node *p_recv(ParseCtx *c, const Tok *t, Node *a) {
    Node *n = p_new(c, AST_RECV, t);
    n->a = a;
    return p_fin(c, n);
}

NodeList p_list1(ParseCtx *c, Node *n) {
    NodeList l = {0};
    ast_list_push(c->ast, &l, n);
    return l;
}

Node *p_define(ParseCtx *c, NodeList lhs, NodeList rhs) {
    for (int i = 0; i < lhs.len; i++)
        if (lhs.items[i]->kind != AST_IDENT) {
            p_error(c, lhs.items[i]->line, lhs.items[i]->col,
                    "syntax error: non-name on left side of :=");
            break;
        }
    Node *n = p_new_at(c, AST_DEFINE, lhs.items[0]);
    n->list = lhs;
    n->list2 = rhs;
    return p_fin(c, n);
}

Node *p_go(ParseCtx *c, AstKind k, const Tok *t, Node *call) {
    if (call->kind != AST_CALL)
        p_error(c, call->line, call->col, "expression in %s must be function call",
                k == AST_GO ? "go" : "defer");
    Node *n = p_new(c, k, t);
    n->a = call;
    return p_fin(c, n);
}

Node *p_labeled(ParseCtx *c, const Tok *label, Node *stmt) {
    if (!stmt) {
        stmt = ast_node(c->ast, AST_EMPTY, label->line, label->col);
    } else if (stmt->flags & P_GROUP) {
        p_error(c, stmt->line, stmt->col, "syntax error: a declaration group cannot be labeled");
    }
    Node *n = p_new(c, AST_LABELED, label);
    n->name = label->str;
    n->a = stmt;
    return p_fin(c, n);
}

static int is_recv(const Node *n) { return n && n->kind == AST_RECV; }

Node *p_comm(ParseCtx *c, Node *s) {
    int ok = 0;
    switch (s->kind) {
    case AST_SEND: ok = 1; break;
    case AST_EXPR: ok = is_recv(s->a); break;
    case AST_DEFINE: case AST_ASSIGN:
        ok = s->list.len <= 2 && s->list2.len == 1 && is_recv(s->list2.items[0]);
        break;
    default: break;
    }
    if (!ok)
        p_error(c, s->line, s->col, "syntax error: select case must be receive, send or assign recv");
    return s;
}

void p_stmt_push(ParseCtx *c, NodeList *l, Node *n) {
    if (n->flags & P_GROUP) {
        for (int i = 0; i < n->list.len; i++) ast_list_push(c->ast, l, n->list.items[i]);
        return;
    }
    ast_list_push(c->ast, l, n);
}

void p_top(ParseCtx *c, Node *n) { p_stmt_push(c, &c->file->list, n); }

Node *p_group(ParseCtx *c, const Tok *t, NodeList specs) {
    Node *n = p_new(c, AST_EMPTY, t);
    n->flags |= P_GROUP;
    n->list = specs;
    return p_fin(c, n);
}
