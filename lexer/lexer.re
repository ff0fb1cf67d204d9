/*
 * lexer.re — csp's tokenizer, compiled to build/gen/lexer.c by re2c.
 *
 * Input is one in-memory buffer with a NUL sentinel at src[len]. re2c's
 * end-of-input rule (`$`, re2c:eof) fires only when the cursor reaches
 * that limit, so a NUL byte inside the text is an ordinary (invalid)
 * character and is reported, never mistaken for the end.
 *
 * The main scanner (lex_next) recognises one token per match. String,
 * character and raw-string literals and comments are scanned piece by
 * piece by their own small scanners, which decode escapes into a scratch
 * buffer (l->buf), validate UTF-8, and keep line numbers right across
 * newlines. Every scanner's pieces are bounded by the input and advance
 * at least one byte, so lexing is linear in the input size.
 *
 * Semicolon insertion (LANGUAGE.md §1, as in Go): l->semi records whether
 * the last token was one after which a newline ends the statement; a
 * newline, a block comment containing a newline, or the end of input then
 * yields TK_SEMI flagged TOKF_NEWLINE or TOKF_EOF, so the parser can name
 * it `newline` or `end of file` in messages.
 */
#include "lexer/lexer.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "parser/diag.h"

/*!re2c
  re2c:define:YYCTYPE = "unsigned char";
  re2c:define:YYCURSOR = "l->cur";
  re2c:define:YYMARKER = "l->mark";
  re2c:define:YYLIMIT = "l->lim";
  re2c:yyfill:enable = 0;
  re2c:eof = 0;

  dec    = [0-9];
  hexd   = [0-9a-fA-F];
  decs   = dec ("_"? dec)*;
  hexds  = hexd ("_"? hexd)*;
  alnum_ = [0-9a-zA-Z_];

  decimal_lit = "0" | [1-9] ("_"? dec)*;
  hex_lit     = "0" [xX] ("_"? hexd)+;
  octal_lit   = "0" [oO] ("_"? [0-7])+;
  legacy_oct  = "0" ("_"? [0-7])+;
  binary_lit  = "0" [bB] ("_"? [01])+;

  dec_exp     = [eE] [+-]? decs;
  dec_float   = decs "." decs? dec_exp? | decs dec_exp | "." decs dec_exp?;
  hex_mant    = "_"? hexds "." hexds? | "_"? hexds | "." hexds;
  hex_float   = "0" [xX] hex_mant [pP] [+-]? decs;

  // Anything that starts like a number but is no valid literal: matched
  // when it is longer than the longest valid prefix, so `0x`, `1_`, `08`,
  // `0b102`, `1e+` and `0x1.8` are one error each rather than a cascade.
  bad_num     = dec alnum_* ("." alnum_*)? | "." dec alnum_*
              | ([0-9_]+ ("." [0-9_]*)? | "." [0-9_]+) [eE] [+-] alnum_*;

  ident = [a-zA-Z_] [a-zA-Z0-9_]*;

  u8_2 = [\xc2-\xdf] [\x80-\xbf];
  u8_3 = "\xe0" [\xa0-\xbf] [\x80-\xbf] | [\xe1-\xec\xee\xef] [\x80-\xbf]{2}
       | "\xed" [\x80-\x9f] [\x80-\xbf];
  u8_4 = "\xf0" [\x90-\xbf] [\x80-\xbf]{2} | [\xf1-\xf3] [\x80-\xbf]{3}
       | "\xf4" [\x80-\x8f] [\x80-\xbf]{2};
  utf8 = u8_2 | u8_3 | u8_4;
*/

/* ---- helpers ------------------------------------------------------------ */

static int col_of(const Lexer *l, const unsigned char *p) {
    return (int)(p - l->line_start) + 1;
}

/* Reports a lexical error at byte p of the current line. */
#define LEX_ERR(l, p, ...)                                                    \
    do {                                                                      \
        (l)->nerrors++;                                                       \
        (l)->last_error_line = (l)->line;                                     \
        diag_error((l)->path, (l)->src, (l)->len, (l)->line, col_of((l), (p)), \
                   __VA_ARGS__);                                              \
    } while (0)

static void newline_at(Lexer *l, const unsigned char *nl) {
    l->line++;
    l->line_start = nl + 1;
}

static void buf_reserve(Lexer *l, size_t n) {
    if (l->buflen + n <= l->bufcap) return;
    size_t cap = l->bufcap ? l->bufcap : 256;
    while (cap < l->buflen + n) cap *= 2;
    char *nb = realloc(l->buf, cap);
    if (!nb) {
        fputs("fatal error: out of memory\n", stderr);
        exit(2);
    }
    l->buf = nb;
    l->bufcap = cap;
}

static void buf_add(Lexer *l, const void *p, size_t n) {
    buf_reserve(l, n);
    memcpy(l->buf + l->buflen, p, n);
    l->buflen += n;
}

static void buf_utf8(Lexer *l, uint32_t cp) {
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp; n = 1;
    } else if (cp < 0x800) {
        b[0] = 0xc0 | (cp >> 6); b[1] = 0x80 | (cp & 0x3f); n = 2;
    } else if (cp < 0x10000) {
        b[0] = 0xe0 | (cp >> 12); b[1] = 0x80 | ((cp >> 6) & 0x3f);
        b[2] = 0x80 | (cp & 0x3f); n = 3;
    } else {
        b[0] = 0xf0 | (cp >> 18); b[1] = 0x80 | ((cp >> 12) & 0x3f);
        b[2] = 0x80 | ((cp >> 6) & 0x3f); b[3] = 0x80 | (cp & 0x3f); n = 4;
    }
    buf_add(l, b, n);
}

/* Decodes one already validated UTF-8 sequence of n bytes. */
static uint32_t utf8_decode(const unsigned char *p, size_t n) {
    switch (n) {
    case 1: return p[0];
    case 2: return ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
    case 3: return ((uint32_t)(p[0] & 0x0f) << 12) | ((uint32_t)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
    default:
        return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3f) << 12) |
               ((uint32_t)(p[2] & 0x3f) << 6) | (p[3] & 0x3f);
    }
}

static uint32_t hexval(const unsigned char *p, int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; i++) {
        unsigned c = p[i];
        v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

/* Length of the valid UTF-8 sequence at p (within lim), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *lim) {
    size_t avail = (size_t)(lim - p);
    unsigned c = p[0];
    size_t n;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) n = 3;
    else if (c >= 0xf0 && c <= 0xf4) n = 4;
    else return 0;
    if (n > avail) return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80) return 0;
    uint32_t cp = utf8_decode(p, n);
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

int lex_keyword(const char *s, size_t n) {
    static const struct { const char *name; int tok; } kw[] = {
        {"break", TK_BREAK},       {"case", TK_CASE},     {"chan", TK_CHAN},
        {"const", TK_CONST},       {"continue", TK_CONTINUE},
        {"default", TK_DEFAULT},   {"defer", TK_DEFER},   {"else", TK_ELSE},
        {"false", TK_FALSE},       {"for", TK_FOR},       {"func", TK_FUNC},
        {"go", TK_GO},             {"if", TK_IF},         {"import", TK_IMPORT},
        {"nil", TK_NIL},           {"range", TK_RANGE},   {"return", TK_RETURN},
        {"select", TK_SELECT},     {"switch", TK_SWITCH}, {"true", TK_TRUE},
        {"var", TK_VAR},
    };
    if (n < 2 || n > 8) return 0;
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strlen(kw[i].name) == n && memcmp(kw[i].name, s, n) == 0) return kw[i].tok;
    return 0;
}

/* ---- literals with escapes ------------------------------------------------ */

/* Scans the rest of a "..." string or '...' character literal whose
 * opening quote has been consumed, decoding into l->buf. Returns the
 * number of characters decoded (escapes count as one); *last gets the
 * value of the last one (a code point, or the byte of a \x / octal
 * escape). On an unterminated literal reports `what` and returns -1. */
static long lex_quoted(Lexer *l, unsigned char quote, const unsigned char *start,
                       const char *what, uint32_t *last) {
    long n = 0;
    l->buflen = 0;
    *last = 0;
    for (;;) {
        const unsigned char *p = l->cur;
    /*!re2c
      $ {
          LEX_ERR(l, start, "unterminated %s", what);
          l->eof_error = 1;
          return -1;
      }
      "\n" {
          l->cur = p;   /* the newline still ends the line (and the statement) */
          LEX_ERR(l, start, "unterminated %s", what);
          return -1;
      }
      ["'] {
          if (*p == quote) return n;
          buf_add(l, p, 1); *last = *p; n++;
          continue;
      }
      "\\" [abfnrtv\\'"] {
          static const char from[] = "abfnrtv\\'\"", to[] = "\a\b\f\n\r\t\v\\'\"";
          char c = to[strchr(from, p[1]) - from];
          buf_add(l, &c, 1); *last = (unsigned char)c; n++;
          continue;
      }
      "\\x" hexd{2} {
          unsigned char c = (unsigned char)hexval(p + 2, 2);
          buf_add(l, &c, 1); *last = c; n++;
          continue;
      }
      "\\" [0-7]{3} {
          uint32_t v = (uint32_t)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
          if (v > 255) LEX_ERR(l, p, "octal escape value %u > 255", v);
          unsigned char c = (unsigned char)v;
          buf_add(l, &c, 1); *last = c; n++;
          continue;
      }
      "\\u" hexd{4} | "\\U" hexd{8} {
          uint32_t cp = hexval(p + 2, p[1] == 'u' ? 4 : 8);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
              LEX_ERR(l, p, "escape sequence is invalid Unicode code point U+%04X", cp);
              cp = 0xfffd;
          }
          buf_utf8(l, cp); *last = cp; n++;
          continue;
      }
      "\\" [xuU0-7] {
          /* too few digits: report what is there, up to the first non-digit */
          int octal = p[1] >= '0' && p[1] <= '7';
          long max = p[1] == 'x' ? 4 : p[1] == 'u' ? 6 : p[1] == 'U' ? 10 : 4;
          const unsigned char *e = l->cur;
          while (e < l->lim && e - p < max &&
                 (octal ? (*e >= '0' && *e <= '7')
                        : ((*e >= '0' && *e <= '9') || ((*e | 0x20) >= 'a' && (*e | 0x20) <= 'f'))))
              e++;
          LEX_ERR(l, p, "invalid escape sequence '%.*s'", (int)(e - p), (const char *)p);
          l->cur = e; n++;
          continue;
      }
      "\\" {
          /* name the character after the backslash; a newline or the end
           * are left for the rules above */
          size_t k = l->cur < l->lim ? utf8_len(l->cur, l->lim) : 0;
          if (l->cur < l->lim && *l->cur == '\n') k = 0;
          if (k > 0 && *l->cur >= 0x20 && *l->cur != 0x7f) {
              LEX_ERR(l, p, "unknown escape sequence '\\%.*s'", (int)k, (const char *)l->cur);
              l->cur += k;
          } else {
              LEX_ERR(l, p, "unknown escape sequence");
          }
          n++;
          continue;
      }
      [^"'\\\n\x00\x80-\xff] { buf_add(l, p, 1); *last = *p; n++; continue; }
      utf8 {
          size_t k = (size_t)(l->cur - p);
          buf_add(l, p, k); *last = utf8_decode(p, k); n++;
          continue;
      }
      "\x00" { LEX_ERR(l, p, "invalid NUL character"); n++; continue; }
      * { LEX_ERR(l, p, "invalid UTF-8 encoding"); buf_add(l, p, 1); *last = 0xfffd; n++; continue; }
    */
    }
}

/* Scans the rest of a raw string after its opening backquote. Carriage
 * returns are dropped, as in Go. Returns 0, or -1 when unterminated. */
static int lex_raw(Lexer *l, int sline, int scol) {
    l->buflen = 0;
    for (;;) {
        const unsigned char *p = l->cur;
    /*!re2c
      $ {
          l->nerrors++;
          l->eof_error = 1;
          l->last_error_line = l->line;
          diag_error(l->path, l->src, l->len, sline, scol, "unterminated raw string literal");
          return -1;
      }
      "`" { return 0; }
      "\r" { continue; }
      "\n" { buf_add(l, p, 1); newline_at(l, p); continue; }
      [^`\r\n\x00\x80-\xff]+ { buf_add(l, p, (size_t)(l->cur - p)); continue; }
      utf8 { buf_add(l, p, (size_t)(l->cur - p)); continue; }
      "\x00" { LEX_ERR(l, p, "invalid NUL character"); continue; }
      * { LEX_ERR(l, p, "invalid UTF-8 encoding"); buf_add(l, p, 1); continue; }
    */
    }
}

/* Skips the rest of a block comment. Returns 1 if it spans a newline, 0
 * if not, -1 if it is unterminated. */
static int lex_block_comment(Lexer *l, int sline, int scol) {
    int nl = 0;
    for (;;) {
        const unsigned char *p = l->cur;
    /*!re2c
      $ {
          l->nerrors++;
          l->eof_error = 1;
          l->last_error_line = l->line;
          diag_error(l->path, l->src, l->len, sline, scol, "unterminated comment");
          return -1;
      }
      "*/" { return nl; }
      "\n" { newline_at(l, p); nl = 1; continue; }
      [^*\n\x00\x80-\xff]+ | "*" { continue; }
      utf8 { continue; }
      "\x00" { LEX_ERR(l, p, "invalid NUL character"); continue; }
      * { LEX_ERR(l, p, "invalid UTF-8 encoding"); continue; }
    */
    }
}

/* Skips the rest of a line comment, up to (not including) the newline. */
static void lex_line_comment(Lexer *l) {
    for (;;) {
        const unsigned char *p = l->cur;
    /*!re2c
      $ { return; }
      "\n" { l->cur = p; return; }
      [^\n\x00\x80-\xff]+ { continue; }
      utf8 { continue; }
      "\x00" { LEX_ERR(l, p, "invalid NUL character"); continue; }
      * { LEX_ERR(l, p, "invalid UTF-8 encoding"); continue; }
    */
    }
}

/* ---- numbers ------------------------------------------------------------- */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void make_c_locale(void) { c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0); }

/* Copies the token text without '_' separators into l->buf (NUL-terminated). */
static const char *strip_underscores(Lexer *l) {
    l->buflen = 0;
    buf_reserve(l, (size_t)(l->cur - l->tok) + 1);
    for (const unsigned char *p = l->tok; p < l->cur; p++)
        if (*p != '_') l->buf[l->buflen++] = (char)*p;
    l->buf[l->buflen] = 0;
    return l->buf;
}

static int lex_int(Lexer *l, Tok *t) {
    const char *s = strip_underscores(l);
    unsigned base = 10;
    if (s[0] == '0' && s[1]) {
        switch (s[1] | 0x20) {
        case 'x': base = 16; s += 2; break;
        case 'o': base = 8; s += 2; break;
        case 'b': base = 2; s += 2; break;
        default: base = 8; s += 1; break;  /* Go's legacy octal: 0755 */
        }
    }
    uint64_t v = 0;
    int over = 0;
    for (; *s; s++) {
        unsigned c = (unsigned char)*s;
        unsigned d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        if (v > (UINT64_MAX - d) / base) over = 1;
        v = v * base + d;
    }
    if (over || v > (uint64_t)INT64_MAX + 1) {
        LEX_ERR(l, l->tok, "integer literal overflows int");
        t->flags |= TOKF_BAD;
        v = 0;
    } else if (v == (uint64_t)INT64_MAX + 1) {
        t->flags |= TOKF_MININT;   /* the parser accepts it only after '-' */
        v = (uint64_t)INT64_MIN;
    }
    t->ival = (int64_t)v;
    return TK_INT;
}

static int lex_float(Lexer *l, Tok *t) {
    const char *s = strip_underscores(l);
    pthread_once(&c_locale_once, make_c_locale);
    errno = 0;
    double d = c_locale ? strtod_l(s, NULL, c_locale) : strtod(s, NULL);
    if (errno == ERANGE && (d > 1 || d < -1)) {
        LEX_ERR(l, l->tok, "floating-point literal overflows float");
        t->flags |= TOKF_BAD;
        d = 0;
    }
    t->fval = d;
    return TK_FLOAT;
}

/* ---- the main scanner ---------------------------------------------------- */

void lex_init(Lexer *l, const char *path, const char *src, size_t len) {
    memset(l, 0, sizeof *l);
    l->path = path;
    l->src = src;
    l->len = len;
    l->cur = (const unsigned char *)src;
    l->lim = l->cur + len;
    l->line_start = l->cur;
    l->line = 1;
    /* a byte order mark at the start is ignored, as in Go */
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) l->cur += 3;
}

void lex_free(Lexer *l) {
    free(l->buf);
    l->buf = NULL;
    l->bufcap = l->buflen = 0;
}

/* The position of the end of input for messages: right after the last
 * character of the last non-empty line. */
static void eof_position(Lexer *l, Tok *t) {
    const unsigned char *s = (const unsigned char *)l->src, *e = l->lim;
    if (e > s && e[-1] == '\n') {
        const unsigned char *ls = e - 1;
        while (ls > s && ls[-1] != '\n') ls--;
        t->line = l->line - 1;
        t->col = (int)(e - 1 - ls) + 1;
    } else {
        t->line = l->line;
        t->col = col_of(l, e);
    }
}

/* Tokens after which a newline inserts a semicolon. */
static int ends_statement(int tk) {
    switch (tk) {
    case TK_IDENT: case TK_INT: case TK_FLOAT: case TK_STRING:
    case TK_TRUE: case TK_FALSE: case TK_NIL:
    case TK_BREAK: case TK_CONTINUE: case TK_RETURN:
    case TK_INC: case TK_DEC: case TK_RPAREN: case TK_RBRACK: case TK_RBRACE:
        return 1;
    default:
        return 0;
    }
}

static int semi_here(Lexer *l, Tok *t, const unsigned char *p, int flag) {
    l->semi = 0;
    t->line = l->line;
    t->col = col_of(l, p);
    t->text = (const char *)p;
    t->textlen = 0;
    t->flags = flag;
    return TK_SEMI;
}

static int lex_scan(Lexer *l, Tok *t);

int lex_next(Lexer *l, Tok *t) {
    memset(t, 0, sizeof *t);
    int tk = lex_scan(l, t);
    if (tk != TK_SEMI || !(t->flags & (TOKF_NEWLINE | TOKF_EOF)))
        l->semi = ends_statement(tk);
    return tk;
}

#define TOKEN(tk)                                                 \
    do {                                                          \
        t->text = (const char *)l->tok;                           \
        t->textlen = (size_t)(l->cur - l->tok);                   \
        return (tk);                                              \
    } while (0)
#define OPASSIGN(binop) do { t->op = (binop); TOKEN(TK_OPASSIGN); } while (0)

static int lex_scan(Lexer *l, Tok *t) {
    for (;;) {
        l->tok = l->cur;
        t->line = l->line;
        t->col = col_of(l, l->cur);
    /*!re2c
      $ {
          if (l->semi) {
              eof_position(l, t);
              l->semi = 0;
              t->text = (const char *)l->cur;
              t->flags = TOKF_EOF;
              return TK_SEMI;
          }
          l->done = 1;
          eof_position(l, t);
          t->text = (const char *)l->cur;
          return 0;
      }

      [ \t\r\f\v]+ { continue; }
      "\n" {
          if (l->semi) {
              int tk = semi_here(l, t, l->tok, TOKF_NEWLINE);
              newline_at(l, l->tok);
              return tk;
          }
          newline_at(l, l->tok);
          continue;
      }
      "//" { lex_line_comment(l); continue; }
      "/*" {
          const unsigned char *p = l->tok;
          int sline = l->line, scol = col_of(l, p);
          int r = lex_block_comment(l, sline, scol);
          if (r == 1 && l->semi) {
              /* a comment spanning lines acts like a newline */
              l->semi = 0;
              t->line = sline; t->col = scol;
              t->text = (const char *)p;
              t->flags = TOKF_NEWLINE;
              return TK_SEMI;
          }
          continue;
      }

      ident {
          size_t n = (size_t)(l->cur - l->tok);
          int kw = lex_keyword((const char *)l->tok, n);
          TOKEN(kw ? kw : TK_IDENT);
      }

      decimal_lit | hex_lit | octal_lit | legacy_oct | binary_lit {
          int tk = lex_int(l, t);
          TOKEN(tk);
      }
      dec_float | hex_float {
          int tk = lex_float(l, t);
          TOKEN(tk);
      }
      bad_num {
          LEX_ERR(l, l->tok, "invalid number literal '%.*s'",
                  (int)(l->cur - l->tok > 40 ? 40 : l->cur - l->tok), (const char *)l->tok);
          t->flags |= TOKF_BAD;
          TOKEN(TK_INT);
      }

      "\"" {
          uint32_t last;
          if (lex_quoted(l, '"', l->tok, "string literal", &last) < 0) t->flags |= TOKF_BAD;
          t->str = l->buf;
          t->len = l->buflen;
          TOKEN(TK_STRING);
      }
      "`" {
          if (lex_raw(l, t->line, t->col) < 0) t->flags |= TOKF_BAD;
          t->str = l->buf;
          t->len = l->buflen;
          TOKEN(TK_STRING);
      }
      "'" {
          uint32_t last;
          const unsigned char *start = l->tok;
          long n = lex_quoted(l, '\'', start, "character literal", &last);
          t->flags |= TOKF_CHAR;
          if (n == 0) {
              LEX_ERR(l, start, "empty character literal");
              t->flags |= TOKF_BAD;
          } else if (n > 1) {
              LEX_ERR(l, start, "invalid character literal (more than one character)");
              t->flags |= TOKF_BAD;
          } else if (n < 0) {
              t->flags |= TOKF_BAD;
          }
          t->ival = n == 1 ? (int64_t)last : 0;
          TOKEN(TK_INT);
      }

      "+"   { TOKEN(TK_PLUS); }
      "-"   { TOKEN(TK_MINUS); }
      "*"   { TOKEN(TK_STAR); }
      "/"   { TOKEN(TK_SLASH); }
      "%"   { TOKEN(TK_PERCENT); }
      "&"   { TOKEN(TK_AMP); }
      "|"   { TOKEN(TK_PIPE); }
      "^"   { TOKEN(TK_CARET); }
      "<<"  { TOKEN(TK_SHL); }
      ">>"  { TOKEN(TK_SHR); }
      "&^"  { TOKEN(TK_ANDNOT); }
      "+="  { OPASSIGN(TK_PLUS); }
      "-="  { OPASSIGN(TK_MINUS); }
      "*="  { OPASSIGN(TK_STAR); }
      "/="  { OPASSIGN(TK_SLASH); }
      "%="  { OPASSIGN(TK_PERCENT); }
      "&="  { OPASSIGN(TK_AMP); }
      "|="  { OPASSIGN(TK_PIPE); }
      "^="  { OPASSIGN(TK_CARET); }
      "<<=" { OPASSIGN(TK_SHL); }
      ">>=" { OPASSIGN(TK_SHR); }
      "&^=" { OPASSIGN(TK_ANDNOT); }
      "&&"  { TOKEN(TK_ANDAND); }
      "||"  { TOKEN(TK_OROR); }
      "<-"  { TOKEN(TK_ARROW); }
      "++"  { TOKEN(TK_INC); }
      "--"  { TOKEN(TK_DEC); }
      "=="  { TOKEN(TK_EQ); }
      "!="  { TOKEN(TK_NE); }
      "<"   { TOKEN(TK_LT); }
      "<="  { TOKEN(TK_LE); }
      ">"   { TOKEN(TK_GT); }
      ">="  { TOKEN(TK_GE); }
      "!"   { TOKEN(TK_NOT); }
      "="   { TOKEN(TK_ASSIGN); }
      ":="  { TOKEN(TK_DEFINE); }
      "("   { TOKEN(TK_LPAREN); }
      ")"   { TOKEN(TK_RPAREN); }
      "["   { TOKEN(TK_LBRACK); }
      "]"   { TOKEN(TK_RBRACK); }
      "{"   { TOKEN(TK_LBRACE); }
      "}"   { TOKEN(TK_RBRACE); }
      ","   { TOKEN(TK_COMMA); }
      ";"   { TOKEN(TK_SEMI); }
      ":"   { TOKEN(TK_COLON); }
      "."   { TOKEN(TK_DOT); }
      "..." { TOKEN(TK_ELLIPSIS); }

      "\x00" { LEX_ERR(l, l->tok, "invalid NUL character"); continue; }
      utf8 {
          size_t n = (size_t)(l->cur - l->tok);
          LEX_ERR(l, l->tok, "invalid character U+%04X '%.*s'",
                  utf8_decode(l->tok, n), (int)n, (const char *)l->tok);
          continue;
      }
      * {
          unsigned c = *l->tok;
          if (c >= 0x80)
              LEX_ERR(l, l->tok, "invalid UTF-8 encoding");
          else if (c < 0x20 || c == 0x7f)
              LEX_ERR(l, l->tok, "invalid character U+%04X", c);
          else
              LEX_ERR(l, l->tok, "invalid character U+%04X '%c'", c, (int)c);
          continue;
      }
    */
    }
}
