/*
 * builtins.c — the built-in functions of LANGUAGE.md section 7 that need
 * no call machinery of the VM (recover and sort with a comparator are the
 * VM's).
 *
 * Natives follow object.h's contract: read every argument before writing
 * `out` (it may alias `args`), allocate in g->heap (which never collects
 * during a native), return the number of results or NATIVE_PANIC.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/chan.h"
#include "stdlib/stdlib.h"
#include "stdlib/strconv.h"
#include "vm/fmt.h"

/* Raises a panic whose value is v (the VM implements it). */
void vm_panic_value(Gor *g, Value v);

/* --- output ------------------------------------------------------------------- */

STDLIB_NATIVE(print, "print");
static int fn_print(Gor *g, int nargs, Value *args, Value *out)
{
    StrBuf b;
    strbuf_init(&b);
    fmt_values(&b, args, nargs);
    if (b.len)
        rt_write_stdout(b.data, b.len);
    strbuf_free(&b);
    return 0;
}

STDLIB_NATIVE(println, "println");
static int fn_println(Gor *g, int nargs, Value *args, Value *out)
{
    StrBuf b;
    strbuf_init(&b);
    fmt_values(&b, args, nargs);
    strbuf_appendc(&b, '\n');
    rt_write_stdout(b.data, b.len);
    strbuf_free(&b);
    return 0;
}

STDLIB_NATIVE(printf, "printf");
static int fn_printf(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "printf", nargs, 1, -1) ||
        !stdlib_check_type(g, "printf", args, 0, VAL_STR, "string"))
        return NATIVE_PANIC;
    StrBuf b;
    strbuf_init(&b);
    fmt_printf(&b, AS_STR(args[0])->chars, AS_STR(args[0])->len, args + 1, nargs - 1);
    if (b.len)
        rt_write_stdout(b.data, b.len);
    strbuf_free(&b);
    return 0;
}

STDLIB_NATIVE(sprintf, "sprintf");
static int fn_sprintf(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "sprintf", nargs, 1, -1) ||
        !stdlib_check_type(g, "sprintf", args, 0, VAL_STR, "string"))
        return NATIVE_PANIC;
    StrBuf b;
    strbuf_init(&b);
    fmt_printf(&b, AS_STR(args[0])->chars, AS_STR(args[0])->len, args + 1, nargs - 1);
    out[0] = STR_VAL(str_new(&g->heap, b.data ? b.data : "", b.len));
    strbuf_free(&b);
    return 1;
}

/* --- containers ------------------------------------------------------------------ */

STDLIB_NATIVE(len, "len");
static int fn_len(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "len", nargs, 1, 1))
        return NATIVE_PANIC;
    Value v = args[0];
    int64_t n;
    switch (v.type) {
    case VAL_STR: n = (int64_t)AS_STR(v)->len; break;
    case VAL_LIST: n = (int64_t)AS_LIST(v)->len; break;
    case VAL_MAP: n = (int64_t)AS_MAP(v)->count; break;
    case VAL_CHAN: n = chan_len(AS_CHAN(v)->chan); break;
    case VAL_NIL: n = 0; break;
    default: return stdlib_bad_arg(g, "len", 0, "string, list, map or chan", v);
    }
    out[0] = INT_VAL(n);
    return 1;
}

STDLIB_NATIVE(cap, "cap");
static int fn_cap(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "cap", nargs, 1, 1))
        return NATIVE_PANIC;
    Value v = args[0];
    int64_t n;
    switch (v.type) {
    case VAL_LIST: n = (int64_t)AS_LIST(v)->cap; break;
    case VAL_CHAN: n = chan_cap(AS_CHAN(v)->chan); break;
    case VAL_NIL: n = 0; break;
    default: return stdlib_bad_arg(g, "cap", 0, "list or chan", v);
    }
    out[0] = INT_VAL(n);
    return 1;
}

STDLIB_NATIVE(append, "append");
static int fn_append(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "append", nargs, 1, -1))
        return NATIVE_PANIC;
    ObjList *l;
    if (args[0].type == VAL_NIL)
        l = list_new(&g->heap, (size_t)(nargs - 1));
    else if (args[0].type == VAL_LIST)
        l = AS_LIST(args[0]);
    else
        return stdlib_bad_arg(g, "append", 0, "list", args[0]);
    list_reserve(&g->heap, l, l->len + (size_t)(nargs - 1));
    for (int i = 1; i < nargs; i++)
        l->items[l->len++] = args[i];
    out[0] = LIST_VAL(l);
    return 1;
}

STDLIB_NATIVE(delete, "delete");
static int fn_delete(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "delete", nargs, 2, 2))
        return NATIVE_PANIC;
    if (args[0].type == VAL_NIL)
        return 0;                                      /* as Go's nil map */
    if (args[0].type != VAL_MAP)
        return stdlib_bad_arg(g, "delete", 0, "map", args[0]);
    if (!map_key_ok(args[1])) {
        vm_panic(g, "invalid map key type %s", value_type_name(args[1]));
        return NATIVE_PANIC;
    }
    map_delete(AS_MAP(args[0]), args[1]);
    return 0;
}

STDLIB_NATIVE(close, "close");
static int fn_close(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "close", nargs, 1, 1))
        return NATIVE_PANIC;
    if (args[0].type == VAL_NIL) {
        vm_panic(g, "close of nil channel");
        return NATIVE_PANIC;
    }
    if (args[0].type != VAL_CHAN)
        return stdlib_bad_arg(g, "close", 0, "chan", args[0]);
    return chan_close(g, AS_CHAN(args[0])->chan) == CHAN_OK ? 0 : NATIVE_PANIC;
}

STDLIB_NATIVE(panic, "panic");
static int fn_panic(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "panic", nargs, 1, 1))
        return NATIVE_PANIC;
    vm_panic_value(g, args[0]);
    return NATIVE_PANIC;
}

/* --- conversions ------------------------------------------------------------------ */

STDLIB_NATIVE(str, "str");
static int fn_str(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "str", nargs, 1, 1))
        return NATIVE_PANIC;
    if (args[0].type == VAL_STR) {
        out[0] = args[0];
        return 1;
    }
    if (args[0].type == VAL_INT) {                   /* common: no buffer, no printf */
        char buf[24], *p = buf + sizeof buf;
        int64_t i = args[0].as.i;
        uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (i < 0)
            *--p = '-';
        out[0] = STR_VAL(str_new(&g->heap, p, (size_t)(buf + sizeof buf - p)));
        return 1;
    }
    StrBuf b;
    strbuf_init(&b);
    fmt_value(&b, args[0]);
    out[0] = STR_VAL(str_new(&g->heap, b.data ? b.data : "", b.len));
    strbuf_free(&b);
    return 1;
}

/* `strconv.ParseInt: parsing "S": invalid syntax` as a string in g's heap. */
static Value conv_error(Gor *g, const char *func, const ObjStr *s, int err)
{
    StrBuf b;
    strbuf_init(&b);
    strbuf_appends(&b, "strconv.");
    strbuf_appends(&b, func);
    strbuf_appends(&b, ": parsing ");
    fmt_quote(&b, s->chars, s->len);
    strbuf_appends(&b, err == CONV_RANGE ? ": value out of range" : ": invalid syntax");
    Value v = STR_VAL(str_new(&g->heap, b.data, b.len));
    strbuf_free(&b);
    return v;
}

STDLIB_NATIVE(int, "int");
static int fn_int(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "int", nargs, 1, 1))
        return NATIVE_PANIC;
    Value v = args[0];
    switch (v.type) {
    case VAL_INT:
        out[0] = v;
        return 1;
    case VAL_FLOAT: {
        double f = v.as.f;
        if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) {
            vm_panic(g, "float out of range for int");
            return NATIVE_PANIC;
        }
        out[0] = INT_VAL((int64_t)f);
        return 1;
    }
    case VAL_STR: {
        int64_t i;
        int r = conv_parse_int(AS_STR(v)->chars, AS_STR(v)->len, &i);
        if (r == CONV_OK) {
            out[0] = INT_VAL(i);
            out[1] = NIL_VAL;
        } else {
            Value err = conv_error(g, "ParseInt", AS_STR(v), r);
            out[0] = NIL_VAL;
            out[1] = err;
        }
        return 2;
    }
    default:
        return stdlib_bad_arg(g, "int", 0, "number or string", v);
    }
}

STDLIB_NATIVE(float, "float");
static int fn_float(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "float", nargs, 1, 1))
        return NATIVE_PANIC;
    Value v = args[0];
    switch (v.type) {
    case VAL_INT:
        out[0] = FLOAT_VAL((double)v.as.i);
        return 1;
    case VAL_FLOAT:
        out[0] = v;
        return 1;
    case VAL_STR: {
        double f;
        int r = conv_parse_float(AS_STR(v)->chars, AS_STR(v)->len, &f);
        if (r == CONV_OK) {
            out[0] = FLOAT_VAL(f);
            out[1] = NIL_VAL;
        } else {
            Value err = conv_error(g, "ParseFloat", AS_STR(v), r);
            out[0] = NIL_VAL;
            out[1] = err;
        }
        return 2;
    }
    default:
        return stdlib_bad_arg(g, "float", 0, "number or string", v);
    }
}

/* The strings type() returns, made once: static strings are shared. */
static ObjStr *type_strs[VAL__COUNT];
static pthread_once_t type_strs_once = PTHREAD_ONCE_INIT;

static void type_strs_init(void)
{
    for (int t = 0; t < VAL__COUNT; t++) {
        Value v = { .type = (uint8_t)t };
        const char *name = value_type_name(v);
        type_strs[t] = str_static(name, strlen(name));
    }
}

STDLIB_NATIVE(type, "type");
static int fn_type(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "type", nargs, 1, 1))
        return NATIVE_PANIC;
    pthread_once(&type_strs_once, type_strs_init);
    out[0] = STR_VAL(type_strs[args[0].type < VAL__COUNT ? args[0].type : VAL_NIL]);
    return 1;
}

STDLIB_NATIVE(chr, "chr");
static int fn_chr(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "chr", nargs, 1, 1) ||
        !stdlib_check_type(g, "chr", args, 0, VAL_INT, "int"))
        return NATIVE_PANIC;
    int64_t n = args[0].as.i;
    char buf[4];
    int len = utf8_encode(buf, (n < 0 || n > 0x10ffff) ? 0xfffd : (int32_t)n);
    out[0] = STR_VAL(str_new(&g->heap, buf, (size_t)len));
    return 1;
}

STDLIB_NATIVE(ord, "ord");
static int fn_ord(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "ord", nargs, 1, 1) ||
        !stdlib_check_type(g, "ord", args, 0, VAL_STR, "string"))
        return NATIVE_PANIC;
    const ObjStr *s = AS_STR(args[0]);
    if (s->len == 0) {
        vm_panic(g, "ord of empty string");
        return NATIVE_PANIC;
    }
    int w;
    out[0] = INT_VAL(utf8_decode(s->chars, s->len, &w));
    return 1;
}

STDLIB_NATIVE(list, "list");
static int fn_list(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "list", nargs, 1, 2) ||
        !stdlib_check_type(g, "list", args, 0, VAL_INT, "int"))
        return NATIVE_PANIC;
    int64_t n = args[0].as.i;
    Value fill = nargs > 1 ? args[1] : NIL_VAL;
    if (n < 0) {
        vm_panic(g, "negative list length");
        return NATIVE_PANIC;
    }
    if ((uint64_t)n > SIZE_MAX / sizeof(Value))
        heap_out_of_memory();
    ObjList *l = list_new(&g->heap, (size_t)n);
    for (int64_t i = 0; i < n; i++)
        l->items[i] = fill;
    l->len = (size_t)n;
    out[0] = LIST_VAL(l);
    return 1;
}

/* keys(m) and values(m). */
static int map_elements(Gor *g, int nargs, Value *args, Value *out, const char *name, bool want_keys)
{
    if (!stdlib_check_nargs(g, name, nargs, 1, 1))
        return NATIVE_PANIC;
    if (args[0].type != VAL_MAP && args[0].type != VAL_NIL)
        return stdlib_bad_arg(g, name, 0, "map", args[0]);
    ObjMap *m = args[0].type == VAL_MAP ? AS_MAP(args[0]) : NULL;
    ObjList *l = list_new(&g->heap, m ? m->count : 0);
    if (m) {
        size_t pos = 0;
        Value k, v;
        while (map_next(m, &pos, &k, &v))
            l->items[l->len++] = want_keys ? k : v;
    }
    out[0] = LIST_VAL(l);
    return 1;
}

STDLIB_NATIVE(keys, "keys");
static int fn_keys(Gor *g, int nargs, Value *args, Value *out)
{
    return map_elements(g, nargs, args, out, "keys", true);
}

STDLIB_NATIVE(values, "values");
static int fn_values(Gor *g, int nargs, Value *args, Value *out)
{
    return map_elements(g, nargs, args, out, "values", false);
}

/* --- ordering: sort, min, max ------------------------------------------------------- */

/* a < b for two numbers or two strings (the caller checked the kinds). */
static inline bool less(Value a, Value b)
{
    if (a.type == VAL_INT && b.type == VAL_INT)
        return a.as.i < b.as.i;
    if (a.type == VAL_STR)
        return str_compare(AS_STR(a), AS_STR(b)) < 0;
    double x = a.type == VAL_INT ? (double)a.as.i : a.as.f;
    double y = b.type == VAL_INT ? (double)b.as.i : b.as.f;
    return x < y;
}

/* 0: number, 1: string, -1: not orderable. */
static inline int order_kind(Value v)
{
    if (v.type == VAL_INT || v.type == VAL_FLOAT)
        return 0;
    if (v.type == VAL_STR)
        return 1;
    return -1;
}

/* Stable merge sort of v[0..n) using tmp[0..n) as scratch; bottom-up, so
 * no recursion. */
static void merge_sort(Value *v, Value *tmp, size_t n)
{
    /* insertion-sort runs of 16, then merge */
    const size_t run = 16;
    for (size_t lo = 0; lo < n; lo += run) {
        size_t hi = lo + run < n ? lo + run : n;
        for (size_t i = lo + 1; i < hi; i++) {
            Value x = v[i];
            size_t j = i;
            while (j > lo && less(x, v[j - 1])) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
    }
    Value *src = v, *dst = tmp;
    for (size_t width = run; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            if (mid == hi || !less(src[mid], src[mid - 1])) {
                memcpy(dst + lo, src + lo, (hi - lo) * sizeof *v);   /* already in order */
                continue;
            }
            while (i < mid && j < hi)
                dst[k++] = less(src[j], src[i]) ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        Value *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
}

STDLIB_NATIVE(sort, "sort");
static int fn_sort(Gor *g, int nargs, Value *args, Value *out)
{
    if (nargs == 2) {
        vm_panic(g, "sort with less function must be called directly");
        return NATIVE_PANIC;
    }
    if (!stdlib_check_nargs(g, "sort", nargs, 1, 2))
        return NATIVE_PANIC;
    if (args[0].type == VAL_NIL)
        return 0;
    if (args[0].type != VAL_LIST)
        return stdlib_bad_arg(g, "sort", 0, "list", args[0]);
    ObjList *l = AS_LIST(args[0]);
    if (l->len < 2)
        return 0;
    int kind = order_kind(l->items[0]);
    for (size_t i = 0; i < l->len; i++) {
        int k = order_kind(l->items[i]);
        if (k < 0 || k != kind) {
            Value a = l->items[i], b = l->items[i ? 0 : 1];
            vm_panic(g, "invalid operation: %s < %s", value_type_name(a), value_type_name(b));
            return NATIVE_PANIC;
        }
    }
    Value *tmp = malloc(l->len * sizeof(Value));
    if (!tmp)
        heap_out_of_memory();
    merge_sort(l->items, tmp, l->len);
    free(tmp);
    return 0;
}

static int min_max(Gor *g, int nargs, Value *args, Value *out, const char *name, bool want_max)
{
    if (!stdlib_check_nargs(g, name, nargs, 1, -1))
        return NATIVE_PANIC;
    int kind = order_kind(args[0]);
    if (kind < 0)
        return stdlib_bad_arg(g, name, 0, "number or string", args[0]);
    Value best = args[0];
    bool nan = kind == 0 && best.type == VAL_FLOAT && isnan(best.as.f);
    for (int i = 1; i < nargs; i++) {
        Value v = args[i];
        int k = order_kind(v);
        if (k < 0)
            return stdlib_bad_arg(g, name, i, "number or string", v);
        if (k != kind) {
            vm_panic(g, "invalid operation: %s < %s", value_type_name(v), value_type_name(best));
            return NATIVE_PANIC;
        }
        if (v.type == VAL_FLOAT && isnan(v.as.f)) {
            nan = true;
            best = v;
        }
        if (!nan && (want_max ? less(best, v) : less(v, best)))
            best = v;
    }
    out[0] = best;
    return 1;
}

STDLIB_NATIVE(min, "min");
static int fn_min(Gor *g, int nargs, Value *args, Value *out)
{
    return min_max(g, nargs, args, out, "min", false);
}

STDLIB_NATIVE(max, "max");
static int fn_max(Gor *g, int nargs, Value *args, Value *out)
{
    return min_max(g, nargs, args, out, "max", true);
}

/* --- the table ---------------------------------------------------------------------- */

static ModuleMember builtin_members[] = {
    NATIVE_MEMBER("print", print),
    NATIVE_MEMBER("println", println),
    NATIVE_MEMBER("printf", printf),
    NATIVE_MEMBER("sprintf", sprintf),
    NATIVE_MEMBER("len", len),
    NATIVE_MEMBER("cap", cap),
    NATIVE_MEMBER("append", append),
    NATIVE_MEMBER("delete", delete),
    NATIVE_MEMBER("close", close),
    NATIVE_MEMBER("panic", panic),
    NATIVE_MEMBER("str", str),
    NATIVE_MEMBER("int", int),
    NATIVE_MEMBER("float", float),
    NATIVE_MEMBER("type", type),
    NATIVE_MEMBER("chr", chr),
    NATIVE_MEMBER("ord", ord),
    NATIVE_MEMBER("list", list),
    NATIVE_MEMBER("keys", keys),
    NATIVE_MEMBER("values", values),
    NATIVE_MEMBER("sort", sort),
    NATIVE_MEMBER("min", min),
    NATIVE_MEMBER("max", max),
};

static ObjModule builtins_module = {
    { NULL, VAL_MODULE, OBJ_STATIC }, "builtins",
    sizeof builtin_members / sizeof builtin_members[0], builtin_members,
};

ObjModule *stdlib_builtins_module(void)
{
    return &builtins_module;
}
