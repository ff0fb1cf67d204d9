/*
 * strings.c — the `strings` module (LANGUAGE.md section 8), after Go's
 * strings package. Strings are bytes; functions that look at characters
 * (split with "", fields, trim, trim_space, to_upper/to_lower, count and
 * replace with an empty pattern) decode UTF-8 as Go does.
 *
 * Case mapping covers ASCII, Latin-1, Latin Extended-A, Greek and
 * Cyrillic; other characters are left unchanged.
 */
#include <string.h>

#include "stdlib/stdlib.h"
#include "vm/fmt.h"

#define STR(v) AS_STR(v)

static Value new_str(Gor *g, const char *s, size_t n)
{
    return STR_VAL(str_new(&g->heap, s, n));
}

/* Checks nargs and that args[0..nstr) are strings. */
static bool check_strs(Gor *g, const char *name, int nargs, Value *args, int want, int nstr)
{
    if (!stdlib_check_nargs(g, name, nargs, want, want))
        return false;
    for (int i = 0; i < nstr; i++)
        if (!stdlib_check_type(g, name, args, i, VAL_STR, "string"))
            return false;
    return true;
}

/* First index of needle in hay, or -1. */
static ptrdiff_t find(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0)
        return 0;
    if (nn > hn)
        return -1;
    if (nn == 1) {
        const char *p = memchr(hay, needle[0], hn);
        return p ? p - hay : -1;
    }
    const char *p = memmem(hay, hn, needle, nn);
    return p ? p - hay : -1;
}

static size_t utf8_len(const char *s, size_t n, size_t i)
{
    if ((unsigned char)s[i] < 0x80)
        return 1;
    int w;
    utf8_decode(s + i, n - i, &w);
    return (size_t)w;
}

/* Go's unicode.IsSpace. */
static bool is_space(int32_t r)
{
    switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202f: case 0x205f: case 0x3000:
        return true;
    default:
        return r >= 0x2000 && r <= 0x200a;
    }
}

static int32_t decode_at(const char *s, size_t n, size_t i, int *w)
{
    if ((unsigned char)s[i] < 0x80) {
        *w = 1;
        return (unsigned char)s[i];
    }
    return utf8_decode(s + i, n - i, w);
}

/* --- split, join, fields -------------------------------------------------------- */

STDLIB_NATIVE(split, "strings.split");
static int fn_split(Gor *g, int nargs, Value *args, Value *out)
{
    if (!check_strs(g, "strings.split", nargs, args, 2, 2))
        return NATIVE_PANIC;
    const ObjStr *s = STR(args[0]), *sep = STR(args[1]);
    ObjList *l = list_new(&g->heap, 0);
    if (sep->len == 0) {                               /* one element per UTF-8 sequence */
        list_reserve(&g->heap, l, s->len);
        for (size_t i = 0; i < s->len;) {
            size_t w = utf8_len(s->chars, s->len, i);
            list_push(&g->heap, l, new_str(g, s->chars + i, w));
            i += w;
        }
    } else {
        size_t start = 0;
        for (;;) {
            ptrdiff_t k = find(s->chars + start, s->len - start, sep->chars, sep->len);
            if (k < 0)
                break;
            list_push(&g->heap, l, new_str(g, s->chars + start, (size_t)k));
            start += (size_t)k + sep->len;
        }
        list_push(&g->heap, l, new_str(g, s->chars + start, s->len - start));
    }
    out[0] = LIST_VAL(l);
    return 1;
}

STDLIB_NATIVE(join, "strings.join");
static int fn_join(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "strings.join", nargs, 2, 2) ||
        !stdlib_check_type(g, "strings.join", args, 0, VAL_LIST, "list") ||
        !stdlib_check_type(g, "strings.join", args, 1, VAL_STR, "string"))
        return NATIVE_PANIC;
    const ObjList *l = AS_LIST(args[0]);
    const ObjStr *sep = STR(args[1]);
    size_t total = 0;
    for (size_t i = 0; i < l->len; i++) {
        if (l->items[i].type != VAL_STR) {
            vm_panic(g, "bad argument 1 to strings.join (want list of strings, have %s element)",
                     value_type_name(l->items[i]));
            return NATIVE_PANIC;
        }
        total += STR(l->items[i])->len;
    }
    if (l->len)
        total += sep->len * (l->len - 1);
    ObjStr *r = str_alloc(&g->heap, total);
    char *p = r->chars;
    for (size_t i = 0; i < l->len; i++) {
        if (i && sep->len) {
            memcpy(p, sep->chars, sep->len);
            p += sep->len;
        }
        const ObjStr *e = STR(l->items[i]);
        memcpy(p, e->chars, e->len);
        p += e->len;
    }
    str_rehash(r);
    out[0] = STR_VAL(r);
    return 1;
}

STDLIB_NATIVE(fields, "strings.fields");
static int fn_fields(Gor *g, int nargs, Value *args, Value *out)
{
    if (!check_strs(g, "strings.fields", nargs, args, 1, 1))
        return NATIVE_PANIC;
    const ObjStr *s = STR(args[0]);
    ObjList *l = list_new(&g->heap, 0);
    size_t i = 0;
    while (i < s->len) {
        int w;
        while (i < s->len && is_space(decode_at(s->chars, s->len, i, &w)))
            i += (size_t)w;
        size_t start = i;
        while (i < s->len && !is_space(decode_at(s->chars, s->len, i, &w)))
            i += (size_t)w;
        if (i > start)
            list_push(&g->heap, l, new_str(g, s->chars + start, i - start));
    }
    out[0] = LIST_VAL(l);
    return 1;
}

/* --- searching ---------------------------------------------------------------------- */

STDLIB_NATIVE(contains, "strings.contains");
static int fn_contains(Gor *g, int nargs, Value *args, Value *out)
{
    if (!check_strs(g, "strings.contains", nargs, args, 2, 2))
        return NATIVE_PANIC;
    out[0] = BOOL_VAL(find(STR(args[0])->chars, STR(args[0])->len, STR(args[1])->chars, STR(args[1])->len) >= 0);
    return 1;
}

STDLIB_NATIVE(index, "strings.index");
static int fn_index(Gor *g, int nargs, Value *args, Value *out)
{
    if (!check_strs(g, "strings.index", nargs, args, 2, 2))
        return NATIVE_PANIC;
    out[0] = INT_VAL(find(STR(args[0])->chars, STR(args[0])->len, STR(args[1])->chars, STR(args[1])->len));
    return 1;
}

STDLIB_NATIVE(has_prefix, "strings.has_prefix");
static int fn_has_prefix(Gor *g, int nargs, Value *args, Value *out)
{
    if (!check_strs(g, "strings.has_prefix", nargs, args, 2, 2))
        return NATIVE_PANIC;
    const ObjStr *s = STR(args[0]), *p = STR(args[1]);
    out[0] = BOOL_VAL(p->len <= s->len && memcmp(s->chars, p->chars, p->len) == 0);
    return 1;
}

STDLIB_NATIVE(has_suffix, "strings.has_suffix");
static int fn_has_suffix(Gor *g, int nargs, Value *args, Value *out)
{
    if (!check_strs(g, "strings.has_suffix", nargs, args, 2, 2))
        return NATIVE_PANIC;
    const ObjStr *s = STR(args[0]), *p = STR(args[1]);
    out[0] = BOOL_VAL(p->len <= s->len && memcmp(s->chars + s->len - p->len, p->chars, p->len) == 0);
    return 1;
}

/* Non-overlapping occurrences; for "" the number of code points + 1. */
static size_t count(const ObjStr *s, const ObjStr *sub)
{
    if (sub->len == 0) {
        size_t n = 0;
        for (size_t i = 0; i < s->len; i += utf8_len(s->chars, s->len, i))
            n++;
        return n + 1;
    }
    size_t n = 0, i = 0;
    for (;;) {
        ptrdiff_t k = find(s->chars + i, s->len - i, sub->chars, sub->len);
        if (k < 0)
            return n;
        n++;
        i += (size_t)k + sub->len;
    }
}

STDLIB_NATIVE(count, "strings.count");
static int fn_count(Gor *g, int nargs, Value *args, Value *out)
{
    if (!check_strs(g, "strings.count", nargs, args, 2, 2))
        return NATIVE_PANIC;
    out[0] = INT_VAL((int64_t)count(STR(args[0]), STR(args[1])));
    return 1;
}

/* --- building --------------------------------------------------------------------- */

STDLIB_NATIVE(replace, "strings.replace");
static int fn_replace(Gor *g, int nargs, Value *args, Value *out)
{
    if (!check_strs(g, "strings.replace", nargs, args, 3, 3))
        return NATIVE_PANIC;
    const ObjStr *s = STR(args[0]), *old = STR(args[1]), *rep = STR(args[2]);
    if (str_equal(old, rep) || (old->len > 0 && find(s->chars, s->len, old->chars, old->len) < 0)) {
        out[0] = args[0];
        return 1;
    }
    StrBuf b;
    strbuf_init(&b);
    if (old->len == 0) {
        /* Go: the replacement goes before each code point and at the end. */
        strbuf_append(&b, rep->chars, rep->len);
        for (size_t i = 0; i < s->len;) {
            size_t w = utf8_len(s->chars, s->len, i);
            strbuf_append(&b, s->chars + i, w);
            strbuf_append(&b, rep->chars, rep->len);
            i += w;
        }
    } else {
        size_t i = 0;
        for (;;) {
            ptrdiff_t k = find(s->chars + i, s->len - i, old->chars, old->len);
            if (k < 0)
                break;
            strbuf_append(&b, s->chars + i, (size_t)k);
            strbuf_append(&b, rep->chars, rep->len);
            i += (size_t)k + old->len;
        }
        strbuf_append(&b, s->chars + i, s->len - i);
    }
    out[0] = new_str(g, b.data ? b.data : "", b.len);
    strbuf_free(&b);
    return 1;
}

STDLIB_NATIVE(repeat, "strings.repeat");
static int fn_repeat(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "strings.repeat", nargs, 2, 2) ||
        !stdlib_check_type(g, "strings.repeat", args, 0, VAL_STR, "string") ||
        !stdlib_check_type(g, "strings.repeat", args, 1, VAL_INT, "int"))
        return NATIVE_PANIC;
    const ObjStr *s = STR(args[0]);
    int64_t n = args[1].as.i;
    if (n < 0) {
        vm_panic(g, "strings: negative Repeat count");
        return NATIVE_PANIC;
    }
    if (s->len && (uint64_t)n > SIZE_MAX / 2 / s->len) {
        vm_panic(g, "strings: Repeat output length overflow");
        return NATIVE_PANIC;
    }
    ObjStr *r = str_alloc(&g->heap, s->len * (size_t)n);
    for (int64_t i = 0; i < n; i++)
        memcpy(r->chars + (size_t)i * s->len, s->chars, s->len);
    str_rehash(r);
    out[0] = STR_VAL(r);
    return 1;
}

/* --- trimming ----------------------------------------------------------------------- */

/* The code points trim_space and trim cut; `cut` is trim's cutset. */
typedef bool (*TrimPred)(int32_t r, const ObjStr *cut);

static bool space_pred(int32_t r, const ObjStr *cut)
{
    (void)cut;
    return is_space(r);
}

/* Is code point r in the cutset? */
static bool in_cutset(int32_t r, const ObjStr *cut)
{
    for (size_t i = 0; i < cut->len;) {
        int w;
        int32_t c = decode_at(cut->chars, cut->len, i, &w);
        if (c == r)
            return true;
        i += (size_t)w;
    }
    return false;
}

/* out[0] = args[0] without its leading and trailing code points that
 * satisfy pred (args[0] itself when there are none). */
static int trim_by(Gor *g, Value *args, Value *out, TrimPred pred, const ObjStr *cut)
{
    const ObjStr *s = STR(args[0]);
    size_t lo = 0, hi = s->len;
    int w;
    while (lo < hi && pred(decode_at(s->chars, hi, lo, &w), cut))
        lo += (size_t)w;
    while (hi > lo) {
        /* step back to the start of the last code point */
        size_t k = hi - 1;
        while (k > lo && hi - k < 4 && ((unsigned char)s->chars[k] & 0xc0) == 0x80)
            k--;
        int32_t r = decode_at(s->chars, hi, k, &w);
        if (k + (size_t)w != hi) {
            k = hi - 1;
            r = 0xfffd;
        }
        if (!pred(r, cut))
            break;
        hi = k;
    }
    out[0] = (lo == 0 && hi == s->len) ? args[0] : new_str(g, s->chars + lo, hi - lo);
    return 1;
}

STDLIB_NATIVE(trim_space, "strings.trim_space");
static int fn_trim_space(Gor *g, int nargs, Value *args, Value *out)
{
    if (!check_strs(g, "strings.trim_space", nargs, args, 1, 1))
        return NATIVE_PANIC;
    return trim_by(g, args, out, space_pred, NULL);
}

STDLIB_NATIVE(trim, "strings.trim");
static int fn_trim(Gor *g, int nargs, Value *args, Value *out)
{
    if (!check_strs(g, "strings.trim", nargs, args, 2, 2))
        return NATIVE_PANIC;
    return trim_by(g, args, out, in_cutset, STR(args[1]));
}

/* --- case ------------------------------------------------------------------------ */

static int32_t to_upper_rune(int32_t r)
{
    if (r < 0x80)
        return (r >= 'a' && r <= 'z') ? r - 32 : r;
    if (r == 0xb5)
        return 0x39c;
    if ((r >= 0xe0 && r <= 0xfe && r != 0xf7))
        return r - 32;
    if (r == 0xff)
        return 0x178;
    if (r == 0x131)
        return 'I';
    if (r == 0x17f)
        return 'S';
    if (r >= 0x100 && r <= 0x17f && r != 0x130 && r != 0x131 && r != 0x138 && r != 0x149 && r != 0x17f) {
        /* capitals are even, except in 0x139-0x148 and 0x179-0x17e */
        bool upper_odd = (r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17e);
        if (upper_odd ? (r % 2 == 0) : (r % 2 == 1))
            return r - 1;
        return r;
    }
    if (r >= 0x3b1 && r <= 0x3c9 && r != 0x3c2)
        return r - 32;
    if (r == 0x3c2)
        return 0x3a3;
    if (r >= 0x430 && r <= 0x44f)
        return r - 32;
    if (r >= 0x450 && r <= 0x45f)
        return r - 80;
    return r;
}

static int32_t to_lower_rune(int32_t r)
{
    if (r < 0x80)
        return (r >= 'A' && r <= 'Z') ? r + 32 : r;
    if (r >= 0xc0 && r <= 0xde && r != 0xd7)
        return r + 32;
    if (r == 0x178)
        return 0xff;
    if (r >= 0x100 && r <= 0x17f && r != 0x130 && r != 0x131 && r != 0x138 && r != 0x149 && r != 0x17f) {
        bool upper_odd = (r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17e);
        if (upper_odd ? (r % 2 == 1) : (r % 2 == 0))
            return r + 1;
        return r;
    }
    if (r == 0x130)
        return 'i';
    if (r >= 0x391 && r <= 0x3a9 && r != 0x3a2)
        return r + 32;
    if (r >= 0x410 && r <= 0x42f)
        return r + 32;
    if (r >= 0x400 && r <= 0x40f)
        return r + 80;
    return r;
}

static int map_case(Gor *g, int nargs, Value *args, Value *out, const char *name, bool upper)
{
    if (!check_strs(g, name, nargs, args, 1, 1))
        return NATIVE_PANIC;
    const ObjStr *s = STR(args[0]);
    bool ascii = true;
    for (size_t i = 0; i < s->len && ascii; i++)
        if ((unsigned char)s->chars[i] >= 0x80)
            ascii = false;
    if (ascii) {
        ObjStr *r = str_alloc(&g->heap, s->len);
        for (size_t i = 0; i < s->len; i++) {
            char c = s->chars[i];
            if (upper && c >= 'a' && c <= 'z')
                c = (char)(c - 32);
            else if (!upper && c >= 'A' && c <= 'Z')
                c = (char)(c + 32);
            r->chars[i] = c;
        }
        str_rehash(r);
        out[0] = STR_VAL(r);
        return 1;
    }
    StrBuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < s->len;) {
        int w;
        int32_t r = decode_at(s->chars, s->len, i, &w);
        if (r == 0xfffd && w == 1) {
            strbuf_append(&b, "\xef\xbf\xbd", 3);      /* Go maps invalid bytes to U+FFFD */
        } else {
            char enc[4];
            int n = utf8_encode(enc, upper ? to_upper_rune(r) : to_lower_rune(r));
            strbuf_append(&b, enc, (size_t)n);
        }
        i += (size_t)w;
    }
    out[0] = new_str(g, b.data ? b.data : "", b.len);
    strbuf_free(&b);
    return 1;
}

STDLIB_NATIVE(to_upper, "strings.to_upper");
static int fn_to_upper(Gor *g, int nargs, Value *args, Value *out)
{
    return map_case(g, nargs, args, out, "strings.to_upper", true);
}

STDLIB_NATIVE(to_lower, "strings.to_lower");
static int fn_to_lower(Gor *g, int nargs, Value *args, Value *out)
{
    return map_case(g, nargs, args, out, "strings.to_lower", false);
}

static ModuleMember members[] = {
    NATIVE_MEMBER("split", split),
    NATIVE_MEMBER("join", join),
    NATIVE_MEMBER("contains", contains),
    NATIVE_MEMBER("has_prefix", has_prefix),
    NATIVE_MEMBER("has_suffix", has_suffix),
    NATIVE_MEMBER("index", index),
    NATIVE_MEMBER("replace", replace),
    NATIVE_MEMBER("trim_space", trim_space),
    NATIVE_MEMBER("trim", trim),
    NATIVE_MEMBER("to_upper", to_upper),
    NATIVE_MEMBER("to_lower", to_lower),
    NATIVE_MEMBER("repeat", repeat),
    NATIVE_MEMBER("fields", fields),
    NATIVE_MEMBER("count", count),
};

static ObjModule module = {
    { NULL, VAL_MODULE, OBJ_STATIC }, "strings", sizeof members / sizeof members[0], members,
};

ObjModule *stdlib_strings_module(void)
{
    return &module;
}
