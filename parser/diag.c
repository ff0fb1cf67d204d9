/*
 * diag.c — compile error reports with the source line and a caret.
 */
#include "parser/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int diag_n;       /* errors reported since the last reset */
static FILE *diag_sink;  /* NULL: stderr */

int diag_count(void) { return diag_n; }
int diag_too_many(void) { return diag_n > DIAG_MAX; }
void diag_reset(void) { diag_n = 0; }
void diag_set_sink(FILE *f) { diag_sink = f; }
FILE *diag_sink_get(void) { return diag_sink ? diag_sink : stderr; }

/* Finds line `line` (1-based) of src; returns its start and sets *n to its
 * length without the newline (and without a trailing '\r'). */
static const char *find_line(const char *src, size_t len, int line, size_t *n) {
    const char *p = src, *end = src + len;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) return NULL;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    if (e > p && e[-1] == '\r') e--;
    *n = (size_t)(e - p);
    return p;
}

void diag_error(const char *path, const char *source, size_t len, int line, int col,
                const char *fmt, ...) {
    FILE *out = diag_sink ? diag_sink : stderr;
    diag_n++;
    if (diag_n > DIAG_MAX) {
        if (diag_n == DIAG_MAX + 1) fputs("too many errors\n", out);
        return;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(out, "%s:%d:%d: %s\n", path ? path : "-", line, col, msg);

    size_t n;
    const char *s = source && line > 0 && col > 0 ? find_line(source, len, line, &n) : NULL;
    if (s) {
        fwrite(s, 1, n, out);
        fputs("\n", out);
        /* one space per character (UTF-8 continuation bytes take no
         * column on screen), a tab for a tab; built whole and written
         * once, since stderr is unbuffered */
        char *caret = malloc((size_t)col + 2);
        size_t k = 0;
        if (caret) {
            for (size_t i = 0; i + 1 < (size_t)col && i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c == '\t') caret[k++] = '\t';
                else if ((c & 0xc0) != 0x80) caret[k++] = ' ';
            }
            for (size_t i = n; i + 1 < (size_t)col; i++) caret[k++] = ' ';
            caret[k++] = '^';
            caret[k++] = '\n';
            fwrite(caret, 1, k, out);
            free(caret);
        }
    }
    fflush(out);
}
