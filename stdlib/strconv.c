/*
 * strconv.c — Go's strconv.ParseInt(s, 0, 64) and ParseFloat(s, 64).
 *
 * Syntax is checked here, rule for rule as Go's readFloat/ParseUint check
 * it; the conversion of a valid float is left to strtod, which rounds
 * correctly as Go does.
 */
#include "stdlib/strconv.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static inline char lower(char c)
{
    return (char)(c | 0x20);
}

/* Go's underscoreOK: underscores only between digits (or after a base
 * prefix). */
static bool underscore_ok(const char *s, size_t n)
{
    char saw = '^';
    size_t i = 0;
    if (n >= 1 && (s[0] == '-' || s[0] == '+')) {
        s++;
        n--;
    }
    bool hex = false;
    if (n >= 2 && s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
        i = 2;
        saw = '0';
        hex = lower(s[1]) == 'x';
    }
    for (; i < n; i++) {
        if ((s[i] >= '0' && s[i] <= '9') || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
            saw = '0';
            continue;
        }
        if (s[i] == '_') {
            if (saw != '0')
                return false;
            saw = '_';
            continue;
        }
        if (saw == '_')
            return false;
        saw = '!';
    }
    return saw != '_';
}

/* Go's ParseUint(s, 0, 64). */
static int parse_uint(const char *s, size_t n, uint64_t *out)
{
    *out = 0;
    if (n == 0)
        return CONV_SYNTAX;
    const char *s0 = s;
    size_t n0 = n;
    unsigned base = 10;
    if (s[0] == '0') {
        if (n >= 3 && lower(s[1]) == 'b') {
            base = 2; s += 2; n -= 2;
        } else if (n >= 3 && lower(s[1]) == 'o') {
            base = 8; s += 2; n -= 2;
        } else if (n >= 3 && lower(s[1]) == 'x') {
            base = 16; s += 2; n -= 2;
        } else {
            base = 8; s += 1; n -= 1;
        }
    }
    uint64_t cutoff = UINT64_MAX / base + 1;
    uint64_t v = 0;
    bool underscores = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        unsigned d;
        if (c == '_') {
            underscores = true;
            continue;
        } else if (c >= '0' && c <= '9') {
            d = (unsigned)(c - '0');
        } else if (lower(c) >= 'a' && lower(c) <= 'z') {
            d = (unsigned)(lower(c) - 'a' + 10);
        } else {
            return CONV_SYNTAX;
        }
        if (d >= base)
            return CONV_SYNTAX;
        if (v >= cutoff) {
            *out = UINT64_MAX;
            return CONV_RANGE;
        }
        v *= base;
        uint64_t v1 = v + d;
        if (v1 < v) {
            *out = UINT64_MAX;
            return CONV_RANGE;
        }
        v = v1;
    }
    if (underscores && !underscore_ok(s0, n0))
        return CONV_SYNTAX;
    *out = v;
    return CONV_OK;
}

int conv_parse_int(const char *s, size_t n, int64_t *out)
{
    *out = 0;
    if (n == 0)
        return CONV_SYNTAX;
    bool neg = false;
    if (s[0] == '+') {
        s++;
        n--;
    } else if (s[0] == '-') {
        neg = true;
        s++;
        n--;
    }
    uint64_t u;
    int r = parse_uint(s, n, &u);
    if (r == CONV_SYNTAX)
        return r;
    uint64_t cutoff = 1ull << 63;
    if (!neg && u >= cutoff)
        return CONV_RANGE;
    if (neg && u > cutoff)
        return CONV_RANGE;
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return CONV_OK;
}

/* Go's special(): inf, infinity (signed) and nan, any case; returns the
 * bytes consumed or 0. */
static size_t special(const char *s, size_t n, double *out)
{
    if (n == 0)
        return 0;
    double sign = 1;
    size_t nsign = 0;
    if (s[0] == '+' || s[0] == '-') {
        sign = s[0] == '-' ? -1 : 1;
        nsign = 1;
        s++;
        n--;
        if (n == 0 || lower(s[0]) != 'i')
            return 0;
    }
    if (n && lower(s[0]) == 'i') {
        static const char inf[] = "infinity";
        size_t k = 0;
        while (k < n && k < 8 && lower(s[k]) == inf[k])
            k++;
        if (k > 3 && k < 8)
            k = 3;
        if (k == 3 || k == 8) {
            *out = sign * INFINITY;
            return nsign + k;
        }
        return 0;
    }
    if (n >= 3 && lower(s[0]) == 'n' && lower(s[1]) == 'a' && lower(s[2]) == 'n') {
        *out = NAN;
        return 3;
    }
    return 0;
}

/* Go's readFloat, syntax only: the length of the longest valid prefix, or
 * 0 when there is none. */
static size_t read_float(const char *s, size_t n)
{
    size_t i = 0;
    bool underscores = false;
    if (i >= n)
        return 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    bool hex = false;
    char exp_char = 'e';
    if (i + 2 < n && s[i] == '0' && lower(s[i + 1]) == 'x') {
        hex = true;
        i += 2;
        exp_char = 'p';
    }
    bool sawdot = false, sawdigits = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '_') {
            underscores = true;
            continue;
        }
        if (c == '.') {
            if (sawdot)
                break;
            sawdot = true;
            continue;
        }
        if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
            sawdigits = true;
            continue;
        }
        break;
    }
    if (!sawdigits)
        return 0;
    if (i < n && lower(s[i]) == exp_char) {
        i++;
        if (i >= n)
            return 0;
        if (s[i] == '+' || s[i] == '-')
            i++;
        if (i >= n || s[i] < '0' || s[i] > '9')
            return 0;
        for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'); i++)
            if (s[i] == '_')
                underscores = true;
    } else if (hex) {
        return 0;                        /* a hex float needs its p exponent */
    }
    if (underscores && !underscore_ok(s, i))
        return 0;
    return i;
}

int conv_parse_float(const char *s, size_t n, double *out)
{
    *out = 0;
    if (special(s, n, out) == n && n > 0)
        return CONV_OK;
    *out = 0;
    if (read_float(s, n) != n || n == 0)
        return CONV_SYNTAX;
    char small[128];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf)
        return CONV_RANGE;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '_')
            buf[k++] = s[i];
    buf[k] = '\0';
    errno = 0;
    char *end;
    double v = strtod(buf, &end);
    int r = CONV_OK;
    if (errno == ERANGE && isinf(v))
        r = CONV_RANGE;
    if (buf != small)
        free(buf);
    *out = v;
    return r;
}
