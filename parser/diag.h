/*
 * diag.h — compile-time error reports.
 *
 * Every compile error (lexical, syntax, meaning) goes through diag_error,
 * which prints, to the sink (stderr by default):
 *
 *     path:LINE:COL: message
 *     the source line, verbatim
 *         ^
 *
 * The caret line repeats the tabs of the source line so the caret lines up
 * in any tab width. Columns count bytes from 1. At most DIAG_MAX errors are
 * printed; the next one prints `too many errors` once and every later one
 * is dropped (still counted). The state is global: compilation runs on one
 * thread at a time.
 */
#ifndef CSP_DIAG_H
#define CSP_DIAG_H

#include <stddef.h>
#include <stdio.h>

#define DIAG_MAX 10

/* source/len may be NULL/0: then only the first line is printed. A line
 * or column outside the source prints no source line or caret. */
void diag_error(const char *path, const char *source, size_t len, int line, int col,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Errors reported since the last diag_reset (including dropped ones). */
int diag_count(void);
/* True once more than DIAG_MAX errors were reported: stop compiling. */
int diag_too_many(void);
void diag_reset(void);
/* Where reports go; NULL restores stderr. */
void diag_set_sink(FILE *f);
/* The current sink (stderr when none was set). */
FILE *diag_sink_get(void);

#endif
