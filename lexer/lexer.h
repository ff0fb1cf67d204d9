/*
 * lexer.h — csp's tokenizer (lexer/lexer.re, compiled by re2c).
 *
 * The lexer turns a NUL-terminated in-memory buffer into tokens, one per
 * lex_next() call, with Go's automatic semicolon insertion: a newline (or
 * a block comment spanning lines, or the end of input) after an
 * identifier, a literal, `true false nil break continue return`, `++ --`
 * or `) ] }` yields a TK_SEMI token flagged TOKF_NEWLINE (or TOKF_EOF).
 *
 * Lexical errors are reported through diag_error() as they are found; the
 * lexer then carries on (skipping the bad character, or producing a token
 * with a best-effort value) so that one run reports every mistake.
 *
 * Token type numbers are the TK_* constants of the generated grammar.h; 0
 * is the end of input.
 */
#ifndef CSP_LEXER_H
#define CSP_LEXER_H

#include <stddef.h>
#include <stdint.h>

/* Tok.flags */
enum {
    TOKF_NEWLINE = 1 << 0,  /* TK_SEMI inserted at a newline */
    TOKF_EOF     = 1 << 1,  /* TK_SEMI inserted at the end of input */
    TOKF_CHAR    = 1 << 2,  /* TK_INT written as a character literal */
    TOKF_MININT  = 1 << 3,  /* TK_INT 9223372036854775808: valid only after unary '-' */
    TOKF_BAD     = 1 << 4,  /* a lexical error was reported for this token */
};

/* One token. It is also the parser's terminal value (%token_type). */
typedef struct Tok {
    int line, col;          /* 1-based position of the first byte (columns count bytes) */
    int flags;              /* TOKF_* */
    int op;                 /* TK_OPASSIGN: the binary operator (TK_PLUS for +=) */
    const char *text;       /* the token's bytes in the source */
    size_t textlen;
    const char *str;        /* TK_STRING: decoded bytes (valid until the next lex_next) */
    size_t len;
    int64_t ival;           /* TK_INT */
    double fval;            /* TK_FLOAT */
} Tok;

typedef struct Lexer {
    const char *path;       /* for messages */
    const char *src;        /* src[len] must be '\0' (the end-of-input sentinel) */
    size_t len;
    const unsigned char *cur, *lim, *mark, *tok;  /* re2c cursor, limit, marker, token start */
    const unsigned char *line_start;              /* first byte of the current line */
    int line;
    int semi;               /* the last token asks for a semicolon at a newline */
    int done;               /* end of input returned */
    int nerrors;            /* lexical errors reported */
    int eof_error;          /* an error was "input ended inside a literal or comment" */
    int last_error_line;    /* line of the most recent lexical error (0: none) */
    char *buf;              /* scratch for decoded string literals */
    size_t buflen, bufcap;
} Lexer;

/* src must stay valid and be NUL-terminated at src[len]; NUL bytes before
 * src[len] are reported as errors, not taken as the end. */
void lex_init(Lexer *l, const char *path, const char *src, size_t len);
/* Fills *t and returns its type (TK_*), or 0 at the end of input (t then
 * holds the end position). */
int lex_next(Lexer *l, Tok *t);
void lex_free(Lexer *l);

/* "if", "chan"...: the keyword's token type, or 0 when s is not a keyword. */
int lex_keyword(const char *s, size_t n);

#endif
