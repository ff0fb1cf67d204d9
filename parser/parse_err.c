/*
 * parse_err.c — syntax error messages.
 *
 * Lemon calls p_syntax_error with the token it could not take and the set
 * of tokens it could have taken instead (computed in grammar.y from the
 * stack as it was before the token arrived). The message names what was
 * found (`newline`, `end of file`, `identifier 'foo'`, `keyword 'else'`,
 * `literal 3`, `'}'`) and, where it is short and clear, what was
 * expected: `expected expression`, `expected ',' or ')'`, or the Go-style
 * `unexpected X at end of statement`.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "grammar.h"
#include "parser/diag.h"
#include "parser/parse_int.h"

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
