/*
 * strconv.h — number parsing exactly as Go's strconv does it, for the
 * builtins int(s) and float(s).
 */
#ifndef CSP_STRCONV_H
#define CSP_STRCONV_H

#include <stddef.h>
#include <stdint.h>

enum { CONV_OK = 0, CONV_SYNTAX = 1, CONV_RANGE = 2 };

/* strconv.ParseInt(s, 0, 64): sign, then 0x / 0o / 0b / 0 (octal) prefix,
 * underscores between digits. */
int conv_parse_int(const char *s, size_t n, int64_t *out);
/* strconv.ParseFloat(s, 64): decimal or hex (0x1p-2) floats, inf,
 * infinity, nan (any case), underscores between digits. */
int conv_parse_float(const char *s, size_t n, double *out);

#endif
