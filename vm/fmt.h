/*
 * fmt.h — formatting of values: `%v` (print, println, str), Go-style
 * quoting, and the printf engine of printf/sprintf.
 *
 * Output follows Go's fmt package, with csp's type names: `%v` of nil is
 * `nil` (Go: `<nil>`), error forms name csp types (`%!d(string=hi)`,
 * `%!d(float=1.5)`), maps print in insertion order. A list or map printed
 * inside itself prints `[...]`. Nothing here allocates in a Heap or
 * recurses on the C stack per nesting level.
 */
#ifndef CSP_FMT_H
#define CSP_FMT_H

#include "vm/object.h"
#include "vm/strbuf.h"

/* Appends v as `%v` formats it. */
void fmt_value(StrBuf *b, Value v);
/* Appends the operands separated by one space (print/println). */
void fmt_values(StrBuf *b, const Value *v, int n);
/* Appends s as Go's %q (strconv.Quote) writes it: "a\n". */
void fmt_quote(StrBuf *b, const char *s, size_t len);
/* Appends v as the REPL echoes it: strings quoted, everything else %v. */
void fmt_repr(StrBuf *b, Value v);
/* Appends a float as `%v` formats it (Go's strconv 'g', shortest). */
void fmt_float(StrBuf *b, double f);
/* Go's fmt.Sprintf: format[0..flen) applied to args. */
void fmt_printf(StrBuf *b, const char *format, size_t flen, const Value *args, int nargs);

/* Decodes one UTF-8 code point at s[0..n) (n > 0) as Go does: an invalid
 * or overlong sequence, a surrogate or a value past U+10FFFF gives
 * U+FFFD with width 1. Returns the code point; *width gets its bytes. */
int32_t utf8_decode(const char *s, size_t n, int *width);
/* Encodes r (invalid: U+FFFD) into buf[0..4); returns the byte count. */
int utf8_encode(char *buf, int32_t r);

/* Supplied by the handle layer (stdlib/handle.h): the `%v` text of a
 * handle, e.g. "handle file 3". */
void handle_format(Handle *h, char *buf, size_t size);

#endif
