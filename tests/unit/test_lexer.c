/*
 * test_lexer.c — the tokenizer: token kinds, values, positions, semicolon
 * insertion, literal decoding, and the lexical error messages.
 *
 * Each case lexes a snippet into a one-line rendering of its tokens
 * (`IDENT(x) DEFINE INT(1) ;nl EOF`) and compares, or captures the error
 * report. Output ends with `N passed, N failed`.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar.h"
#include "lexer/lexer.h"
#include "parser/diag.h"

static int passed, failed;

static const char *tk_name(int tk) {
    static const struct { int tk; const char *name; } names[] = {
        {TK_SEMI, ";"}, {TK_COMMA, ","}, {TK_COLON, ":"}, {TK_DOT, "."}, {TK_ELLIPSIS, "..."},
        {TK_LPAREN, "("}, {TK_RPAREN, ")"}, {TK_LBRACK, "["}, {TK_RBRACK, "]"}, {TK_LBRACE, "{"},
        {TK_RBRACE, "}"}, {TK_ASSIGN, "="}, {TK_DEFINE, ":="}, {TK_OPASSIGN, "OPASSIGN"},
        {TK_OROR, "||"}, {TK_ANDAND, "&&"}, {TK_EQ, "=="}, {TK_NE, "!="}, {TK_LT, "<"},
        {TK_LE, "<="}, {TK_GT, ">"}, {TK_GE, ">="}, {TK_PLUS, "+"}, {TK_MINUS, "-"},
        {TK_PIPE, "|"}, {TK_CARET, "^"}, {TK_STAR, "*"}, {TK_SLASH, "/"}, {TK_PERCENT, "%"},
        {TK_SHL, "<<"}, {TK_SHR, ">>"}, {TK_AMP, "&"}, {TK_ANDNOT, "&^"}, {TK_NOT, "!"},
        {TK_ARROW, "<-"}, {TK_INC, "++"}, {TK_DEC, "--"}, {TK_IDENT, "IDENT"}, {TK_INT, "INT"},
        {TK_FLOAT, "FLOAT"}, {TK_STRING, "STRING"}, {TK_BREAK, "break"}, {TK_CASE, "case"},
        {TK_CHAN, "chan"}, {TK_CONST, "const"}, {TK_CONTINUE, "continue"}, {TK_DEFAULT, "default"},
        {TK_DEFER, "defer"}, {TK_ELSE, "else"}, {TK_FALSE, "false"}, {TK_FOR, "for"},
        {TK_FUNC, "func"}, {TK_GO, "go"}, {TK_IF, "if"}, {TK_IMPORT, "import"}, {TK_NIL, "nil"},
        {TK_RANGE, "range"}, {TK_RETURN, "return"}, {TK_SELECT, "select"}, {TK_SWITCH, "switch"},
        {TK_TRUE, "true"}, {TK_VAR, "var"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].tk == tk) return names[i].name;
    return "?";
}

/* Renders the tokens of src[0..len) into out; diagnostics into errs. */
static void lex_all(const char *src, size_t len, int with_pos, char *out, size_t outn,
                    char *errs, size_t errn) {
    char *copy = malloc(len + 1);
    memcpy(copy, src, len);
    copy[len] = 0;
    char *ebuf = NULL;
    size_t esize = 0;
    FILE *ef = open_memstream(&ebuf, &esize);
    diag_set_sink(ef);
    diag_reset();
    Lexer l;
    lex_init(&l, "t.csp", copy, len);
    size_t o = 0;
    out[0] = 0;
    for (int guard = 0; guard < 10000; guard++) {
        Tok t;
        int tk = lex_next(&l, &t);
        char one[256];
        if (tk == 0) snprintf(one, sizeof one, "EOF");
        else if (tk == TK_SEMI) snprintf(one, sizeof one, "%s", t.flags & TOKF_NEWLINE ? ";nl" : t.flags & TOKF_EOF ? ";eof" : ";");
        else if (tk == TK_IDENT) snprintf(one, sizeof one, "IDENT(%.*s)", (int)t.textlen, t.text);
        else if (tk == TK_INT) snprintf(one, sizeof one, "INT(%lld)", (long long)t.ival);
        else if (tk == TK_FLOAT) snprintf(one, sizeof one, "FLOAT(%g)", t.fval);
        else if (tk == TK_STRING) {
            int k = snprintf(one, sizeof one, "STRING(");
            for (size_t i = 0; i < t.len && k < 200; i++) {
                unsigned char c = (unsigned char)t.str[i];
                k += c >= 0x20 && c < 0x7f && c != '\\' ? snprintf(one + k, sizeof one - k, "%c", c)
                                                         : snprintf(one + k, sizeof one - k, "\\x%02x", c);
            }
            snprintf(one + k, sizeof one - k, ")");
        } else if (tk == TK_OPASSIGN) snprintf(one, sizeof one, "%s=", tk_name(t.op));
        else snprintf(one, sizeof one, "%s", tk_name(tk));
        if (with_pos) {
            size_t n = strlen(one);
            snprintf(one + n, sizeof one - n, "@%d:%d", t.line, t.col);
        }
        o += snprintf(out + o, outn - o, "%s%s", o ? " " : "", one);
        if (tk == 0 || o >= outn - 1) break;
    }
    lex_free(&l);
    fclose(ef);
    diag_set_sink(NULL);
    snprintf(errs, errn, "%s", ebuf ? ebuf : "");
    free(ebuf);
    free(copy);
}

static void check(const char *name, const char *got, const char *want) {
    if (strcmp(got, want) == 0) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s\n  want: %s\n  got:  %s\n", name, want, got);
    }
}

/* Tokens of src (no errors expected). */
static void toks(const char *src, const char *want) {
    char out[4096], errs[4096];
    lex_all(src, strlen(src), 0, out, sizeof out, errs, sizeof errs);
    check(src, out, want);
    check(src, errs, "");
}

static void toks_pos(const char *src, const char *want) {
    char out[4096], errs[4096];
    lex_all(src, strlen(src), 1, out, sizeof out, errs, sizeof errs);
    check(src, out, want);
}

/* The first line of the error report for src. */
static void err(const char *src, size_t len, const char *want) {
    char out[4096], errs[4096];
    lex_all(src, len ? len : strlen(src), 0, out, sizeof out, errs, sizeof errs);
    char *nl = strchr(errs, '\n');
    if (nl) *nl = 0;
    check(src, errs, want);
}

int main(void) {
    /* semicolon insertion */
    toks("x := 1\ny = 2\n", "IDENT(x) := INT(1) ;nl IDENT(y) = INT(2) ;nl EOF");
    toks("x := 1", "IDENT(x) := INT(1) ;eof EOF");
    toks("f(\n1,\n2,\n)\n", "IDENT(f) ( INT(1) , INT(2) , ) ;nl EOF");
    toks("x +\ny", "IDENT(x) + IDENT(y) ;eof EOF");
    toks("return\nbreak\ncontinue\nx++\ny--\n]\n}\ntrue\nfalse\nnil\n",
         "return ;nl break ;nl continue ;nl IDENT(x) ++ ;nl IDENT(y) -- ;nl ] ;nl } ;nl true ;nl "
         "false ;nl nil ;nl EOF");
    toks("if x {\n}\n", "if IDENT(x) { } ;nl EOF");
    toks("x // comment\ny", "IDENT(x) ;nl IDENT(y) ;eof EOF");
    toks("x /* a\nb */ y", "IDENT(x) ;nl IDENT(y) ;eof EOF");
    toks("x /* ab */ y", "IDENT(x) IDENT(y) ;eof EOF");
    toks("\"s\"\n'c'\n`r`\n1.5\n", "STRING(s) ;nl INT(99) ;nl STRING(r) ;nl FLOAT(1.5) ;nl EOF");
    toks("func\n(\n", "func ( EOF");

    /* operators */
    toks("+ - * / % & | ^ << >> &^ == != < <= > >= ! <- ++ -- && || = := , ; : . ...",
         "+ - * / % & | ^ << >> &^ == != < <= > >= ! <- ++ -- && || = := , ; : . ... EOF");
    toks("+= -= *= /= %= &= |= ^= <<= >>= &^=", "+= -= *= /= %= &= |= ^= <<= >>= &^= EOF");
    toks("a<-b <-c", "IDENT(a) <- IDENT(b) <- IDENT(c) ;eof EOF");

    /* keywords and identifiers */
    toks("break case chan const continue default defer else false for func go if import nil "
         "range return select switch true var",
         "break case chan const continue default defer else false for func go if import nil "
         "range return select switch true var EOF");
    toks("_ x1 _y iff forx Go", "IDENT(_) IDENT(x1) IDENT(_y) IDENT(iff) IDENT(forx) IDENT(Go) ;eof EOF");

    /* numbers */
    toks("0 42 0x2a 0X2A 0o52 0O52 0b101010 1_000_000 0x_2a 0755 0_7",
         "INT(0) INT(42) INT(42) INT(42) INT(42) INT(42) INT(42) INT(1000000) INT(42) INT(493) "
         "INT(7) ;eof EOF");
    toks("9223372036854775807", "INT(9223372036854775807) ;eof EOF");
    toks("3.14 1e9 2.5e-3 .5 1. 1_000.5 08.5 1E+2 0x1p-2 0x1.8p1",
         "FLOAT(3.14) FLOAT(1e+09) FLOAT(0.0025) FLOAT(0.5) FLOAT(1) FLOAT(1000.5) FLOAT(8.5) "
         "FLOAT(100) FLOAT(0.25) FLOAT(3) ;eof EOF");
    toks("0x1e+5", "INT(30) + INT(5) ;eof EOF");
    toks("x[1:]", "IDENT(x) [ INT(1) : ] ;eof EOF");

    /* characters and strings */
    toks("'a' '\\n' '\\x41' '\\u4e16' '\\U0001F600' '世' '\\'' '\\\\' '\"' '\\377'",
         "INT(97) INT(10) INT(65) INT(19990) INT(128512) INT(19990) INT(39) INT(92) INT(34) INT(255) "
         ";eof EOF");
    toks("\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\'\"", "STRING(\\x07\\x08\\x0c\\x0a\\x0d\\x09\\x0b\\x5c\"') ;eof EOF");
    toks("\"\\xff\\x00\\u00e9\\U0001F600\"", "STRING(\\xff\\x00\\xc3\\xa9\\xf0\\x9f\\x98\\x80) ;eof EOF");
    toks("\"世界\"", "STRING(\\xe4\\xb8\\x96\\xe7\\x95\\x8c) ;eof EOF");
    toks("`a\\n\r\nb`", "STRING(a\\x5cn\\x0ab) ;eof EOF");
    toks("\xEF\xBB\xBFx", "IDENT(x) ;eof EOF");

    /* positions */
    toks_pos("x := 1\n\tyy(\"s\")\n",
             "IDENT(x)@1:1 :=@1:3 INT(1)@1:6 ;nl@1:7 IDENT(yy)@2:2 (@2:4 STRING(s)@2:5 )@2:8 "
             ";nl@2:9 EOF@2:9");
    toks_pos("s := `a\nb` + x", "IDENT(s)@1:1 :=@1:3 STRING(a\\x0ab)@1:6 +@2:4 IDENT(x)@2:6 ;eof@2:7 EOF@2:7");
    toks_pos("", "EOF@1:1");

    /* errors */
    err("x @ y", 0, "t.csp:1:3: invalid character U+0040 '@'");
    err("x # y", 0, "t.csp:1:3: invalid character U+0023 '#'");
    err("x \x01", 0, "t.csp:1:3: invalid character U+0001");
    err("x := \xe4\xb8\x96", 0, "t.csp:1:6: invalid character U+4E16 '\xe4\xb8\x96'");
    err("x \xff", 0, "t.csp:1:3: invalid UTF-8 encoding");
    err("x \xc0\x80", 0, "t.csp:1:3: invalid UTF-8 encoding");
    err("\"a\xff" "b\"", 0, "t.csp:1:3: invalid UTF-8 encoding");
    err("\"\xed\xa0\x80\"", 0, "t.csp:1:2: invalid UTF-8 encoding");
    err("x \0 y", 5, "t.csp:1:3: invalid NUL character");
    err("\"a\0b\"", 5, "t.csp:1:3: invalid NUL character");
    err("// a\0b", 6, "t.csp:1:5: invalid NUL character");
    err("x := \"abc\ny", 0, "t.csp:1:6: unterminated string literal");
    err("x := \"abc", 0, "t.csp:1:6: unterminated string literal");
    err("x := `abc\n\n", 0, "t.csp:1:6: unterminated raw string literal");
    err("x /* abc\n", 0, "t.csp:1:3: unterminated comment");
    err("'a", 0, "t.csp:1:1: unterminated character literal");
    err("'ab'", 0, "t.csp:1:1: invalid character literal (more than one character)");
    err("''", 0, "t.csp:1:1: empty character literal");
    err("\"a\\qb\"", 0, "t.csp:1:3: unknown escape sequence '\\q'");
    err("\"\\x4g\"", 0, "t.csp:1:2: invalid escape sequence '\\x4'");
    err("\"\\u12\"", 0, "t.csp:1:2: invalid escape sequence '\\u12'");
    err("\"\\ud800\"", 0, "t.csp:1:2: escape sequence is invalid Unicode code point U+D800");
    err("\"\\U00110000\"", 0, "t.csp:1:2: escape sequence is invalid Unicode code point U+110000");
    err("\"\\400\"", 0, "t.csp:1:2: octal escape value 256 > 255");
    err("0x", 0, "t.csp:1:1: invalid number literal '0x'");
    err("1_", 0, "t.csp:1:1: invalid number literal '1_'");
    err("1__0", 0, "t.csp:1:1: invalid number literal '1__0'");
    err("08", 0, "t.csp:1:1: invalid number literal '08'");
    err("0b102", 0, "t.csp:1:1: invalid number literal '0b102'");
    err("1e+", 0, "t.csp:1:1: invalid number literal '1e+'");
    err("0x1.8", 0, "t.csp:1:1: invalid number literal '0x1.8'");
    err("12abc", 0, "t.csp:1:1: invalid number literal '12abc'");
    err("99999999999999999999", 0, "t.csp:1:1: integer literal overflows int");
    err("0x10000000000000000", 0, "t.csp:1:1: integer literal overflows int");
    err("1e400", 0, "t.csp:1:1: floating-point literal overflows float");

    /* the whole report: source line and caret, tabs kept */
    {
        char out[4096], errs[4096];
        const char *src = "\tx := \"a\" + @\n";
        lex_all(src, strlen(src), 0, out, sizeof out, errs, sizeof errs);
        check("caret", errs, "t.csp:1:13: invalid character U+0040 '@'\n\tx := \"a\" + @\n\t           ^\n");
    }

    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
