/*
 * strbuf.h — a growable byte buffer, used to build output (formatting,
 * printf, print) before it is written or turned into a string at once.
 *
 * A StrBuf owns `data` (malloc'd, grown by doubling); data[len] is not
 * kept NUL-terminated (call strbuf_cstr when a C string is needed).
 * Buffers are scratch memory of one call, not accounted to any Heap.
 */
#ifndef CSP_STRBUF_H
#define CSP_STRBUF_H

#include <stddef.h>

typedef struct StrBuf {
    char *data;                  /* NULL until the first append */
    size_t len, cap;
} StrBuf;

void strbuf_init(StrBuf *b);
void strbuf_free(StrBuf *b);
/* Makes room for `extra` more bytes; returns where they go (b->data + len). */
char *strbuf_reserve(StrBuf *b, size_t extra);
void strbuf_append(StrBuf *b, const char *s, size_t len);
void strbuf_appendc(StrBuf *b, char c);
void strbuf_appends(StrBuf *b, const char *s);               /* a C string */
void strbuf_appendf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends `n` copies of byte c. */
void strbuf_fill(StrBuf *b, char c, size_t n);
/* NUL-terminates (without counting the NUL in len) and returns data. */
char *strbuf_cstr(StrBuf *b);

#endif
