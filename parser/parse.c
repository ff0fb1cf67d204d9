/*
 * parse.c — the parse driver: lexer → token driver → Lemon parser → AST,
 * and the syntax error messages.
 *
 * The token driver and the brace problem
 * --------------------------------------
 * In Go syntax a '{' can open a block or a composite (here: map) literal,
 * and `if x {` must not read `x {` as the start of a map literal. Go
 * solves this in its recursive-descent parser by refusing composite
 * literals at "expression level -1", in statement headers. csp does the
 * same one step earlier, in the token stream: the driver tracks the open
 * brackets in a stack of frames and gives the grammar a distinct token,
 * LBODY, for every '{' that opens a block. A '{' is LBODY when
 *
 *   1. it follows the ')' that closes a function's parameter list
 *      (`func` seen, then a '(' in the same frame: that frame is marked
 *      func_params, and closing it marks the outer frame func_body); or
 *   2. the current frame is in an if/for/switch header: the keyword set
 *      `header` on the frame, and this is the first '{' in that same
 *      frame, i.e. outside any bracket opened after the keyword. That is
 *      exactly Go's rule that a map literal in a header must be
 *      parenthesised; a function literal inside a header still works,
 *      because its body's '{' is caught by rule 1 first and its own
 *      statements live in a new frame; or
 *   3. it follows `else` or `select`; or
 *   4. it stands where a statement starts: the current frame is a block
 *      (or the top level) and the previous token is ';' (also an inserted
 *      one), '{' of a block, '}', or ':' (after `case x`, `default` or a
 *      label; a ':' inside a map literal or a slice is in another frame).
 *
 * Every other '{' is LBRACE, a map literal. The grammar then has no
 * ambiguity left. The frame stack also bounds nesting: PARSE_MAX_NEST open
 * brackets give `expression nesting too deep` (or `block nesting too deep`)
 * and the parse stops, before anything grows without bound.
 *
 * The driver also reports the common mistake of a header's '{' on the next
 * line (`if x` newline `{`): the inserted semicolon is reported and
 * dropped, so the rest of the statement still parses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "parser/diag.h"
#include "parser/parse_int.h"

/* Internal node flags, never visible outside the parser. */
enum {
    P_MININT = 1 << 14,   /* INT 9223372036854775808, legal only under unary '-' */
    P_GROUP  = 1 << 15,   /* an EMPTY node carrying a const/import group */
};

/* Lemon's generated interface (build/gen/grammar.c). */
void *csp_parseAlloc(void *(*alloc)(size_t), ParseCtx *ctx);
void csp_parse(void *p, int major, Tok minor);
void csp_parseFree(void *p, void (*dealloc)(void *));
#ifndef NDEBUG
void csp_parseTrace(FILE *out, char *prefix);
#endif

Ast *ast_new(const char *path, const char *source, size_t len);

/* ---- errors ---------------------------------------------------------------- */

void p_error(ParseCtx *c, int line, int col, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->failed = 1;
    diag_error(c->ast->path, c->ast->source, c->ast->source_len, line, col, "%s", msg);
}

static int is_keyword(int tk) { return tk >= TK_BREAK && tk <= TK_VAR; }

/* The source spelling of a fixed token, for "expected ..." lists. */
static const char *spelling(int tk) {
    switch (tk) {
    case TK_SEMI: return "';'";      case TK_COMMA: return "','";
    case TK_COLON: return "':'";     case TK_DOT: return "'.'";
    case TK_ELLIPSIS: return "'...'";
    case TK_LPAREN: return "'('";    case TK_RPAREN: return "')'";
    case TK_LBRACK: return "'['";    case TK_RBRACK: return "']'";
    case TK_LBRACE: case TK_LBODY: return "'{'";
    case TK_RBRACE: return "'}'";
    case TK_ASSIGN: return "'='";    case TK_DEFINE: return "':='";
    case TK_IDENT: return "name";    case TK_STRING: return "string";
    case TK_INT: case TK_FLOAT: return "number";
    case TK_BREAK: return "'break'"; case TK_CASE: return "'case'";
    case TK_CHAN: return "'chan'";   case TK_CONST: return "'const'";
    case TK_CONTINUE: return "'continue'"; case TK_DEFAULT: return "'default'";
    case TK_DEFER: return "'defer'"; case TK_ELSE: return "'else'";
    case TK_FALSE: return "'false'"; case TK_FOR: return "'for'";
    case TK_FUNC: return "'func'";   case TK_GO: return "'go'";
    case TK_IF: return "'if'";       case TK_IMPORT: return "'import'";
    case TK_NIL: return "'nil'";     case TK_RANGE: return "'range'";
    case TK_RETURN: return "'return'"; case TK_SELECT: return "'select'";
    case TK_SWITCH: return "'switch'"; case TK_TRUE: return "'true'";
    case TK_VAR: return "'var'";
    default: return NULL;
    }
}

/* Names the token found, as messages show it: `newline`, `end of file`,
 * `identifier 'foo'`, `keyword 'else'`, `literal 3`, `'}'`. */
static void describe(int tk, const Tok *t, char *buf, size_t n) {
    int len = (int)(t->textlen > 32 ? 32 : t->textlen);
    const char *nl = t->text ? memchr(t->text, '\n', (size_t)len) : NULL;
    if (nl) len = (int)(nl - t->text);
    const char *more = (size_t)len < t->textlen ? "..." : "";
    if (tk == 0) snprintf(buf, n, "end of file");
    else if (tk == TK_SEMI && (t->flags & TOKF_NEWLINE)) snprintf(buf, n, "newline");
    else if (tk == TK_SEMI && (t->flags & TOKF_EOF)) snprintf(buf, n, "end of file");
    else if (tk == TK_IDENT) snprintf(buf, n, "identifier '%.*s%s'", len, t->text, more);
    else if (tk == TK_INT || tk == TK_FLOAT || tk == TK_STRING)
        snprintf(buf, n, "literal %.*s%s", len, t->text, more);
    else if (is_keyword(tk)) snprintf(buf, n, "keyword '%.*s'", len, t->text);
    else if (tk == TK_LBODY) snprintf(buf, n, "'{'");
    else snprintf(buf, n, "'%.*s'", len, t->text);
}

/* Tokens that only continue an expression or statement already begun:
 * an "expected" list leaves them out (after `f(x` the useful answer is
 * ',' or ')', not every operator). */
static int continues(int tk) {
    switch (tk) {
    case TK_OROR: case TK_ANDAND: case TK_EQ: case TK_NE: case TK_LT: case TK_LE:
    case TK_GT: case TK_GE: case TK_PLUS: case TK_MINUS: case TK_PIPE: case TK_CARET:
    case TK_STAR: case TK_SLASH: case TK_PERCENT: case TK_SHL: case TK_SHR: case TK_AMP:
    case TK_ANDNOT: case TK_ARROW: case TK_INC: case TK_DEC: case TK_DOT:
    case TK_ASSIGN: case TK_DEFINE: case TK_OPASSIGN: case TK_ELLIPSIS:
    case TK_MODE_FILE: case TK_MODE_REPL:
        return 1;
    default:
        return 0;
    }
}

/* Tokens that start a statement (for "outside function body"). */
static int starts_statement(int tk) {
    switch (tk) {
    case TK_IDENT: case TK_INT: case TK_FLOAT: case TK_STRING: case TK_LPAREN:
    case TK_LBRACK: case TK_LBRACE: case TK_LBODY: case TK_MINUS: case TK_PLUS:
    case TK_NOT: case TK_CARET: case TK_ARROW: case TK_TRUE: case TK_FALSE: case TK_NIL:
    case TK_CHAN: case TK_IF: case TK_FOR: case TK_SWITCH: case TK_SELECT: case TK_VAR:
    case TK_RETURN: case TK_BREAK: case TK_CONTINUE: case TK_GO: case TK_DEFER:
        return 1;
    default:
        return 0;
    }
}

/* Is `tk` one after which a statement may end (a newline would insert a
 * semicolon)? */
static int ends_operand(int tk) {
    switch (tk) {
    case TK_IDENT: case TK_INT: case TK_FLOAT: case TK_STRING: case TK_TRUE: case TK_FALSE:
    case TK_NIL: case TK_BREAK: case TK_CONTINUE: case TK_RETURN: case TK_INC: case TK_DEC:
    case TK_RPAREN: case TK_RBRACK: case TK_RBRACE:
        return 1;
    default:
        return 0;
    }
}

/* Builds the message for a syntax error at token tk and its position. */
static void syntax_message(ParseCtx *c, int tk, const Tok *t, const unsigned char *ok, int ntok,
                           char *msg, size_t size, int *line, int *col) {
    int at_eof = tk == 0 || (tk == TK_SEMI && (t->flags & TOKF_EOF));
    char found[128];
    describe(tk, t, found, sizeof found);
    *line = t->line;
    *col = t->col;

    if (c->prev_tk == TK_ELSE) {
        snprintf(msg, size, "syntax error: else must be followed by if or statement block");
        return;
    }

    /* the top level of a file holds declarations only */
    if (!c->repl && ok[TK_IMPORT] && ok[TK_FUNC]) {
        if (starts_statement(tk))
            snprintf(msg, size, "syntax error: non-declaration statement outside function body");
        else
            snprintf(msg, size, "syntax error: unexpected %s, expected 'func', 'const' or 'import'", found);
        return;
    }

    /* something follows a complete top-level declaration */
    if (!c->repl && c->nframes == 1 && ok[TK_SEMI] && !ok[TK_IDENT] && !at_eof && tk != TK_SEMI) {
        snprintf(msg, size, "syntax error: unexpected %s after top level declaration", found);
        return;
    }

    /* the input ended inside a block */
    if (at_eof && ok[TK_RBRACE] && ok[TK_IF]) {
        snprintf(msg, size, "syntax error: unexpected %s, expected '}'", found);
        return;
    }

    /* an operand may stand here */
    if (ok[TK_IDENT] && ok[TK_INT] && tk == TK_LBODY && c->body_header == HDR_IF &&
        (c->prev_tk == TK_IF || c->prev_tk == TK_SEMI)) {
        snprintf(msg, size, "syntax error: missing condition in if statement");
        return;
    }
    if (ok[TK_IDENT] && ok[TK_INT] && tk == TK_LBODY && !ok[TK_IF]) {
        snprintf(msg, size, "syntax error: unexpected '{', expected expression (a map literal in a "
                            "statement header must be parenthesised)");
        return;
    }
    if (ok[TK_IDENT] && ok[TK_INT]) {
        const char *what = ok[TK_IF] ? "statement" : "expression";
        /* `x :=` at the end of a line, then something that cannot be an
         * operand: the operand is missing at the newline */
        if (!ok[TK_IF] && tk != 0 && c->prev_tk != TK_SEMI && c->prev.text && t->text) {
            const char *from = c->prev.text + c->prev.textlen;
            const char *nl = from < t->text ? memchr(from, '\n', (size_t)(t->text - from)) : NULL;
            if (nl) {
                const char *ls = nl;
                while (ls > c->ast->source && ls[-1] != '\n') ls--;
                int nline = c->prev.line;
                for (const char *q = c->prev.text; q < nl; q++) nline += *q == '\n';
                *line = nline;
                *col = (int)(nl - ls) + 1;
                snprintf(msg, size, "syntax error: unexpected newline, expected %s", what);
                return;
            }
        }
        snprintf(msg, size, "syntax error: unexpected %s, expected %s", found, what);
        return;
    }

    /* a statement could end here, and something else follows it */
    if (ok[TK_SEMI] && !ok[TK_LBODY] && !ok[TK_RPAREN] && !ok[TK_RBRACK] &&
        !at_eof && tk != TK_SEMI && ends_operand(c->prev_tk)) {
        snprintf(msg, size, "syntax error: unexpected %s at end of statement", found);
        return;
    }

    /* list what could come instead, when that is short */
    const char *names[3];
    int n = 0;
    for (int e = 1; e < ntok && n <= 3; e++) {
        if (!ok[e] || continues(e)) continue;
        if ((e == TK_LPAREN || e == TK_LBRACK) && ok[TK_DOT]) continue;   /* call, index */
        if (ok[TK_LBODY] && (e == TK_SEMI || e == TK_COMMA)) continue;     /* in a header */
        if (e == TK_LBRACE && ok[TK_LBODY]) continue;
        const char *s = spelling(e);
        if (!s) continue;
        if (n < 3) names[n] = s;
        n++;
    }
    if (n == 1)
        snprintf(msg, size, "syntax error: unexpected %s, expected %s", found, names[0]);
    else if (n == 2)
        snprintf(msg, size, "syntax error: unexpected %s, expected %s or %s", found, names[0], names[1]);
    else if (n == 3)
        snprintf(msg, size, "syntax error: unexpected %s, expected %s, %s or %s", found, names[0],
                 names[1], names[2]);
    else
        snprintf(msg, size, "syntax error: unexpected %s", found);
}

void p_syntax_error(ParseCtx *c, int tk, const Tok *t, const unsigned char *ok, int ntok) {
    c->failed = 1;
    if (c->abort) return;
    int at_eof = tk == 0 || (tk == TK_SEMI && (t->flags & TOKF_EOF));
    /* input that ended inside a literal or comment was reported as such */
    if (at_eof && c->lex.eof_error) return;
    char msg[300];
    int line, col;
    syntax_message(c, tk, t, ok, ntok, msg, sizeof msg, &line, &col);
    /* a lexical error already explained this line: the parser's view of
     * the damage would only repeat it */
    int lexl = c->lex.last_error_line;
    if (lexl && (line == lexl || t->line == lexl)) return;
    if (at_eof) c->eof_error = 1;
    p_error(c, line, col, "%s", msg);
}

void p_stray_else(ParseCtx *c, const Tok *t) {
    if (t->flags & TOKF_ELSE_NL)
        p_error(c, t->line, t->col, "syntax error: else must be on the same line as the closing '}'");
    else
        p_error(c, t->line, t->col, "syntax error: unexpected keyword 'else'");
}

void p_stack_overflow(ParseCtx *c) {
    int tk = c->cur_tk;
    int block = tk == TK_IF || tk == TK_ELSE || tk == TK_LBODY || tk == TK_FOR || tk == TK_SWITCH ||
                tk == TK_SELECT || tk == TK_CASE || tk == TK_DEFAULT || tk == TK_RBRACE;
    if (!c->abort)
        p_error(c, c->cur.line, c->cur.col, block ? "block nesting too deep" : "expression nesting too deep");
    c->failed = 1;
    c->abort = 1;
}

/* ---- nodes ------------------------------------------------------------------ */

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

/* ---- the token driver ------------------------------------------------------- */

static int push_frame(ParseCtx *c, int kind, int func_params, const Tok *t) {
    if (c->nframes > PARSE_MAX_NEST) {
        p_error(c, t->line, t->col, kind == FR_BODY ? "block nesting too deep"
                                                    : "expression nesting too deep");
        c->abort = 1;
        return 0;
    }
    Frame *f = &c->frames[c->nframes++];
    memset(f, 0, sizeof *f);
    f->kind = (unsigned char)kind;
    f->func_params = (unsigned char)func_params;
    return 1;
}

/* Where a statement may start, a '{' opens a block (rule 4 above). */
static int at_statement_start(int prev) {
    return prev == TK_SEMI || prev == TK_LBODY || prev == TK_RBRACE || prev == TK_COLON ||
           prev == TK_MODE_FILE || prev == TK_MODE_REPL;
}

/* Returns the token to give the parser (LBRACE may become LBODY), or -1 to
 * drop it. */
static int drive(ParseCtx *c, int tk, Tok *t) {
    Frame *f = &c->frames[c->nframes - 1];
    int body = f->func_body, pending = f->func_pending;
    f->func_body = 0;
    if (tk != TK_IDENT) f->func_pending = 0;   /* `func name(` keeps it across the name */
    switch (tk) {
    case TK_FUNC:
        f->func_pending = 1;
        break;
    case TK_IF: case TK_FOR: case TK_SWITCH:
        f->header = (unsigned char)(tk == TK_IF ? HDR_IF : tk == TK_FOR ? HDR_FOR : HDR_SWITCH);
        break;
    case TK_LPAREN:
        push_frame(c, FR_PAREN, pending, t);
        break;
    case TK_LBRACK:
        push_frame(c, FR_BRACK, 0, t);
        break;
    case TK_LBRACE:
        if (body || f->header || c->prev_tk == TK_ELSE || c->prev_tk == TK_SELECT ||
            ((f->kind == FR_TOP || f->kind == FR_BODY) && at_statement_start(c->prev_tk))) {
            if (!body) {
                c->body_header = f->header;
                f->header = 0;
            }
            push_frame(c, FR_BODY, 0, t);
            return TK_LBODY;
        }
        push_frame(c, FR_MAP, 0, t);
        break;
    case TK_RPAREN: case TK_RBRACK: case TK_RBRACE:
        /* A ')' or ']' that does not match the innermost open bracket is
         * left for the parser to report and closes nothing; a '}' also
         * closes any '(' or '[' left open inside its braces, so that after
         * a syntax error the frames resynchronise at the end of a block. */
        if (tk == TK_RBRACE) {
            int i = c->nframes - 1;
            while (i > 0 && c->frames[i].kind != FR_BODY && c->frames[i].kind != FR_MAP) i--;
            if (i > 0) c->nframes = i;
        } else if (c->nframes > 1 && f->kind == (tk == TK_RPAREN ? FR_PAREN : FR_BRACK)) {
            c->nframes--;
            if (f->kind == FR_PAREN && f->func_params) c->frames[c->nframes - 1].func_body = 1;
        }
        break;
    case TK_SEMI:
        if ((t->flags & TOKF_NEWLINE) && (f->header == HDR_IF || f->header == HDR_FOR)) {
            p_error(c, t->line, t->col, "syntax error: unexpected newline, expected '{'");
            return -1;
        }
        break;
    case TK_ELSE:
        if (c->prev_tk == TK_SEMI && (c->prev.flags & TOKF_NEWLINE) && c->before_prev_tk == TK_RBRACE)
            t->flags |= TOKF_ELSE_NL;
        break;
    default:
        break;
    }
    return tk;
}

static Ast *parse(const char *path, const char *source, size_t len, int *incomplete, int repl) {
    Ast *ast = ast_new(path, source, len);
    ParseCtx *c = calloc(1, sizeof *c);
    if (!c) {
        fputs("fatal error: out of memory\n", stderr);
        exit(2);
    }
    c->ast = ast;
    c->repl = repl;
    c->diag0 = diag_count();
    c->file = ast_node(ast, AST_FILE, 1, 1);
    c->frames[0].kind = FR_TOP;
    c->nframes = 1;
    lex_init(&c->lex, ast->path, ast->source, ast->source_len);

    void *parser = csp_parseAlloc(malloc, c);
    if (!parser) {
        fputs("fatal error: out of memory\n", stderr);
        exit(2);
    }
#ifndef NDEBUG
    /* CSP_PARSE_TRACE=1 prints every shift and reduce (debugging aid) */
    if (getenv("CSP_PARSE_TRACE")) csp_parseTrace(stderr, (char *)"parse: ");
#endif
    int mode = repl ? TK_MODE_REPL : TK_MODE_FILE;
    Tok start = {.line = 1, .col = 1, .text = ast->source};
    c->cur = c->prev = start;
    c->cur_tk = c->prev_tk = c->before_prev_tk = mode;
    p_feed(parser, c, mode, start);

    while (!c->abort && !diag_too_many()) {
        Tok t;
        int tk = lex_next(&c->lex, &t);
        if (diag_too_many()) break;
        tk = drive(c, tk, &t);
        if (c->abort) break;
        if (tk < 0) continue;
        if (tk == TK_IDENT) {
            t.str = ast_strdup(ast, t.text, t.textlen);
            t.len = t.textlen;
        } else if (tk == TK_STRING) {
            t.str = ast_strdup(ast, t.str, t.len);
        }
        c->cur = t;
        c->cur_tk = tk;
        p_feed(parser, c, tk, t);
        if (tk == 0) break;
        c->before_prev_tk = c->prev_tk;
        c->prev = t;
        c->prev_tk = tk;
    }
    csp_parseFree(parser, free);
    lex_free(&c->lex);

    int nerr = diag_count() - c->diag0;
    ast->nerrors = nerr;
    if (nerr == 0 && !c->failed) {
        int d = 0;
        for (int i = 0; i < c->file->list.len; i++)
            if (c->file->list.items[i]->depth > d) d = c->file->list.items[i]->depth;
        c->file->depth = d + 1;
        ast->root = c->file;
    }
    if (incomplete) *incomplete = nerr == 1 && (c->lex.eof_error || c->eof_error);
    free(c);
    return ast;
}

Ast *ast_parse(const char *path, const char *source, size_t len, int *incomplete) {
    return parse(path, source, len, incomplete, 0);
}

Ast *ast_parse_repl(const char *path, const char *source, size_t len, int *incomplete) {
    return parse(path, source, len, incomplete, 1);
}
