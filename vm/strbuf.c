/*
 * strbuf.c — growable byte buffer (see strbuf.h).
 */
#include "vm/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Out of memory while formatting is as fatal as in a heap. */
static void strbuf_oom(void)
{
    fflush(stdout);
    fputs("fatal error: out of memory\n", stderr);
    _exit(2);
}

void strbuf_init(StrBuf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void strbuf_free(StrBuf *b)
{
    free(b->data);
    strbuf_init(b);
}

char *strbuf_reserve(StrBuf *b, size_t extra)
{
    if (b->cap - b->len < extra + 1) {       /* +1: room for strbuf_cstr's NUL */
        size_t cap = b->cap ? b->cap : 64;
        while (cap - b->len < extra + 1) {
            if (cap > ((size_t)-1) / 2)
                strbuf_oom();
            cap *= 2;
        }
        char *p = realloc(b->data, cap);
        if (!p)
            strbuf_oom();
        b->data = p;
        b->cap = cap;
    }
    return b->data + b->len;
}

void strbuf_append(StrBuf *b, const char *s, size_t len)
{
    if (len == 0)
        return;
    memcpy(strbuf_reserve(b, len), s, len);
    b->len += len;
}

void strbuf_appendc(StrBuf *b, char c)
{
    *strbuf_reserve(b, 1) = c;
    b->len++;
}

void strbuf_appends(StrBuf *b, const char *s)
{
    strbuf_append(b, s, strlen(s));
}

void strbuf_appendf(StrBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[128];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        strbuf_append(b, tmp, (size_t)n);
        return;
    }
    char *dst = strbuf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(dst, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void strbuf_fill(StrBuf *b, char c, size_t n)
{
    if (n == 0)
        return;
    memset(strbuf_reserve(b, n), c, n);
    b->len += n;
}

char *strbuf_cstr(StrBuf *b)
{
    strbuf_reserve(b, 0);
    b->data[b->len] = '\0';
    return b->data;
}
