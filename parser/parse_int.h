/*
 * parse_int.h — what the generated parser (grammar.y) and the parse
 * driver (parse.c) share. Not for use outside parser/.
 */
#ifndef CSP_PARSE_INT_H
#define CSP_PARSE_INT_H

#include "lexer/lexer.h"
#include "parser/ast.h"

/* Open brackets the token driver tracks (see parse.c). The deepest
 * nesting accepted is PARSE_MAX_NEST brackets. */
#define PARSE_MAX_NEST AST_MAX_DEPTH

enum { FR_TOP, FR_BODY, FR_MAP, FR_PAREN, FR_BRACK };   /* Frame.kind */
enum { HDR_NONE, HDR_IF, HDR_FOR, HDR_SWITCH };         /* Frame.header */

typedef struct Frame {
    unsigned char kind;         /* FR_* */
    unsigned char header;       /* HDR_*: in that statement's header, before its '{' */
    unsigned char func_pending; /* `func` seen: the next '(' opens a parameter list */
    unsigned char func_params;  /* this '(' is a parameter list */
    unsigned char func_body;    /* a parameter list just closed: a '{' now opens the body */
} Frame;

typedef struct ParseCtx {
    Ast *ast;
    Lexer lex;
    int repl;                   /* parsing for the REPL: statements allowed at top level */
    Node *file;                 /* the AST_FILE being filled */

    Frame frames[PARSE_MAX_NEST + 1];
    int nframes;

    int body_header;            /* HDR_* of the header the last LBODY ended (rule 2 in parse.c) */
    Tok cur, prev;              /* the token being parsed and the one before */
    int cur_tk, prev_tk, before_prev_tk;

    /* The top of the parser's stack before the current token was fed:
     * Lemon's default reductions may already have shrunk the stack when
     * an error is detected, and the set of tokens that were acceptable is
     * computed from this snapshot (see parse_expected in grammar.y). */
    unsigned snap[32];
    int snap_depth, snap_k;

    int diag0;                  /* diag_count() when the parse began */
    int failed;                 /* a syntax error happened (reported or not) */
    int eof_error;              /* a syntax error was reported at the end of input */
    int abort;                  /* stop parsing: nesting too deep, or unrecoverable */
} ParseCtx;

/* Internal node flags, never visible outside the parser. */
enum {
    P_MININT = 1 << 14,   /* INT 9223372036854775808, legal only under unary '-' */
    P_GROUP  = 1 << 15,   /* an EMPTY node carrying a const/import group */
};

/* Tok flag set by the driver on an `else` that starts a line after '}'. */
#define TOKF_ELSE_NL (1 << 8)

/* A new Ast holding copies of path and source (parser/ast.c). */
Ast *ast_new(const char *path, const char *source, size_t len);

/* Feeds one token to the parser, snapshotting its stack top first. */
void p_feed(void *parser, ParseCtx *c, int tk, Tok t);

/* Error at a position; counts. */
void p_error(ParseCtx *c, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* %syntax_error: `expected[t]` is non-zero for each terminal t that the
 * parser could accept in place of `major`. */
void p_syntax_error(ParseCtx *c, int major, const Tok *t, const unsigned char *expected, int ntokens);
void p_stack_overflow(ParseCtx *c);
/* An `else` where a statement starts: reported, then parsed as if it
 * belonged to the if before it, so the braces stay balanced. */
void p_stray_else(ParseCtx *c, const Tok *t);

/* Node construction for the grammar's actions. p_fin computes a node's
 * depth and enforces AST_MAX_DEPTH; every constructor below calls it. */
Node *p_new(ParseCtx *c, AstKind k, const Tok *at);
Node *p_new_at(ParseCtx *c, AstKind k, const Node *at);
Node *p_fin(ParseCtx *c, Node *n);
Node *p_leaf(ParseCtx *c, AstKind k, const Tok *t);   /* NIL TRUE FALSE INT FLOAT STRING IDENT */
Node *p_binary(ParseCtx *c, int op, Node *a, Node *b);
Node *p_logic(ParseCtx *c, AstKind k, Node *a, Node *b);
Node *p_unary(ParseCtx *c, const Tok *t, int op, Node *a);
Node *p_recv(ParseCtx *c, const Tok *t, Node *a);
Node *p_kid(ParseCtx *c, AstKind k, const Node *at, Node *a, Node *b);  /* at's position, children a b */
Node *p_define(ParseCtx *c, NodeList lhs, NodeList rhs);
Node *p_go(ParseCtx *c, AstKind k, const Tok *t, Node *call);
Node *p_labeled(ParseCtx *c, const Tok *label, Node *stmt);
Node *p_comm(ParseCtx *c, Node *stmt);   /* checks a select case's communication */
NodeList p_list1(ParseCtx *c, Node *n);
/* Appends statement n to l; a `const ( ... )` group is spliced in. */
void p_stmt_push(ParseCtx *c, NodeList *l, Node *n);
/* Appends a top-level item to the file (a group is spliced in). */
void p_top(ParseCtx *c, Node *n);
/* A `const ( ... )` group: an AST_EMPTY carrier whose list holds the CONSTs. */
Node *p_group(ParseCtx *c, const Tok *t, NodeList specs);

#endif
