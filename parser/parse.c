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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "parser/diag.h"
#include "parser/parse_int.h"

/* Lemon's generated interface (build/gen/grammar.c). */
void *csp_parseAlloc(void *(*alloc)(size_t), ParseCtx *ctx);
void csp_parse(void *p, int major, Tok minor);
void csp_parseFree(void *p, void (*dealloc)(void *));
#ifndef NDEBUG
void csp_parseTrace(FILE *out, char *prefix);
#endif

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

Ast *ast_parse_prompt(const char *path, const char *source, size_t len, int *incomplete) {
    /* The report is held back until it is known whether the input was
     * merely incomplete: then the REPL asks for more and prints nothing. */
    FILE *sink = diag_sink_get();
    char *held = NULL;
    size_t nheld = 0;
    FILE *hold = open_memstream(&held, &nheld);
    if (hold) diag_set_sink(hold);
    int inc = 0;
    Ast *ast = parse(path, source, len, &inc, 1);
    if (hold) {
        fclose(hold);
        diag_set_sink(sink == stderr ? NULL : sink);
        if (!inc && nheld) {
            fwrite(held, 1, nheld, sink);
            fflush(sink);
        }
        free(held);
    }
    if (incomplete) *incomplete = inc;
    return ast;
}
