/*
 * fmt.c — `%v` formatting, Go quoting and the printf engine.
 *
 * The printf engine follows Go's fmt package (print.go, format.go) verb by
 * verb, flag by flag, so that csp's printf prints what a Go program
 * prints. Differences, all because csp values are dynamically typed:
 *   - nil prints `nil` where Go prints `<nil>`;
 *   - error forms use csp type names: `%!d(string=hi)`, `%!d(float=1.5)`;
 *   - an int given to a float verb (%e %f %g) is formatted as a float, as
 *     Python does (Go would print `%!f(int=3)`, which a statically typed
 *     program never meets);
 *   - maps print in insertion order (Go sorts keys);
 *   - `%#v` prints csp literal syntax: `["a", 1]`, `{"k": 1}`.
 *
 * Containers are walked with an explicit stack, not recursion, so a deeply
 * nested list prints without exhausting the C stack. A list or map being
 * printed is flagged OBJ_VISIT; meeting it again inside itself prints
 * `[...]`. Static containers (os.args) hold only strings and are never
 * flagged: static objects are never written.
 */
#include "vm/fmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/code.h"
#include "vm/heap.h"

/* --- UTF-8 ----------------------------------------------------------------- */

int32_t utf8_decode(const char *str, size_t n, int *width)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    *width = 1;
    if (c < 0x80)
        return (int32_t)c;
    int need;
    uint32_t r, min;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 1; r = c & 0x1f; min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 2; r = c & 0x0f; min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3; r = c & 0x07; min = 0x10000;
    } else {
        return 0xfffd;
    }
    if (n < (size_t)need + 1)
        return 0xfffd;
    for (int i = 1; i <= need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0xfffd;
        r = (r << 6) | (s[i] & 0x3f);
    }
    if (r < min || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff))
        return 0xfffd;
    *width = need + 1;
    return (int32_t)r;
}

int utf8_encode(char *buf, int32_t r)
{
    uint32_t u = (uint32_t)r;
    if (u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff))
        u = 0xfffd;
    if (u < 0x80) {
        buf[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        buf[0] = (char)(0xc0 | (u >> 6));
        buf[1] = (char)(0x80 | (u & 0x3f));
        return 2;
    }
    if (u < 0x10000) {
        buf[0] = (char)(0xe0 | (u >> 12));
        buf[1] = (char)(0x80 | ((u >> 6) & 0x3f));
        buf[2] = (char)(0x80 | (u & 0x3f));
        return 3;
    }
    buf[0] = (char)(0xf0 | (u >> 18));
    buf[1] = (char)(0x80 | ((u >> 12) & 0x3f));
    buf[2] = (char)(0x80 | ((u >> 6) & 0x3f));
    buf[3] = (char)(0x80 | (u & 0x3f));
    return 4;
}

static size_t rune_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; count++) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
        } else {
            int w;
            utf8_decode(s + i, n - i, &w);
            i += (size_t)w;
        }
    }
    return count;
}

/* Go's strconv.IsPrint, approximated without Unicode tables: every valid
 * code point is printable except controls, non-ASCII spaces, format
 * characters, private use, surrogates and non-characters. */
static bool is_print(int32_t r)
{
    if (r < 0x80)
        return r >= 0x20 && r < 0x7f;
    if (r < 0xa1 || r == 0xad)
        return false;
    if (r >= 0xd800 && r <= 0xdfff)
        return false;
    if (r > 0x10ffff || (r & 0xfffe) == 0xfffe || (r >= 0xfdd0 && r <= 0xfdef))
        return false;
    if ((r >= 0xe000 && r <= 0xf8ff) || r >= 0xf0000)
        return false;                                   /* private use */
    switch (r) {
    case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000:
    case 0xfeff: case 0x061c: case 0x06dd: case 0x070f: case 0x180e: case 0x110bd:
        return false;
    default:
        break;
    }
    if ((r >= 0x2000 && r <= 0x200f) || (r >= 0x202a && r <= 0x202e) ||
        (r >= 0x2060 && r <= 0x206f) || (r >= 0xfff9 && r <= 0xfffb) ||
        (r >= 0x0600 && r <= 0x0605) || (r >= 0x1d173 && r <= 0x1d17a) ||
        (r >= 0xe0000 && r <= 0xe007f))
        return false;
    return true;
}

/* --- quoting (strconv.Quote, QuoteToASCII, QuoteRune) ------------------------ */

static const char lowerhex[] = "0123456789abcdef";
static const char upperhex[] = "0123456789ABCDEF";

static void append_escaped_rune(StrBuf *b, int32_t r, char quote, bool ascii_only)
{
    if (r == quote || r == '\\') {
        strbuf_appendc(b, '\\');
        strbuf_appendc(b, (char)r);
        return;
    }
    if (ascii_only ? (r < 0x80 && is_print(r)) : is_print(r)) {
        char tmp[4];
        strbuf_append(b, tmp, (size_t)utf8_encode(tmp, r));
        return;
    }
    switch (r) {
    case '\a': strbuf_appends(b, "\\a"); return;
    case '\b': strbuf_appends(b, "\\b"); return;
    case '\f': strbuf_appends(b, "\\f"); return;
    case '\n': strbuf_appends(b, "\\n"); return;
    case '\r': strbuf_appends(b, "\\r"); return;
    case '\t': strbuf_appends(b, "\\t"); return;
    case '\v': strbuf_appends(b, "\\v"); return;
    default: break;
    }
    if (r < ' ' || r == 0x7f) {
        strbuf_appendf(b, "\\x%c%c", lowerhex[(r >> 4) & 0xf], lowerhex[r & 0xf]);
        return;
    }
    if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff))
        r = 0xfffd;
    if (r < 0x10000)
        strbuf_appendf(b, "\\u%04x", (unsigned)r);
    else
        strbuf_appendf(b, "\\U%08x", (unsigned)r);
}

static void append_quoted(StrBuf *b, const char *s, size_t n, bool ascii_only)
{
    strbuf_appendc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {    /* fast path */
            strbuf_appendc(b, (char)c);
            i++;
            continue;
        }
        int w = 1;
        int32_t r = c < 0x80 ? (int32_t)c : utf8_decode(s + i, n - i, &w);
        if (w == 1 && r == 0xfffd) {
            strbuf_appendf(b, "\\x%c%c", lowerhex[c >> 4], lowerhex[c & 0xf]);
        } else {
            append_escaped_rune(b, r, '"', ascii_only);
        }
        i += (size_t)w;
    }
    strbuf_appendc(b, '"');
}

void fmt_quote(StrBuf *b, const char *s, size_t len)
{
    append_quoted(b, s, len, false);
}

static void append_quoted_rune(StrBuf *b, int32_t r, bool ascii_only)
{
    if (r > 0x10ffff || r < 0 || (r >= 0xd800 && r <= 0xdfff))
        r = 0xfffd;
    strbuf_appendc(b, '\'');
    append_escaped_rune(b, r, '\'', ascii_only);
    strbuf_appendc(b, '\'');
}

static bool can_backquote(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        int w;
        int32_t r = utf8_decode(s + i, n - i, &w);
        i += (size_t)w;
        if (w > 1) {
            if (r == 0xfeff)
                return false;
            continue;
        }
        if (r == 0xfffd)
            return false;
        if ((r < ' ' && r != '\t') || r == '`' || r == 0x7f)
            return false;
    }
    return true;
}

/* --- float to decimal --------------------------------------------------------- */

/* Decimal digits of a finite |v|: value = 0.d[0]d[1]...d[nd-1] * 10^dp,
 * without trailing zeros; nd == 0 for zero. */
typedef struct Digits {
    char *d;
    int nd, dp;
    char small[32];
} Digits;

static void digits_free(Digits *x)
{
    if (x->d != x->small)
        free(x->d);
}

/* Parses "D.DDDDe±X" (snprintf %e of a non-negative finite number). */
static void digits_from_e(Digits *x, const char *s)
{
    size_t len = strlen(s);
    x->d = len < sizeof x->small ? x->small : malloc(len + 1);
    if (!x->d)
        heap_out_of_memory();
    int nd = 0;
    const char *p = s;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            x->d[nd++] = *p;
    int exp = atoi(p + 1);
    while (nd > 0 && x->d[nd - 1] == '0')
        nd--;
    x->nd = nd;
    x->dp = nd ? exp + 1 : 0;
}

/* snprintf("%.*e", prec, v) into a buffer that is large enough. */
static char *sprint_e(char *small, size_t smallsize, int prec, double v)
{
    size_t need = (size_t)prec + 32;
    char *buf = need <= smallsize ? small : malloc(need);
    if (!buf)
        heap_out_of_memory();
    snprintf(buf, need, "%.*e", prec, v);
    return buf;
}

/* |v| rounded to n significant digits (n >= 1). */
static void digits_prec(Digits *x, double v, int n)
{
    char small[64];
    char *s = sprint_e(small, sizeof small, n - 1, fabs(v));
    digits_from_e(x, s);
    if (s != small)
        free(s);
}

/* Does the decimal d[0..nd) * 10^dp read back as exactly v? */
static bool round_trips(const char *d, int nd, int dp, double v)
{
    char buf[64];
    int n = 0;
    buf[n++] = '.';
    memcpy(buf + n, d, (size_t)nd);
    n += nd;
    snprintf(buf + n, sizeof buf - (size_t)n, "e%d", dp);
    return strtod(buf, NULL) == v;
}

/* Digits of the correctly rounded p-significant-digit decimal of v > 0:
 * into d[0..p) (zeros kept), with its decimal point position. */
static void digits_rounded(double v, int p, char *d, int *dp)
{
    char s[40];
    snprintf(s, sizeof s, "%.*e", p - 1, v);
    int n = 0;
    const char *q = s;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9')
            d[n++] = *q;
    *dp = atoi(q + 1) + 1;
}

/* The p-digit decimal one unit above d[0..p) (carrying into dp). */
static void digits_next_up(char *d, int p, int *dp)
{
    int i = p - 1;
    while (i >= 0 && d[i] == '9')
        d[i--] = '0';
    if (i < 0) {
        d[0] = '1';
        (*dp)++;
    } else {
        d[i]++;
    }
}

static void digits_set(Digits *x, const char *d, int nd, int dp)
{
    while (nd > 0 && d[nd - 1] == '0')
        nd--;
    memcpy(x->d, d, (size_t)nd);
    x->nd = nd;
    x->dp = dp;
}

/* Is v's significand a power of two? Then its rounding interval is wider
 * above v than below. */
static bool significand_is_pow2(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return (bits & ((1ull << 52) - 1)) == 0;
}

/* The same by binary search on the number of digits (round-tripping is
 * monotonic in it), for subnormals, whose precision is lower: v > 0 and
 * x->d is x->small. */
static void digits_shortest_search(Digits *x, double v)
{
    char cand[20], best[20];
    int lo = 1, hi = 17, best_nd = 0, best_dp = 0;
    bool pow2 = significand_is_pow2(v);
    while (lo <= hi) {
        int p = (lo + hi) / 2;
        int dp;
        digits_rounded(v, p, cand, &dp);
        bool ok = round_trips(cand, p, dp, v);
        if (!ok && pow2) {
            /* The p-digit decimal on the other side of v may still be
             * inside the (wider) upper half of the interval. */
            char up[20];
            int updp = dp;
            memcpy(up, cand, (size_t)p);
            digits_next_up(up, p, &updp);
            if (round_trips(up, p, updp, v)) {
                memcpy(cand, up, (size_t)p);
                dp = updp;
                ok = true;
            }
        }
        if (ok) {
            memcpy(best, cand, (size_t)p);
            best_nd = p;
            best_dp = dp;
            hi = p - 1;
        } else {
            lo = p + 1;
        }
    }
    digits_set(x, best, best_nd, best_dp);
}

/* Shortest digits that read back as |v| (Go's strconv 'g' -1 precision),
 * and of those, the closest to v.
 *
 * Why this is enough: a double has 15.95 significant decimal digits, so a
 * decimal of at most 15 digits that reads back as v is within half an ulp
 * of v, which is less than half the spacing of 15-digit decimals: it is
 * the correctly rounded 15-digit decimal of v, trailing zeros trimmed. So
 * if that one does not read back, the answer has 16 or 17 digits; 17
 * always reads back. At 16 digits the correctly rounded decimal may fail
 * while its neighbour above succeeds only when v is a power of two (its
 * rounding interval is wider above than below), so that one is tried too. */
static void digits_shortest(Digits *x, double v)
{
    v = fabs(v);
    x->d = x->small;
    if (v == 0) {
        x->nd = x->dp = 0;
        return;
    }
    if (v < 2.2250738585072014e-308) {
        digits_shortest_search(x, v);
        return;
    }
    /* Fast path, no printf: v is n / 10^k for an integer n < 10^15. */
    static const double pow10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8 };
    for (int k = 0; k < 9; k++) {
        double s = v * pow10[k];
        if (s >= 1e15)
            break;
        if (s != floor(s) || s / pow10[k] != v)
            continue;
        char buf[20];
        int n = snprintf(buf, sizeof buf, "%lld", (long long)s);
        digits_set(x, buf, n, n - k);
        return;
    }
    char d[20];
    int dp;
    digits_rounded(v, 15, d, &dp);
    if (round_trips(d, 15, dp, v)) {
        digits_set(x, d, 15, dp);
        return;
    }
    digits_rounded(v, 16, d, &dp);
    if (round_trips(d, 16, dp, v)) {
        digits_set(x, d, 16, dp);
        return;
    }
    if (significand_is_pow2(v)) {
        char up[20];
        int updp = dp;
        memcpy(up, d, 16);
        digits_next_up(up, 16, &updp);
        if (round_trips(up, 16, updp, v)) {
            digits_set(x, up, 16, updp);
            return;
        }
    }
    digits_rounded(v, 17, d, &dp);
    digits_set(x, d, 17, dp);
}

static void fmt_e_digits(StrBuf *b, bool neg, const Digits *d, int prec, char e)
{
    if (neg)
        strbuf_appendc(b, '-');
    strbuf_appendc(b, d->nd ? d->d[0] : '0');
    if (prec > 0) {
        strbuf_appendc(b, '.');
        int i = 1;
        int m = d->nd < prec + 1 ? d->nd : prec + 1;
        if (i < m) {
            strbuf_append(b, d->d + i, (size_t)(m - i));
            i = m;
        }
        if (i <= prec)
            strbuf_fill(b, '0', (size_t)(prec - i + 1));
    }
    int exp = d->nd ? d->dp - 1 : 0;
    strbuf_appendc(b, e);
    strbuf_appendc(b, exp < 0 ? '-' : '+');
    if (exp < 0)
        exp = -exp;
    if (exp < 10)
        strbuf_appendf(b, "0%d", exp);
    else
        strbuf_appendf(b, "%d", exp);
}

static void fmt_f_digits(StrBuf *b, bool neg, const Digits *d, int prec)
{
    if (neg)
        strbuf_appendc(b, '-');
    if (d->dp > 0) {
        int m = d->nd < d->dp ? d->nd : d->dp;
        strbuf_append(b, d->d, (size_t)m);
        if (m < d->dp)
            strbuf_fill(b, '0', (size_t)(d->dp - m));
    } else {
        strbuf_appendc(b, '0');
    }
    if (prec > 0) {
        strbuf_appendc(b, '.');
        for (int i = 1; i <= prec; i++) {
            int j = d->dp + i - 1;
            strbuf_appendc(b, (j >= 0 && j < d->nd) ? d->d[j] : '0');
        }
    }
}

/* |v| = mant * 2^(*exp - 52), mant with its implicit bit (none for a
 * subnormal); *neg is the sign bit. */
static uint64_t float_parts(double v, int *exp, bool *neg)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int e = (int)((bits >> 52) & 0x7ff);
    uint64_t mant = bits & ((1ull << 52) - 1);
    if (e == 0)
        e++;
    else
        mant |= 1ull << 52;
    *exp = e - 1023;
    *neg = bits >> 63;
    return mant;
}

/* Go's %b of a float: mantissa "p" exponent, e.g. 4503599627370496p-52. */
static void fmt_float_b(StrBuf *b, double v)
{
    int exp;
    bool neg;
    uint64_t mant = float_parts(v, &exp, &neg);
    exp -= 52;
    if (neg)
        strbuf_appendc(b, '-');
    strbuf_appendf(b, "%llup%s%d", (unsigned long long)mant, exp >= 0 ? "+" : "", exp);
}

/* Go's %x / %X of a float: -0x1.8p+01. */
static void fmt_float_x(StrBuf *b, double v, int prec, char verb)
{
    int exp;
    bool neg;
    uint64_t mant = float_parts(v, &exp, &neg);
    if (mant == 0)
        exp = 0;
    mant <<= 60 - 52;
    while (mant != 0 && (mant & (1ull << 60)) == 0) {
        mant <<= 1;
        exp--;
    }
    if (prec >= 0 && prec < 15) {
        unsigned shift = (unsigned)prec * 4;
        uint64_t extra = (mant << shift) & ((1ull << 60) - 1);
        mant >>= 60 - shift;
        if ((extra | (mant & 1)) > (1ull << 59))
            mant++;
        mant <<= 60 - shift;
        if (mant & (1ull << 61)) {
            mant >>= 1;
            exp++;
        }
    }
    const char *hex = verb == 'X' ? upperhex : lowerhex;
    if (neg)
        strbuf_appendc(b, '-');
    strbuf_appendc(b, '0');
    strbuf_appendc(b, verb);
    strbuf_appendc(b, (char)('0' + ((mant >> 60) & 1)));
    mant <<= 4;
    if (prec < 0 && mant != 0) {
        strbuf_appendc(b, '.');
        while (mant != 0) {
            strbuf_appendc(b, hex[(mant >> 60) & 15]);
            mant <<= 4;
        }
    } else if (prec > 0) {
        strbuf_appendc(b, '.');
        for (int i = 0; i < prec; i++) {
            strbuf_appendc(b, hex[(mant >> 60) & 15]);
            mant <<= 4;
        }
    }
    strbuf_appendc(b, verb == 'X' ? 'P' : 'p');
    strbuf_appendc(b, exp < 0 ? '-' : '+');
    if (exp < 0)
        exp = -exp;
    if (exp < 10)
        strbuf_appendf(b, "0%d", exp);
    else
        strbuf_appendf(b, "%d", exp);
}

/* Go's strconv.AppendFloat(v, verb, prec, 64) for verb in e E f g G b x X;
 * prec -1 means the shortest that reads back. */
static void strconv_float(StrBuf *b, double v, char verb, int prec)
{
    if (isnan(v)) {
        strbuf_appends(b, "NaN");
        return;
    }
    if (isinf(v)) {
        strbuf_appends(b, v > 0 ? "+Inf" : "-Inf");
        return;
    }
    if (verb == 'b') {
        fmt_float_b(b, v);
        return;
    }
    if (verb == 'x' || verb == 'X') {
        fmt_float_x(b, v, prec, verb);
        return;
    }
    bool neg = signbit(v) != 0;
    if (prec >= 0 && (verb == 'e' || verb == 'E' || verb == 'f')) {
        /* C's correctly rounded conversions print what Go prints. */
        char small[128];
        char *s;
        if (verb == 'f') {
            size_t need = (size_t)prec + 330;
            s = need <= sizeof small ? small : malloc(need);
            if (!s)
                heap_out_of_memory();
            snprintf(s, need, "%.*f", prec, v);
        } else {
            s = sprint_e(small, sizeof small, prec, v);
            if (verb == 'E')
                for (char *p = s; *p; p++)
                    if (*p == 'e')
                        *p = 'E';
        }
        strbuf_appends(b, s);
        if (s != small)
            free(s);
        return;
    }
    Digits d;
    bool shortest = prec < 0;
    if (shortest) {
        digits_shortest(&d, v);
    } else {                                   /* g, G with a precision */
        if (prec == 0)
            prec = 1;
        digits_prec(&d, v, prec);
    }
    char e = (verb == 'E' || verb == 'G') ? 'E' : 'e';
    if (verb == 'e' || verb == 'E') {          /* shortest */
        fmt_e_digits(b, neg, &d, d.nd > 1 ? d.nd - 1 : 0, e);
    } else if (verb == 'f') {
        fmt_f_digits(b, neg, &d, d.nd - d.dp > 0 ? d.nd - d.dp : 0);
    } else {
        if (shortest)
            prec = d.nd;
        int eprec = prec;
        if (eprec > d.nd && d.nd >= d.dp)
            eprec = d.nd;
        if (shortest)
            eprec = 6;
        int exp = d.dp - 1;
        if (exp < -4 || exp >= eprec) {
            if (prec > d.nd)
                prec = d.nd;
            fmt_e_digits(b, neg, &d, prec - 1, e);
        } else {
            if (prec > d.dp)
                prec = d.nd;
            fmt_f_digits(b, neg, &d, prec - d.dp > 0 ? prec - d.dp : 0);
        }
    }
    digits_free(&d);
}

void fmt_float(StrBuf *b, double f)
{
    strconv_float(b, f, 'g', -1);
}

/* --- the formatter state (Go's fmt struct) ----------------------------------- */

typedef struct Spec {
    bool minus, plus, sharp, space, zero;
    bool plusv, sharpv;              /* %+v, %#v */
    bool wid_present, prec_present;
    int wid, prec;
} Spec;

typedef struct Fmt {
    StrBuf *b;
    Spec s;
} Fmt;

static void write_padding(Fmt *f, long n)
{
    if (n > 0)
        strbuf_fill(f->b, f->s.zero ? '0' : ' ', (size_t)n);
}

/* Appends s[0..n) padded to the width (counted in runes). */
static void pad(Fmt *f, const char *s, size_t n)
{
    if (!f->s.wid_present || f->s.wid == 0) {
        strbuf_append(f->b, s, n);
        return;
    }
    long width = (long)f->s.wid - (long)rune_count(s, n);
    if (!f->s.minus) {
        write_padding(f, width);
        strbuf_append(f->b, s, n);
    } else {
        strbuf_append(f->b, s, n);
        write_padding(f, width);
    }
}

/* Pads the bytes appended to f->b since `start`. */
static void pad_from(Fmt *f, size_t start)
{
    if (!f->s.wid_present || f->s.wid == 0)
        return;
    size_t n = f->b->len - start;
    char small[128];
    char *tmp = n <= sizeof small ? small : malloc(n);
    if (!tmp)
        heap_out_of_memory();
    memcpy(tmp, f->b->data + start, n);
    f->b->len = start;
    pad(f, tmp, n);
    if (tmp != small)
        free(tmp);
}

static void fmt_boolean(Fmt *f, bool v)
{
    if (v)
        pad(f, "true", 4);
    else
        pad(f, "false", 5);
}

/* Go's fmtInteger. */
static void fmt_integer(Fmt *f, uint64_t u, int base, bool is_signed, int verb, const char *digits)
{
    bool negative = is_signed && (int64_t)u < 0;
    if (negative)
        u = -u;
    char small[68 + 64];
    size_t size = sizeof small;
    if (f->s.wid_present || f->s.prec_present) {
        size_t width = 3 + (size_t)f->s.wid + (size_t)f->s.prec;
        if (width + 68 > size)
            size = width + 68;
    }
    char *buf = size == sizeof small ? small : malloc(size);
    if (!buf)
        heap_out_of_memory();
    long prec = 0;
    if (f->s.prec_present) {
        prec = f->s.prec;
        if (prec == 0 && u == 0) {
            bool old = f->s.zero;
            f->s.zero = false;
            write_padding(f, f->s.wid);
            f->s.zero = old;
            if (buf != small)
                free(buf);
            return;
        }
    } else if (f->s.zero && f->s.wid_present) {
        prec = f->s.wid;
        if (negative || f->s.plus || f->s.space)
            prec--;
    }
    size_t i = size;
    switch (base) {
    case 10:
        while (u >= 10) {
            buf[--i] = (char)('0' + u % 10);
            u /= 10;
        }
        break;
    case 16:
        while (u >= 16) {
            buf[--i] = digits[u & 0xf];
            u >>= 4;
        }
        break;
    case 8:
        while (u >= 8) {
            buf[--i] = (char)('0' + (u & 7));
            u >>= 3;
        }
        break;
    case 2:
        while (u >= 2) {
            buf[--i] = (char)('0' + (u & 1));
            u >>= 1;
        }
        break;
    }
    buf[--i] = digits[u];
    while (i > 0 && prec > (long)(size - i))
        buf[--i] = '0';
    if (f->s.sharp) {
        switch (base) {
        case 2:
            buf[--i] = 'b';
            buf[--i] = '0';
            break;
        case 8:
            if (buf[i] != '0')
                buf[--i] = '0';
            break;
        case 16:
            buf[--i] = digits[16];
            buf[--i] = '0';
            break;
        }
    }
    if (verb == 'O') {
        buf[--i] = 'o';
        buf[--i] = '0';
    }
    if (negative)
        buf[--i] = '-';
    else if (f->s.plus)
        buf[--i] = '+';
    else if (f->s.space)
        buf[--i] = ' ';
    bool old = f->s.zero;
    f->s.zero = false;
    pad(f, buf + i, size - i);
    f->s.zero = old;
    if (buf != small)
        free(buf);
}

static const char ldigits[] = "0123456789abcdefx";
static const char udigits[] = "0123456789ABCDEFX";

static void fmt_c(Fmt *f, uint64_t c)
{
    int32_t r = c > 0x10ffff ? 0xfffd : (int32_t)c;
    char buf[4];
    pad(f, buf, (size_t)utf8_encode(buf, r));
}

static void fmt_qc(Fmt *f, uint64_t c)
{
    int32_t r = c > 0x10ffff ? 0xfffd : (int32_t)c;
    size_t start = f->b->len;
    append_quoted_rune(f->b, r, f->s.plus);
    pad_from(f, start);
}

static void fmt_unicode(Fmt *f, uint64_t u)
{
    StrBuf t;
    strbuf_init(&t);
    long prec = 4;
    if (f->s.prec_present && f->s.prec > 4)
        prec = f->s.prec;
    char hex[17];
    int nh = 0;
    uint64_t x = u;
    do {
        hex[nh++] = upperhex[x & 0xf];
        x >>= 4;
    } while (x);
    strbuf_append(&t, "U+", 2);
    if (prec > nh)
        strbuf_fill(&t, '0', (size_t)(prec - nh));
    while (nh)
        strbuf_appendc(&t, hex[--nh]);
    if (f->s.sharp && u <= 0x10ffff && is_print((int32_t)u)) {
        char rb[4];
        strbuf_append(&t, " '", 2);
        strbuf_append(&t, rb, (size_t)utf8_encode(rb, (int32_t)u));
        strbuf_appendc(&t, '\'');
    }
    bool old = f->s.zero;
    f->s.zero = false;
    pad(f, t.data, t.len);
    f->s.zero = old;
    strbuf_free(&t);
}

/* Go's fmtFloat: strconv's text plus sign, padding and '#' handling. */
static void fmt_float_spec(Fmt *f, double v, int verb, int prec)
{
    if (f->s.prec_present)
        prec = f->s.prec;
    StrBuf num;
    strbuf_init(&num);
    strbuf_appendc(&num, '+');                 /* reserved for a sign */
    strconv_float(&num, v, (char)verb, prec);
    char *s = num.data;
    size_t n = num.len;
    if (s[1] == '-' || s[1] == '+') {
        s++;
        n--;
    } else {
        s[0] = '+';
    }
    if (f->s.space && s[0] == '+' && !f->s.plus)
        s[0] = ' ';
    if (s[1] == 'I' || s[1] == 'N') {
        bool old = f->s.zero;
        f->s.zero = false;
        if (s[1] == 'N' && !f->s.space && !f->s.plus) {
            s++;
            n--;
        }
        pad(f, s, n);
        f->s.zero = old;
        strbuf_free(&num);
        return;
    }
    StrBuf sharp;
    strbuf_init(&sharp);
    if (f->s.sharp && verb != 'b') {
        int digits = 0;
        if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') {
            digits = prec;
            if (digits == -1)
                digits = 6;
        }
        char tail[16];
        size_t ntail = 0;
        bool has_point = false, nonzero = false;
        size_t end = n;
        for (size_t i = 1; i < end; i++) {
            char c = s[i];
            if (c == '.') {
                has_point = true;
            } else if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
                ntail = end - i < sizeof tail ? end - i : sizeof tail;
                memcpy(tail, s + i, ntail);
                end = i;
                break;
            } else {
                if (c != '0')
                    nonzero = true;
                if (nonzero)
                    digits--;
            }
        }
        strbuf_append(&sharp, s, end);
        if (!has_point) {
            if (end == 2 && s[1] == '0')
                digits--;
            strbuf_appendc(&sharp, '.');
        }
        if (digits > 0)
            strbuf_fill(&sharp, '0', (size_t)digits);
        strbuf_append(&sharp, tail, ntail);
        s = sharp.data;
        n = sharp.len;
    }
    if (f->s.plus || s[0] != '+') {
        if (f->s.zero && f->s.wid_present && (size_t)f->s.wid > n) {
            strbuf_appendc(f->b, s[0]);
            write_padding(f, (long)f->s.wid - (long)n);
            strbuf_append(f->b, s + 1, n - 1);
        } else {
            pad(f, s, n);
        }
    } else {
        pad(f, s + 1, n - 1);
    }
    strbuf_free(&sharp);
    strbuf_free(&num);
}

/* Go's truncateString: at most prec runes. */
static size_t truncate_len(const Fmt *f, const char *s, size_t n)
{
    if (!f->s.prec_present)
        return n;
    long left = f->s.prec;
    for (size_t i = 0; i < n;) {
        if (left-- <= 0)
            return i;
        int w = 1;
        if ((unsigned char)s[i] >= 0x80)
            utf8_decode(s + i, n - i, &w);
        i += (size_t)w;
    }
    return n;
}

static void fmt_s(Fmt *f, const char *s, size_t n)
{
    pad(f, s, truncate_len(f, s, n));
}

/* Go's fmtSbx: hex of the bytes, for %x and %X of a string. */
static void fmt_sx(Fmt *f, const char *s, size_t n, const char *digits)
{
    size_t length = n;
    if (f->s.prec_present && (size_t)f->s.prec < length)
        length = (size_t)f->s.prec;
    long width = 2 * (long)length;
    if (width > 0) {
        if (f->s.space) {
            if (f->s.sharp)
                width *= 2;
            width += (long)length - 1;
        } else if (f->s.sharp) {
            width += 2;
        }
    } else {
        if (f->s.wid_present)
            write_padding(f, f->s.wid);
        return;
    }
    if (f->s.wid_present && f->s.wid > width && !f->s.minus)
        write_padding(f, f->s.wid - width);
    StrBuf *b = f->b;
    if (f->s.sharp) {
        strbuf_appendc(b, '0');
        strbuf_appendc(b, digits[16]);
    }
    for (size_t i = 0; i < length; i++) {
        if (f->s.space && i > 0) {
            strbuf_appendc(b, ' ');
            if (f->s.sharp) {
                strbuf_appendc(b, '0');
                strbuf_appendc(b, digits[16]);
            }
        }
        unsigned char c = (unsigned char)s[i];
        strbuf_appendc(b, digits[c >> 4]);
        strbuf_appendc(b, digits[c & 0xf]);
    }
    if (f->s.wid_present && f->s.wid > width && f->s.minus)
        write_padding(f, f->s.wid - width);
}

static void fmt_q(Fmt *f, const char *s, size_t n)
{
    n = truncate_len(f, s, n);
    size_t start = f->b->len;
    if (f->s.sharp && can_backquote(s, n)) {
        strbuf_appendc(f->b, '`');
        strbuf_append(f->b, s, n);
        strbuf_appendc(f->b, '`');
    } else {
        append_quoted(f->b, s, n, f->s.plus);
    }
    pad_from(f, start);
}

/* --- values ------------------------------------------------------------------ */

/* `%v` text of a function, channel, module or handle. */
static void object_text(StrBuf *b, Value v)
{
    switch (v.type) {
    case VAL_FUNC: {
        const Proto *p = AS_FUNC(v)->proto;
        strbuf_appends(b, "func ");
        strbuf_appends(b, p ? p->name : "?");
        break;
    }
    case VAL_NATIVE:
        strbuf_appends(b, "func ");
        strbuf_appends(b, AS_NATIVE(v)->name);
        break;
    case VAL_CHAN:
        strbuf_appendf(b, "chan %p", (void *)AS_CHAN(v)->chan);
        break;
    case VAL_MODULE:
        strbuf_appends(b, "module ");
        strbuf_appends(b, AS_MODULE(v)->name);
        break;
    case VAL_HANDLE: {
        char buf[128];
        buf[0] = '\0';
        handle_format(AS_HANDLE(v)->handle, buf, sizeof buf);
        strbuf_appends(b, buf);
        break;
    }
    default:
        strbuf_appends(b, value_type_name(v));
        break;
    }
}

static void print_leaf(Fmt *f, Value v, int verb);

/* Go's badVerb: %!verb(type=value). */
static void bad_verb(Fmt *f, Value v, int verb)
{
    char vb[4];
    strbuf_append(f->b, "%!", 2);
    strbuf_append(f->b, vb, (size_t)utf8_encode(vb, verb));
    strbuf_appendc(f->b, '(');
    if (v.type == VAL_NIL) {
        strbuf_appends(f->b, "nil");
    } else {
        strbuf_appends(f->b, value_type_name(v));
        strbuf_appendc(f->b, '=');
        print_leaf(f, v, 'v');
    }
    strbuf_appendc(f->b, ')');
}

static void print_int(Fmt *f, int64_t i, int verb)
{
    uint64_t u = (uint64_t)i;
    switch (verb) {
    case 'v':
    case 'd':
        fmt_integer(f, u, 10, true, verb, ldigits);
        break;
    case 'b':
        fmt_integer(f, u, 2, true, verb, ldigits);
        break;
    case 'o':
    case 'O':
        fmt_integer(f, u, 8, true, verb, ldigits);
        break;
    case 'x':
        fmt_integer(f, u, 16, true, verb, ldigits);
        break;
    case 'X':
        fmt_integer(f, u, 16, true, verb, udigits);
        break;
    case 'c':
        fmt_c(f, u);
        break;
    case 'q':
        fmt_qc(f, u);
        break;
    case 'U':
        fmt_unicode(f, u);
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        print_leaf(f, FLOAT_VAL((double)i), verb);     /* csp: ints print with float verbs */
        break;
    default:
        bad_verb(f, INT_VAL(i), verb);
        break;
    }
}

static void print_float(Fmt *f, double x, int verb)
{
    switch (verb) {
    case 'v':
        fmt_float_spec(f, x, 'g', -1);
        break;
    case 'b': case 'g': case 'G': case 'x': case 'X':
        fmt_float_spec(f, x, verb, -1);
        break;
    case 'f': case 'e': case 'E':
        fmt_float_spec(f, x, verb, 6);
        break;
    case 'F':
        fmt_float_spec(f, x, 'f', 6);
        break;
    default:
        bad_verb(f, FLOAT_VAL(x), verb);
        break;
    }
}

static void print_string(Fmt *f, Value v, int verb)
{
    const ObjStr *s = AS_STR(v);
    switch (verb) {
    case 'v':
        if (f->s.sharpv)
            fmt_q(f, s->chars, s->len);
        else
            fmt_s(f, s->chars, s->len);
        break;
    case 's':
        fmt_s(f, s->chars, s->len);
        break;
    case 'x':
        fmt_sx(f, s->chars, s->len, ldigits);
        break;
    case 'X':
        fmt_sx(f, s->chars, s->len, udigits);
        break;
    case 'q':
        fmt_q(f, s->chars, s->len);
        break;
    default:
        bad_verb(f, v, verb);
        break;
    }
}

/* A value that is not a list or map (or one printed as a leaf). */
static void print_leaf(Fmt *f, Value v, int verb)
{
    switch (v.type) {
    case VAL_NIL:
        if (verb == 'v')
            pad(f, "nil", 3);
        else
            bad_verb(f, v, verb);
        break;
    case VAL_BOOL:
        if (verb == 't' || verb == 'v')
            fmt_boolean(f, v.as.b);
        else
            bad_verb(f, v, verb);
        break;
    case VAL_INT:
        print_int(f, v.as.i, verb);
        break;
    case VAL_FLOAT:
        print_float(f, v.as.f, verb);
        break;
    case VAL_STR:
        print_string(f, v, verb);
        break;
    case VAL_LIST:
    case VAL_MAP:
        if (verb == 'p') {
            char tmp[32];
            int n = snprintf(tmp, sizeof tmp, "%p", (void *)v.as.o);
            pad(f, tmp, (size_t)n);
        } else {
            bad_verb(f, v, verb);
        }
        break;
    default:
        if (verb == 'v') {
            size_t start = f->b->len;
            object_text(f->b, v);
            pad_from(f, start);
        } else {
            bad_verb(f, v, verb);
        }
        break;
    }
}

static bool is_container(Value v)
{
    return v.type == VAL_LIST || v.type == VAL_MAP;
}

typedef struct Walk {
    Obj *o;
    size_t pos;                  /* list index, or map_next position */
    size_t n;                    /* elements printed */
} Walk;

/* Starts printing a container: writes its opening and flags it. */
static void walk_open(Fmt *f, Value v)
{
    if (v.type == VAL_LIST)
        strbuf_appendc(f->b, '[');
    else
        strbuf_appends(f->b, f->s.sharpv ? "{" : "map[");
    if (!(v.as.o->flags & OBJ_STATIC))
        v.as.o->flags |= OBJ_VISIT;
}

static void walk_close(Fmt *f, Obj *o)
{
    strbuf_appendc(f->b, o->type == VAL_MAP && f->s.sharpv ? '}' : ']');
    if (!(o->flags & OBJ_STATIC))
        o->flags &= (uint8_t)~OBJ_VISIT;
}

/* An element inside a container: nil prints unpadded, as Go prints a nil
 * interface inside a slice. */
static void print_elem(Fmt *f, Value v, int verb)
{
    if (v.type == VAL_NIL)
        strbuf_append(f->b, "nil", 3);
    else
        print_leaf(f, v, verb);
}

/* Go's printValue for one argument: containers element-wise. */
static void print_value(Fmt *f, Value v, int verb)
{
    if (!is_container(v) || verb == 'p') {
        print_leaf(f, v, verb);
        return;
    }
    Walk small[32];
    Walk *stack = small;
    size_t n = 0, cap = 32;
    walk_open(f, v);
    stack[n++] = (Walk){ v.as.o, 0, 0 };
    const char *sep = f->s.sharpv ? ", " : " ";
    while (n) {
        Walk *w = &stack[n - 1];
        Value elem;
        if (w->o->type == VAL_LIST) {
            ObjList *l = (ObjList *)w->o;
            if (w->pos >= l->len) {
                walk_close(f, w->o);
                n--;
                continue;
            }
            elem = l->items[w->pos++];
            if (w->n++)
                strbuf_appends(f->b, sep);
        } else {
            Value key;
            if (!map_next((ObjMap *)w->o, &w->pos, &key, &elem)) {
                walk_close(f, w->o);
                n--;
                continue;
            }
            if (w->n++)
                strbuf_appends(f->b, sep);
            print_elem(f, key, verb);
            strbuf_appends(f->b, f->s.sharpv ? ": " : ":");
        }
        if (!is_container(elem)) {
            print_elem(f, elem, verb);
            continue;
        }
        if (elem.as.o->flags & OBJ_VISIT) {
            strbuf_append(f->b, "[...]", 5);
            continue;
        }
        if (n == cap) {
            Walk *bigger = malloc(2 * cap * sizeof *bigger);
            if (!bigger)
                heap_out_of_memory();
            memcpy(bigger, stack, n * sizeof *bigger);
            if (stack != small)
                free(stack);
            stack = bigger;
            cap *= 2;
        }
        walk_open(f, elem);
        stack[n++] = (Walk){ elem.as.o, 0, 0 };
    }
    if (stack != small)
        free(stack);
}

/* Go's printArg. */
static void print_arg(Fmt *f, Value v, int verb)
{
    if (verb == 'T') {
        const char *t = value_type_name(v);
        fmt_s(f, t, strlen(t));
        return;
    }
    print_value(f, v, verb);
}

void fmt_value(StrBuf *b, Value v)
{
    switch (v.type) {                          /* fast paths */
    case VAL_STR:
        strbuf_append(b, AS_STR(v)->chars, AS_STR(v)->len);
        return;
    case VAL_INT:
        strbuf_appendf(b, "%lld", (long long)v.as.i);
        return;
    case VAL_FLOAT:
        strconv_float(b, v.as.f, 'g', -1);
        return;
    default:
        break;
    }
    Fmt f = { b, { 0 } };
    print_arg(&f, v, 'v');
}

void fmt_values(StrBuf *b, const Value *v, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            strbuf_appendc(b, ' ');
        fmt_value(b, v[i]);
    }
}

void fmt_repr(StrBuf *b, Value v)
{
    if (v.type == VAL_STR)
        fmt_quote(b, AS_STR(v)->chars, AS_STR(v)->len);
    else
        fmt_value(b, v);
}

/* --- printf ------------------------------------------------------------------ */

enum { FMT_MAX_NUM = 1000000 };      /* Go's tooLarge: widths past this are errors */

/* Go's parsenum: a decimal number at s[*i..end). */
static bool parse_num(const char *s, size_t *i, size_t end, int *num)
{
    *num = 0;
    bool isnum = false;
    if (*i >= end)
        return false;
    for (; *i < end && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
        if (*num > FMT_MAX_NUM || *num < -FMT_MAX_NUM) {
            *num = 0;
            *i = end;
            return false;
        }
        *num = *num * 10 + (s[*i] - '0');
        isnum = true;
    }
    return isnum;
}

typedef struct Printf {
    Fmt f;
    const Value *args;
    int nargs;
    int argnum;
    bool reordered, good_argnum;
} Printf;

/* Go's argNumber: an explicit argument index [n] at format[*i]. */
static bool arg_number(Printf *p, const char *format, size_t *i, size_t end)
{
    if (*i >= end || format[*i] != '[')
        return false;
    p->reordered = true;
    /* parseArgNumber */
    size_t len = end - *i;
    int index = 0;
    size_t wid = 1;
    bool ok = false;
    if (len >= 3) {
        for (size_t j = 1; j < len; j++) {
            if (format[*i + j] == ']') {
                size_t k = *i + 1;
                int width;
                bool isnum = parse_num(format, &k, *i + j, &width);
                if (!isnum || k != *i + j) {
                    wid = j + 1;
                    ok = false;
                } else {
                    index = width - 1;
                    wid = j + 1;
                    ok = true;
                }
                break;
            }
        }
    }
    *i += wid;
    if (ok && index >= 0 && index < p->nargs) {
        p->argnum = index;
        return true;
    }
    p->good_argnum = false;
    return ok;
}

/* Go's intFromArg: a `*` width or precision. */
static bool int_from_arg(Printf *p, int *num)
{
    *num = 0;
    if (p->argnum >= p->nargs)
        return false;
    Value v = p->args[p->argnum++];
    if (v.type != VAL_INT)
        return false;
    if (v.as.i > FMT_MAX_NUM || v.as.i < -FMT_MAX_NUM)
        return false;
    *num = (int)v.as.i;
    return true;
}

static void printf_verb_error(Printf *p, int verb, const char *what)
{
    char vb[4];
    strbuf_append(p->f.b, "%!", 2);
    strbuf_append(p->f.b, vb, (size_t)utf8_encode(vb, verb));
    strbuf_appendc(p->f.b, '(');
    strbuf_appends(p->f.b, what);
    strbuf_appendc(p->f.b, ')');
}

void fmt_printf(StrBuf *b, const char *format, size_t end, const Value *args, int nargs)
{
    Printf p = { { b, { 0 } }, args, nargs, 0, false, true };
    Spec *s = &p.f.s;
    bool after_index = false;
    for (size_t i = 0; i < end;) {
        p.good_argnum = true;
        size_t lasti = i;
        while (i < end && format[i] != '%')
            i++;
        if (i > lasti)
            strbuf_append(b, format + lasti, i - lasti);
        if (i >= end)
            break;
        i++;
        memset(s, 0, sizeof *s);
        bool simple_done = false;
        for (; i < end; i++) {
            char c = format[i];
            if (c == '#') {
                s->sharp = true;
            } else if (c == '0') {
                s->zero = !s->minus;
            } else if (c == '+') {
                s->plus = true;
            } else if (c == '-') {
                s->minus = true;
                s->zero = false;
            } else if (c == ' ') {
                s->space = true;
            } else {
                if (c >= 'a' && c <= 'z' && p.argnum < nargs) {
                    if (c == 'v') {
                        s->sharpv = s->sharp;
                        s->sharp = false;
                        s->plusv = s->plus;
                        s->plus = false;
                    }
                    print_arg(&p.f, args[p.argnum], c);
                    p.argnum++;
                    i++;
                    simple_done = true;
                }
                break;
            }
        }
        if (simple_done)
            continue;

        after_index = arg_number(&p, format, &i, end);

        if (i < end && format[i] == '*') {
            i++;
            s->wid_present = int_from_arg(&p, &s->wid);
            if (!s->wid_present)
                strbuf_appends(b, "%!(BADWIDTH)");
            if (s->wid < 0) {
                s->wid = -s->wid;
                s->minus = true;
                s->zero = false;
            }
            after_index = false;
        } else {
            s->wid_present = parse_num(format, &i, end, &s->wid);
            if (after_index && s->wid_present)
                p.good_argnum = false;
        }

        if (i + 1 < end && format[i] == '.') {
            i++;
            if (after_index)
                p.good_argnum = false;
            after_index = arg_number(&p, format, &i, end);
            if (i < end && format[i] == '*') {
                i++;
                s->prec_present = int_from_arg(&p, &s->prec);
                if (s->prec < 0) {
                    s->prec = 0;
                    s->prec_present = false;
                }
                if (!s->prec_present)
                    strbuf_appends(b, "%!(BADPREC)");
                after_index = false;
            } else {
                s->prec_present = parse_num(format, &i, end, &s->prec);
                if (!s->prec_present) {
                    s->prec = 0;
                    s->prec_present = true;
                }
            }
        }

        if (!after_index)
            after_index = arg_number(&p, format, &i, end);

        if (i >= end) {
            strbuf_appends(b, "%!(NOVERB)");
            break;
        }

        int w = 1;
        int verb = (unsigned char)format[i];
        if (verb >= 0x80)
            verb = utf8_decode(format + i, end - i, &w);
        i += (size_t)w;

        if (verb == '%') {
            strbuf_appendc(b, '%');
        } else if (!p.good_argnum) {
            printf_verb_error(&p, verb, "BADINDEX");
        } else if (p.argnum >= nargs) {
            printf_verb_error(&p, verb, "MISSING");
        } else {
            if (verb == 'v') {
                s->sharpv = s->sharp;
                s->sharp = false;
                s->plusv = s->plus;
                s->plus = false;
            }
            print_arg(&p.f, args[p.argnum], verb);
            p.argnum++;
        }
    }
    if (!p.reordered && p.argnum < nargs) {
        memset(s, 0, sizeof *s);
        strbuf_appends(b, "%!(EXTRA ");
        for (int k = p.argnum; k < nargs; k++) {
            if (k > p.argnum)
                strbuf_appends(b, ", ");
            if (args[k].type == VAL_NIL) {
                strbuf_appends(b, "nil");
            } else {
                strbuf_appends(b, value_type_name(args[k]));
                strbuf_appendc(b, '=');
                print_arg(&p.f, args[k], 'v');
            }
        }
        strbuf_appendc(b, ')');
    }
}
