/*
 * test_fmt.c — value formatting and printf, checked against outputs of
 * Go's fmt.Sprintf (test_fmt_cases.inc), plus csp-specific forms: nested
 * and self-containing containers, functions, modules, deep nesting.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/code.h"
#include "vm/fmt.h"
#include "vm/heap.h"

__attribute__((weak)) void chan_retain(Chan *c) { (void)c; }
__attribute__((weak)) void chan_release(Chan *c) { (void)c; }
__attribute__((weak)) void handle_retain(Handle *h) { (void)h; }
__attribute__((weak)) void handle_release(Handle *h) { (void)h; }
__attribute__((weak)) void handle_format(Handle *h, char *buf, size_t size)
{
    snprintf(buf, size, "handle file %d", (int)(intptr_t)h);
}

static int passed, failed;
#define CHECK(cond) do { if (cond) passed++; else { failed++; \
    fprintf(stderr, "%s:%d: FAIL %s\n", __FILE__, __LINE__, #cond); } } while (0)

static Heap H;

typedef struct Case {
    const char *format, *args, *want;
    size_t wantlen;
} Case;

static const Case cases[] = {
#include "test_fmt_cases.inc"
};

/* Parses one value of the argument notation of test_fmt_cases.inc:
 * n nil, T/F bools, i<int>; d<hex float>; s<len>:<bytes>, [...] lists,
 * {k v ...} maps. */
static Value parse_value(const char **p)
{
    char c = *(*p)++;
    switch (c) {
    case 'n':
        return NIL_VAL;
    case 'T':
        return BOOL_VAL(true);
    case 'F':
        return BOOL_VAL(false);
    case 'i': {
        char *end;
        long long i = strtoll(*p, &end, 10);
        *p = end + 1;
        return INT_VAL(i);
    }
    case 'd': {
        char *end;
        double f = strtod(*p, &end);
        *p = end + 1;
        return FLOAT_VAL(f);
    }
    case 's': {
        char *end;
        size_t n = strtoul(*p, &end, 10);
        Value v = STR_VAL(str_new(&H, end + 1, n));
        *p = end + 1 + n;
        return v;
    }
    case '[': {
        ObjList *l = list_new(&H, 0);
        while (**p != ']')
            list_push(&H, l, parse_value(p));
        (*p)++;
        return LIST_VAL(l);
    }
    case '{': {
        ObjMap *m = map_new(&H, 0);
        while (**p != '}') {
            Value k = parse_value(p);
            Value v = parse_value(p);
            map_set(&H, m, k, v);
        }
        (*p)++;
        return MAP_VAL(m);
    }
    default:
        fprintf(stderr, "bad case notation %c\n", c);
        exit(2);
    }
}

static void test_go_cases(void)
{
    size_t n = sizeof cases / sizeof cases[0];
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        Value args[16];
        int nargs = 0;
        const char *p = cases[i].args;
        while (*p)
            args[nargs++] = parse_value(&p);
        StrBuf b;
        strbuf_init(&b);
        fmt_printf(&b, cases[i].format, strlen(cases[i].format), args, nargs);
        if (b.len == cases[i].wantlen && (b.len == 0 || memcmp(b.data, cases[i].want, b.len) == 0)) {
            passed++;
        } else {
            failed++;
            if (bad++ < 60)
                fprintf(stderr, "FAIL printf(\"%s\", %s): got [%.*s] want [%s]\n", cases[i].format,
                        cases[i].args, (int)b.len, b.data ? b.data : "", cases[i].want);
        }
        strbuf_free(&b);
    }
}

static bool fmt_is(Value v, const char *want)
{
    StrBuf b;
    strbuf_init(&b);
    fmt_value(&b, v);
    bool ok = b.len == strlen(want) && memcmp(b.data, want, b.len) == 0;
    if (!ok)
        fprintf(stderr, "  fmt_value: got [%.*s] want [%s]\n", (int)b.len, b.data, want);
    strbuf_free(&b);
    return ok;
}

static Value S(const char *s) { return STR_VAL(str_new(&H, s, strlen(s))); }

static void test_values(void)
{
    CHECK(fmt_is(NIL_VAL, "nil"));
    CHECK(fmt_is(BOOL_VAL(true), "true"));
    CHECK(fmt_is(INT_VAL(-42), "-42"));
    CHECK(fmt_is(FLOAT_VAL(3.0), "3"));
    CHECK(fmt_is(FLOAT_VAL(0.1), "0.1"));
    CHECK(fmt_is(FLOAT_VAL(1e6), "1e+06"));
    CHECK(fmt_is(FLOAT_VAL(1.5e-7), "1.5e-07"));
    CHECK(fmt_is(FLOAT_VAL(1e21), "1e+21"));
    CHECK(fmt_is(FLOAT_VAL(INFINITY), "+Inf"));
    CHECK(fmt_is(FLOAT_VAL(-INFINITY), "-Inf"));
    CHECK(fmt_is(FLOAT_VAL(NAN), "NaN"));
    CHECK(fmt_is(S("hi there"), "hi there"));
    ObjList *l = list_new(&H, 0);
    list_push(&H, l, INT_VAL(1));
    ObjList *inner = list_new(&H, 0);
    list_push(&H, inner, INT_VAL(2));
    list_push(&H, inner, INT_VAL(3));
    list_push(&H, l, LIST_VAL(inner));
    ObjMap *m = map_new(&H, 0);
    map_set(&H, m, S("a"), INT_VAL(1));
    list_push(&H, l, MAP_VAL(m));
    list_push(&H, l, S("s"));
    list_push(&H, l, NIL_VAL);
    CHECK(fmt_is(LIST_VAL(l), "[1 [2 3] map[a:1] s nil]"));
    /* insertion order, not sorted */
    ObjMap *o = map_new(&H, 0);
    map_set(&H, o, S("b"), INT_VAL(2));
    map_set(&H, o, S("a"), INT_VAL(1));
    map_set(&H, o, INT_VAL(3), FLOAT_VAL(0.5));
    CHECK(fmt_is(MAP_VAL(o), "map[b:2 a:1 3:0.5]"));
    /* self-containing */
    ObjList *self = list_new(&H, 0);
    list_push(&H, self, INT_VAL(1));
    list_push(&H, self, LIST_VAL(self));
    CHECK(fmt_is(LIST_VAL(self), "[1 [...]]"));
    ObjMap *ms = map_new(&H, 0);
    map_set(&H, ms, S("me"), MAP_VAL(ms));
    map_set(&H, ms, S("l"), LIST_VAL(self));
    CHECK(fmt_is(MAP_VAL(ms), "map[me:[...] l:[1 [...]]]"));
    /* shared but not cyclic: printed in full each time */
    ObjList *sh = list_new(&H, 0);
    list_push(&H, sh, LIST_VAL(inner));
    list_push(&H, sh, LIST_VAL(inner));
    CHECK(fmt_is(LIST_VAL(sh), "[[2 3] [2 3]]"));
    bool flags_clear = !(self->obj.flags & OBJ_VISIT) && !(ms->obj.flags & OBJ_VISIT);
    CHECK(flags_clear);
    /* functions, natives, modules, handles */
    static Proto proto = { .name = "main.func1" };
    ObjFunc *fn = func_new(&H, &proto, 0);
    CHECK(fmt_is(OBJ_VAL(VAL_FUNC, fn), "func main.func1"));
    static ObjNative nat = { { NULL, VAL_NATIVE, OBJ_STATIC }, "println", NULL };
    CHECK(fmt_is(OBJ_VAL(VAL_NATIVE, &nat), "func println"));
    static ObjModule mod = { { NULL, VAL_MODULE, OBJ_STATIC }, "time", 0, NULL };
    CHECK(fmt_is(OBJ_VAL(VAL_MODULE, &mod), "module time"));
    ObjHandle *hd = (ObjHandle *)heap_alloc(&H, sizeof(ObjHandle), VAL_HANDLE);
    hd->handle = (Handle *)(intptr_t)3;
    CHECK(fmt_is(OBJ_VAL(VAL_HANDLE, hd), "handle file 3"));
    ObjChan *ch = (ObjChan *)heap_alloc(&H, sizeof(ObjChan), VAL_CHAN);
    ch->chan = (Chan *)0xc000012345;
    CHECK(fmt_is(OBJ_VAL(VAL_CHAN, ch), "chan 0xc000012345"));
    /* printf with csp objects */
    StrBuf b;
    strbuf_init(&b);
    Value args[] = { OBJ_VAL(VAL_NATIVE, &nat), OBJ_VAL(VAL_NATIVE, &nat), LIST_VAL(l), LIST_VAL(l) };
    fmt_printf(&b, "%v|%d|%T|%#v", 12, args, 4);
    fmt_printf(&b, "|%#v", 4, (Value[]){ MAP_VAL(o) }, 1);
    CHECK(strcmp(strbuf_cstr(&b), "func println|%!d(func=func println)|list|[1, [2, 3], {\"a\": 1}, \"s\", nil]"
                                  "|{\"b\": 2, \"a\": 1, 3: 0.5}") == 0);
    strbuf_free(&b);
    /* csp forms: nil pads as "nil"; ints take float verbs, also in lists */
    strbuf_init(&b);
    Value fl[] = { NIL_VAL, NIL_VAL, LIST_VAL(inner), INT_VAL(3) };
    fmt_printf(&b, "%-5v|%5v|%.1f|%6.2f", 19, fl, 4);
    CHECK(strcmp(strbuf_cstr(&b), "nil  |  nil|[2.0 3.0]|  3.00") == 0);
    strbuf_free(&b);
    /* print operands */
    strbuf_init(&b);
    Value ops[] = { S("a"), INT_VAL(1), NIL_VAL, FLOAT_VAL(2.5) };
    fmt_values(&b, ops, 4);
    CHECK(strcmp(strbuf_cstr(&b), "a 1 nil 2.5") == 0);
    strbuf_free(&b);
    /* REPL echo */
    strbuf_init(&b);
    fmt_repr(&b, S("a\"b\n"));
    strbuf_appendc(&b, ' ');
    fmt_repr(&b, INT_VAL(5));
    CHECK(strcmp(strbuf_cstr(&b), "\"a\\\"b\\n\" 5") == 0);
    strbuf_free(&b);
}

static void test_deep(void)
{
    enum { DEPTH = 1000000 };
    ObjList *outer = list_new(&H, 0);
    for (int i = 0; i < DEPTH; i++) {
        ObjList *l = list_new(&H, 1);
        list_push(&H, l, LIST_VAL(outer));
        outer = l;
    }
    StrBuf b;
    strbuf_init(&b);
    fmt_value(&b, LIST_VAL(outer));
    CHECK(b.len == 2 * (size_t)DEPTH + 2);
    CHECK(b.data[0] == '[' && b.data[DEPTH] == '[' && b.data[DEPTH + 1] == ']' && b.data[b.len - 1] == ']');
    strbuf_free(&b);
}

static void test_utf8(void)
{
    int w;
    CHECK(utf8_decode("\xe4\xb8\x96", 3, &w) == 0x4e16 && w == 3);
    CHECK(utf8_decode("\xe4\xb8", 2, &w) == 0xfffd && w == 1);
    CHECK(utf8_decode("\xc0\x80", 2, &w) == 0xfffd && w == 1);          /* overlong */
    CHECK(utf8_decode("\xed\xa0\x80", 3, &w) == 0xfffd && w == 1);      /* surrogate */
    CHECK(utf8_decode("\xf4\x90\x80\x80", 4, &w) == 0xfffd && w == 1);  /* > U+10FFFF */
    CHECK(utf8_decode("\xf0\x9f\x98\x80", 4, &w) == 0x1f600 && w == 4);
    char buf[4];
    CHECK(utf8_encode(buf, 0x1f600) == 4 && memcmp(buf, "\xf0\x9f\x98\x80", 4) == 0);
    CHECK(utf8_encode(buf, -1) == 3 && memcmp(buf, "\xef\xbf\xbd", 3) == 0);
    CHECK(utf8_encode(buf, 0xd800) == 3);
}

int main(void)
{
    heap_init_globals();
    heap_init(&H);
    test_go_cases();
    test_values();
    test_deep();
    test_utf8();
    heap_free_all(&H);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
