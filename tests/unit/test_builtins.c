/*
 * test_builtins.c — the builtins and the pure standard modules (strings,
 * math, rand, os), called as the VM calls natives. Number parsing is
 * checked against Go's strconv outputs.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/chan.h"
#include "stdlib/stdlib.h"
#include "stdlib/strconv.h"
#include "vm/fmt.h"

/* Stubs for the VM and runtime pieces these natives call. */
static StrBuf captured;
static bool stub_output;
__attribute__((weak)) void rt_write_stdout(const char *buf, size_t len)
{
    stub_output = true;
    strbuf_append(&captured, buf, len);
}
__attribute__((weak)) void rt_write_stderr(const char *buf, size_t len) { (void)buf; (void)len; }
__attribute__((weak)) void rt_exit(int code) { exit(code); }
__attribute__((weak)) void vm_panic(Gor *g, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    g->panic_value = STR_VAL(str_new(&g->heap, buf, (size_t)n));
    g->panicking = true;
}
__attribute__((weak)) void vm_panic_value(Gor *g, Value v)
{
    g->panic_value = v;
    g->panicking = true;
}
__attribute__((weak)) void chan_retain(Chan *c) { (void)c; }
__attribute__((weak)) void chan_release(Chan *c) { (void)c; }
__attribute__((weak)) void handle_retain(Handle *h) { (void)h; }
__attribute__((weak)) void handle_release(Handle *h) { (void)h; }
__attribute__((weak)) void handle_format(Handle *h, char *buf, size_t size) { (void)h; snprintf(buf, size, "handle"); }

static int passed, failed;
#define CHECK(cond) do { if (cond) passed++; else { failed++; \
    fprintf(stderr, "%s:%d: FAIL %s\n", __FILE__, __LINE__, #cond); } } while (0)

static Gor *G;

static Value S(const char *s) { return STR_VAL(str_new(&G->heap, s, strlen(s))); }
static Value I(int64_t i) { return INT_VAL(i); }
static Value F(double f) { return FLOAT_VAL(f); }

static Value lookup(const char *name)
{
    Value f = NIL_VAL;
    const char *dot = strchr(name, '.');
    if (!dot) {
        if (!stdlib_builtin(name, &f))
            fprintf(stderr, "no builtin %s\n", name);
        return f;
    }
    char mod[32];
    snprintf(mod, sizeof mod, "%.*s", (int)(dot - name), name);
    ObjModule *m = stdlib_module(mod);
    if (!m || !module_get(m, dot + 1, &f))
        fprintf(stderr, "no member %s\n", name);
    return f;
}

/* Calls the native and renders its results as `%#v` joined by " | ", or
 * "panic: MESSAGE". */
static char *call(const char *name, int nargs, ...)
{
    Value args[8];
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++)
        args[i] = va_arg(ap, Value);
    va_end(ap);
    Value f = lookup(name);
    if (f.type != VAL_NATIVE)
        return strdup("?");
    G->panicking = false;
    Value out[NATIVE_MAX_RESULTS + 8];
    memcpy(out, args, sizeof args);          /* out may alias args: make them collide */
    int n = AS_NATIVE(f)->fn(G, nargs, out, out);
    StrBuf b;
    strbuf_init(&b);
    if (n == NATIVE_PANIC) {
        strbuf_appends(&b, "panic: ");
        fmt_value(&b, G->panic_value);
    } else {
        if (n == 0) {
            out[0] = NIL_VAL;
            n = 1;
        }
        for (int i = 0; i < n; i++) {
            if (i)
                strbuf_appends(&b, " | ");
            fmt_printf(&b, "%#v", 3, &out[i], 1);
        }
    }
    char *s = strdup(strbuf_cstr(&b));
    strbuf_free(&b);
    return s;
}

static int expect_line;
#define EXPECT(want, ...) do { expect_line = __LINE__; expect(want, __VA_ARGS__); } while (0)
static void expect(const char *want, char *got)
{
    if (strcmp(want, got) == 0) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "%s:%d: FAIL got [%s] want [%s]\n", __FILE__, expect_line, got, want);
    }
    free(got);
}

static Value list_of(int n, ...)
{
    ObjList *l = list_new(&G->heap, 0);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        list_push(&G->heap, l, va_arg(ap, Value));
    va_end(ap);
    return LIST_VAL(l);
}

static void test_core(void)
{
    EXPECT("3", call("len", 1, S("abc")));
    EXPECT("2", call("len", 1, list_of(2, I(1), I(2))));
    EXPECT("0", call("len", 1, NIL_VAL));
    EXPECT("panic: bad argument 1 to len (want string, list, map or chan, have int)", call("len", 1, I(3)));
    EXPECT("panic: wrong number of arguments in call to len: have 2, want 1", call("len", 2, S("a"), S("b")));
    Value l = list_of(1, I(1));
    EXPECT("[1, 2, \"x\"]", call("append", 3, l, I(2), S("x")));
    CHECK(AS_LIST(l)->len == 3);                       /* in place */
    EXPECT("[nil]", call("append", 2, NIL_VAL, NIL_VAL));
    EXPECT("panic: bad argument 1 to append (want list, have string)", call("append", 2, S("a"), I(1)));
    EXPECT("panic: wrong number of arguments in call to append: have 0, want at least 1", call("append", 0));
    EXPECT("\"[1 2 x]\"", call("str", 1, l));
    EXPECT("\"3\"", call("str", 1, F(3.0)));
    EXPECT("\"1e+21\"", call("str", 1, F(1e21)));
    EXPECT("\"nil\"", call("str", 1, NIL_VAL));
    EXPECT("\"int\"", call("type", 1, I(1)));
    EXPECT("\"float\"", call("type", 1, F(1)));
    EXPECT("\"nil\"", call("type", 1, NIL_VAL));
    EXPECT("\"list\"", call("type", 1, l));
    EXPECT("\"func\"", call("type", 1, lookup("println")));
    EXPECT("\"module\"", call("type", 1, OBJ_VAL(VAL_MODULE, stdlib_module("math"))));
    EXPECT("\"世\"", call("chr", 1, I(0x4e16)));
    EXPECT("\"\xef\xbf\xbd\"", call("chr", 1, I(-1)));
    EXPECT("19990", call("ord", 1, S("世界")));
    EXPECT("65533", call("ord", 1, S("\xff")));
    EXPECT("panic: ord of empty string", call("ord", 1, S("")));
    EXPECT("[nil, nil]", call("list", 1, I(2)));
    EXPECT("[0, 0, 0]", call("list", 2, I(3), I(0)));
    EXPECT("panic: negative list length", call("list", 1, I(-1)));
    EXPECT("panic: wrong number of arguments in call to list: have 3, want 1 or 2", call("list", 3, I(1), I(2), I(3)));
    /* int / float */
    EXPECT("3", call("int", 1, F(3.9)));
    EXPECT("-3", call("int", 1, F(-3.9)));
    EXPECT("5", call("int", 1, I(5)));
    EXPECT("-9223372036854775808", call("int", 1, F(-9223372036854775808.0)));
    EXPECT("panic: float out of range for int", call("int", 1, F(9223372036854775808.0)));
    EXPECT("panic: float out of range for int", call("int", 1, F(NAN)));
    EXPECT("panic: float out of range for int", call("int", 1, F(-INFINITY)));
    EXPECT("31 | nil", call("int", 1, S("0x1f")));
    EXPECT("nil | \"strconv.ParseInt: parsing \\\"3.5\\\": invalid syntax\"", call("int", 1, S("3.5")));
    EXPECT("panic: bad argument 1 to int (want number or string, have bool)", call("int", 1, BOOL_VAL(true)));
    EXPECT("2", call("float", 1, I(2)));
    EXPECT("1000 | nil", call("float", 1, S("1e3")));
    EXPECT("nil | \"strconv.ParseFloat: parsing \\\"x\\\": invalid syntax\"", call("float", 1, S("x")));
    /* maps */
    ObjMap *m = map_new(&G->heap, 0);
    map_set(&G->heap, m, S("b"), I(2));
    map_set(&G->heap, m, S("a"), I(1));
    map_set(&G->heap, m, I(3), I(3));
    EXPECT("[\"b\", \"a\", 3]", call("keys", 1, MAP_VAL(m)));
    EXPECT("[2, 1, 3]", call("values", 1, MAP_VAL(m)));
    EXPECT("nil", call("delete", 2, MAP_VAL(m), S("a")));
    EXPECT("nil", call("delete", 2, MAP_VAL(m), S("zz")));
    EXPECT("2", call("len", 1, MAP_VAL(m)));
    EXPECT("panic: invalid map key type list", call("delete", 2, MAP_VAL(m), l));
    EXPECT("nil", call("delete", 2, NIL_VAL, S("a")));
    EXPECT("[]", call("keys", 1, NIL_VAL));
    /* chans through the runtime's functions */
    ObjChan *ch = (ObjChan *)heap_alloc(&G->heap, sizeof(ObjChan), VAL_CHAN);
    ch->chan = chan_new(5);
    EXPECT("0", call("len", 1, OBJ_VAL(VAL_CHAN, ch)));
    EXPECT("5", call("cap", 1, OBJ_VAL(VAL_CHAN, ch)));
    EXPECT("panic: close of nil channel", call("close", 1, NIL_VAL));
    EXPECT("panic: bad argument 1 to close (want chan, have int)", call("close", 1, I(1)));
    /* panic */
    EXPECT("panic: [1, 2, \"x\"]", call("panic", 1, S("[1, 2, \"x\"]")));
    /* sprintf / printf / print */
    EXPECT("\"x=  5|hi\"", call("sprintf", 3, S("x=%3d|%s"), I(5), S("hi")));
    EXPECT("panic: bad argument 1 to sprintf (want string, have int)", call("sprintf", 1, I(5)));
    strbuf_init(&captured);
    free(call("println", 3, S("a"), I(1), F(0.5)));
    free(call("print", 2, NIL_VAL, BOOL_VAL(true)));
    free(call("printf", 3, S("%d-%v\n"), I(7), list_of(2, S("p"), I(2))));
    free(call("println", 0));
    if (stub_output)
        CHECK(strcmp(strbuf_cstr(&captured), "a 1 0.5\nnil true7-[p 2]\n\n") == 0);
    strbuf_free(&captured);
}

static void test_order(void)
{
    Value l = list_of(6, I(3), F(1.5), I(-2), I(3), F(2.0), I(0));
    EXPECT("nil", call("sort", 1, l));
    EXPECT("\"[-2 0 1.5 2 3 3]\"", call("str", 1, l));
    Value s = list_of(4, S("b"), S("B"), S("a"), S(""));
    free(call("sort", 1, s));
    EXPECT("\"[ B a b]\"", call("str", 1, s));
    EXPECT("panic: invalid operation: string < int", call("sort", 1, list_of(2, I(1), S("a"))));
    EXPECT("panic: invalid operation: list < int", call("sort", 1, list_of(2, I(1), list_of(0))));
    EXPECT("panic: sort with less function must be called directly", call("sort", 2, l, I(0)));
    EXPECT("nil", call("sort", 1, list_of(0)));
    /* stability and a large input */
    ObjList *big = list_new(&G->heap, 0);
    for (int i = 0; i < 100000; i++)
        list_push(&G->heap, big, I((i * 7919) % 100003));
    free(call("sort", 1, LIST_VAL(big)));
    bool sorted = true;
    for (size_t i = 1; i < big->len; i++)
        if (big->items[i - 1].as.i > big->items[i].as.i)
            sorted = false;
    CHECK(sorted && big->len == 100000);
    /* stable: equal numbers keep their order (1 before 1.0) */
    Value st = list_of(4, F(1.0), I(0), I(1), F(1.0));
    free(call("sort", 1, st));
    CHECK(AS_LIST(st)->items[1].type == VAL_FLOAT && AS_LIST(st)->items[2].type == VAL_INT);
    EXPECT("1", call("min", 3, I(3), I(1), F(2.5)));
    EXPECT("2.5", call("max", 3, I(1), F(2.5), I(2)));
    EXPECT("\"a\"", call("min", 2, S("b"), S("a")));
    EXPECT("NaN", call("max", 3, I(1), F(NAN), I(2)));
    EXPECT("7", call("max", 1, I(7)));
    EXPECT("panic: wrong number of arguments in call to min: have 0, want at least 1", call("min", 0));
    EXPECT("panic: invalid operation: string < int", call("min", 2, I(1), S("a")));
    EXPECT("panic: bad argument 2 to max (want number or string, have list)", call("max", 2, I(1), list_of(0)));
}

static void test_strings(void)
{
    EXPECT("[\"a\", \"b\", \"\", \"c\"]", call("strings.split", 2, S("a,b,,c"), S(",")));
    EXPECT("[\"\"]", call("strings.split", 2, S(""), S(",")));
    EXPECT("[\"h\", \"é\", \"l\", \"l\", \"o\"]", call("strings.split", 2, S("héllo"), S("")));
    EXPECT("\"a-b-c\"", call("strings.join", 2, list_of(3, S("a"), S("b"), S("c")), S("-")));
    EXPECT("\"\"", call("strings.join", 2, list_of(0), S("-")));
    EXPECT("panic: bad argument 1 to strings.join (want list of strings, have int element)",
           call("strings.join", 2, list_of(1, I(1)), S("-")));
    EXPECT("[\"a\", \"b\", \"c\"]", call("strings.fields", 1, S("  a b\t\nc  ")));
    EXPECT("[]", call("strings.fields", 1, S("   ")));
    EXPECT("true", call("strings.contains", 2, S("seafood"), S("foo")));
    EXPECT("false", call("strings.contains", 2, S("seafood"), S("bar")));
    EXPECT("true", call("strings.contains", 2, S("x"), S("")));
    EXPECT("true", call("strings.has_prefix", 2, S("golang"), S("go")));
    EXPECT("false", call("strings.has_prefix", 2, S("go"), S("golang")));
    EXPECT("true", call("strings.has_suffix", 2, S("golang"), S("ang")));
    EXPECT("4", call("strings.index", 2, S("chicken"), S("ken")));
    EXPECT("-1", call("strings.index", 2, S("chicken"), S("dmr")));
    EXPECT("0", call("strings.index", 2, S("x"), S("")));
    EXPECT("\"-a-a-a-\"", call("strings.replace", 3, S("aaa"), S(""), S("-")));
    EXPECT("\"-h-é-l-l-o-\"", call("strings.replace", 3, S("héllo"), S(""), S("-")));
    EXPECT("\"moo moo moo\"", call("strings.replace", 3, S("oink oink oink"), S("oink"), S("moo")));
    EXPECT("\"hi\"", call("strings.trim", 2, S("xxhixyx"), S("xy")));
    EXPECT("\"hi\"", call("strings.trim_space", 1, S("\u00a0 hi \u3000")));
    EXPECT("\"\"", call("strings.trim_space", 1, S(" \t\n ")));
    EXPECT("\"a b\"", call("strings.trim_space", 1, S("a b")));
    EXPECT("\"HÉLLO Ÿ S I STRAßE\"", call("strings.to_upper", 1, S("héllo ÿ ſ ı straße")));
    EXPECT("\"héllo ÿ i σασ\"", call("strings.to_lower", 1, S("HÉLLO Ÿ İ ΣΑΣ")));
    EXPECT("\"ABC1\"", call("strings.to_upper", 1, S("abC1")));
    EXPECT("\"ababab\"", call("strings.repeat", 2, S("ab"), I(3)));
    EXPECT("\"\"", call("strings.repeat", 2, S("ab"), I(0)));
    EXPECT("panic: strings: negative Repeat count", call("strings.repeat", 2, S("ab"), I(-1)));
    EXPECT("3", call("strings.count", 2, S("cheese"), S("e")));
    EXPECT("5", call("strings.count", 2, S("five"), S("")));
    EXPECT("2", call("strings.count", 2, S("aaaa"), S("aa")));
    EXPECT("panic: bad argument 2 to strings.split (want string, have int)", call("strings.split", 2, S("a"), I(1)));
}

static void test_math(void)
{
    EXPECT("2", call("math.sqrt", 1, I(4)));
    EXPECT("1024", call("math.pow", 2, I(2), I(10)));
    EXPECT("3", call("math.abs", 1, I(-3)));
    EXPECT("-3", call("math.floor", 1, F(-2.5)));
    EXPECT("-2", call("math.ceil", 1, F(-2.5)));
    EXPECT("0.7853981633974483", call("math.atan2", 2, I(1), I(1)));
    EXPECT("3", call("math.log2", 1, I(8)));
    EXPECT("true", call("math.is_nan", 1, F(NAN)));
    EXPECT("true", call("math.is_inf", 1, F(-INFINITY)));
    EXPECT("false", call("math.is_inf", 1, I(1)));
    EXPECT("panic: bad argument 1 to math.sqrt (want number, have string)", call("math.sqrt", 1, S("4")));
    Value v;
    ObjModule *m = stdlib_module("math");
    CHECK(module_get(m, "pi", &v) && v.type == VAL_FLOAT && v.as.f == M_PI);
    CHECK(module_get(m, "max_int", &v) && v.type == VAL_INT && v.as.i == INT64_MAX);
    CHECK(module_get(m, "min_int", &v) && v.as.i == INT64_MIN);
    CHECK(module_get(m, "inf", &v) && isinf(v.as.f));
    CHECK(!module_get(m, "nope", &v));
}

static void test_rand(void)
{
    free(call("rand.seed", 1, I(42)));
    char *a = call("rand.perm", 1, I(10));
    char *x = call("rand.intn", 1, I(1000000));
    free(call("rand.seed", 1, I(42)));
    char *b = call("rand.perm", 1, I(10));
    char *y = call("rand.intn", 1, I(1000000));
    CHECK(strcmp(a, b) == 0 && strcmp(x, y) == 0);
    free(a); free(b); free(x); free(y);
    bool in_range = true;
    for (int i = 0; i < 10000; i++) {
        Value arg = I(7), out[2];
        AS_NATIVE(lookup("rand.intn"))->fn(G, 1, &arg, out);
        if (out[0].as.i < 0 || out[0].as.i >= 7)
            in_range = false;
        AS_NATIVE(lookup("rand.float"))->fn(G, 0, NULL, out);
        if (!(out[0].as.f >= 0 && out[0].as.f < 1))
            in_range = false;
    }
    CHECK(in_range);
    EXPECT("panic: invalid argument to rand.intn", call("rand.intn", 1, I(0)));
    Value l = list_of(5, I(1), I(2), I(3), I(4), I(5));
    free(call("rand.shuffle", 1, l));
    int64_t sum = 0;
    for (int i = 0; i < 5; i++)
        sum += AS_LIST(l)->items[i].as.i;
    CHECK(AS_LIST(l)->len == 5 && sum == 15);
    EXPECT("[]", call("rand.perm", 1, I(0)));
}

static void test_os(void)
{
    char *argv[] = { "one", "two" };
    stdlib_set_args(2, argv);
    Value args;
    CHECK(module_get(stdlib_module("os"), "args", &args));
    CHECK(args.type == VAL_LIST && (args.as.o->flags & OBJ_STATIC) && AS_LIST(args)->len == 2);
    Value copy = heap_copy_value(&G->heap, args);
    CHECK(copy.as.o != args.as.o && AS_LIST(copy)->len == 2);
    EXPECT("nil", call("os.getenv", 1, S("CSP_SURELY_UNSET_VARIABLE")));
    setenv("CSP_TEST_VAR", "val", 1);
    EXPECT("\"val\"", call("os.getenv", 1, S("CSP_TEST_VAR")));
    char path[64];
    snprintf(path, sizeof path, "/tmp/csp_test_builtins_%d", (int)getpid());
    EXPECT("nil", call("os.write_file", 2, S(path), S("hello\nworld")));
    EXPECT("\"hello\\nworld\" | nil", call("os.read_file", 1, S(path)));
    unlink(path);
    EXPECT("nil | \"open /nonexistent/x: no such file or directory\"", call("os.read_file", 1, S("/nonexistent/x")));
    EXPECT("nil | \"read /tmp: is a directory\"", call("os.read_file", 1, S("/tmp")));
    EXPECT("\"open /nonexistent/x: no such file or directory\"", call("os.write_file", 2, S("/nonexistent/x"), S("")));
}

typedef struct ConvCase {
    char kind;
    const char *in, *value, *err;
} ConvCase;

/* From Go 1.19: strconv.ParseInt(s, 0, 64) and ParseFloat(s, 64); value
 * printed by FormatFloat 'g' -1 (fmt_float here). */
static const ConvCase conv_cases[] = {
    { 'I', "0", "0", "" },
    { 'I', "42", "42", "" },
    { 'I', "-42", "-42", "" },
    { 'I', "+7", "7", "" },
    { 'I', "0x1f", "31", "" },
    { 'I', "0X1F", "31", "" },
    { 'I', "0o17", "15", "" },
    { 'I', "017", "15", "" },
    { 'I', "0b101", "5", "" },
    { 'I', "1_000", "1000", "" },
    { 'I', "_1", "0", "strconv.ParseInt: parsing \"_1\": invalid syntax" },
    { 'I', "1__0", "0", "strconv.ParseInt: parsing \"1__0\": invalid syntax" },
    { 'I', "1_", "0", "strconv.ParseInt: parsing \"1_\": invalid syntax" },
    { 'I', "0x_1f", "31", "" },
    { 'I', "0_17", "15", "" },
    { 'I', "3.5", "0", "strconv.ParseInt: parsing \"3.5\": invalid syntax" },
    { 'I', "", "0", "strconv.ParseInt: parsing \"\": invalid syntax" },
    { 'I', " 1", "0", "strconv.ParseInt: parsing \" 1\": invalid syntax" },
    { 'I', "1 ", "0", "strconv.ParseInt: parsing \"1 \": invalid syntax" },
    { 'I', "9223372036854775807", "9223372036854775807", "" },
    { 'I', "9223372036854775808", "9223372036854775807", "strconv.ParseInt: parsing \"9223372036854775808\": value out of range" },
    { 'I', "-9223372036854775808", "-9223372036854775808", "" },
    { 'I', "-9223372036854775809", "-9223372036854775808", "strconv.ParseInt: parsing \"-9223372036854775809\": value out of range" },
    { 'I', "99999999999999999999", "9223372036854775807", "strconv.ParseInt: parsing \"99999999999999999999\": value out of range" },
    { 'I', "0x", "0", "strconv.ParseInt: parsing \"0x\": invalid syntax" },
    { 'I', "08", "0", "strconv.ParseInt: parsing \"08\": invalid syntax" },
    { 'I', "-", "0", "strconv.ParseInt: parsing \"-\": invalid syntax" },
    { 'I', "+", "0", "strconv.ParseInt: parsing \"+\": invalid syntax" },
    { 'I', "0b2", "0", "strconv.ParseInt: parsing \"0b2\": invalid syntax" },
    { 'I', "abc", "0", "strconv.ParseInt: parsing \"abc\": invalid syntax" },
    { 'I', "1e3", "0", "strconv.ParseInt: parsing \"1e3\": invalid syntax" },
    { 'I', "0xg", "0", "strconv.ParseInt: parsing \"0xg\": invalid syntax" },
    { 'I', "0x8000000000000000", "9223372036854775807", "strconv.ParseInt: parsing \"0x8000000000000000\": value out of range" },
    { 'I', "-0x8000000000000000", "-9223372036854775808", "" },
    { 'I', "99999999999999999999x", "9223372036854775807", "strconv.ParseInt: parsing \"99999999999999999999x\": value out of range" },
    { 'F', "1", "1", "" },
    { 'F', "1.5", "1.5", "" },
    { 'F', "-1.5", "-1.5", "" },
    { 'F', ".5", "0.5", "" },
    { 'F', "5.", "5", "" },
    { 'F', ".", "0", "strconv.ParseFloat: parsing \".\": invalid syntax" },
    { 'F', "1e3", "1000", "" },
    { 'F', "1E-3", "0.001", "" },
    { 'F', "1e", "0", "strconv.ParseFloat: parsing \"1e\": invalid syntax" },
    { 'F', "1e+", "0", "strconv.ParseFloat: parsing \"1e+\": invalid syntax" },
    { 'F', "inf", "+Inf", "" },
    { 'F', "+Inf", "+Inf", "" },
    { 'F', "-infinity", "-Inf", "" },
    { 'F', "INFINITY", "+Inf", "" },
    { 'F', "infin", "0", "strconv.ParseFloat: parsing \"infin\": invalid syntax" },
    { 'F', "nan", "NaN", "" },
    { 'F', "NaN", "NaN", "" },
    { 'F', "+nan", "0", "strconv.ParseFloat: parsing \"+nan\": invalid syntax" },
    { 'F', "-nan", "0", "strconv.ParseFloat: parsing \"-nan\": invalid syntax" },
    { 'F', "0x1p-2", "0.25", "" },
    { 'F', "0x1.8p1", "3", "" },
    { 'F', "0x1", "0", "strconv.ParseFloat: parsing \"0x1\": invalid syntax" },
    { 'F', "0x", "0", "strconv.ParseFloat: parsing \"0x\": invalid syntax" },
    { 'F', "1_000.5", "1000.5", "" },
    { 'F', "1__0", "0", "strconv.ParseFloat: parsing \"1__0\": invalid syntax" },
    { 'F', "_1", "0", "strconv.ParseFloat: parsing \"_1\": invalid syntax" },
    { 'F', "1e400", "+Inf", "strconv.ParseFloat: parsing \"1e400\": value out of range" },
    { 'F', "-1e400", "-Inf", "strconv.ParseFloat: parsing \"-1e400\": value out of range" },
    { 'F', "1e-400", "0", "" },
    { 'F', "4.9e-324", "5e-324", "" },
    { 'F', "0.1", "0.1", "" },
    { 'F', "1e23", "1e+23", "" },
    { 'F', "123456789012345678901234567890", "1.2345678901234568e+29", "" },
    { 'F', "abc", "0", "strconv.ParseFloat: parsing \"abc\": invalid syntax" },
    { 'F', "", "0", "strconv.ParseFloat: parsing \"\": invalid syntax" },
    { 'F', " 1", "0", "strconv.ParseFloat: parsing \" 1\": invalid syntax" },
    { 'F', "0x1p", "0", "strconv.ParseFloat: parsing \"0x1p\": invalid syntax" },
    { 'F', "1.5e2_0", "1.5e+20", "" },
    { 'F', "0x_1p0", "1", "" },
    { 'F', "1.7976931348623159e308", "+Inf", "strconv.ParseFloat: parsing \"1.7976931348623159e308\": value out of range" },
    { 'F', "2.4703282292062328e-324", "5e-324", "" },
};

static void test_conv(void)
{
    for (size_t i = 0; i < sizeof conv_cases / sizeof conv_cases[0]; i++) {
        const ConvCase *c = &conv_cases[i];
        char got[128];
        int r;
        if (c->kind == 'I') {
            int64_t v;
            r = conv_parse_int(c->in, strlen(c->in), &v);
            snprintf(got, sizeof got, "%lld", (long long)(r == CONV_OK ? v : 0));
            if (r != CONV_OK)
                snprintf(got, sizeof got, "%s", c->value);    /* Go's value on error is not csp's */
        } else {
            double v;
            r = conv_parse_float(c->in, strlen(c->in), &v);
            StrBuf b;
            strbuf_init(&b);
            fmt_float(&b, r == CONV_SYNTAX ? 0 : v);
            snprintf(got, sizeof got, "%s", strbuf_cstr(&b));
            strbuf_free(&b);
        }
        const char *want_err = c->err[0] ? (strstr(c->err, "range") ? "range" : "syntax") : "ok";
        const char *got_err = r == CONV_OK ? "ok" : r == CONV_RANGE ? "range" : "syntax";
        if (strcmp(got, c->value) == 0 && strcmp(want_err, got_err) == 0) {
            passed++;
        } else {
            failed++;
            fprintf(stderr, "FAIL parse %c [%s]: got %s %s, want %s %s\n", c->kind, c->in, got, got_err,
                    c->value, want_err);
        }
        /* and the whole message, through the builtin */
        if (c->err[0]) {
            char want[256];
            snprintf(want, sizeof want, "nil | \"%s\"", c->err);
            StrBuf q;
            strbuf_init(&q);
            strbuf_appends(&q, "nil | ");
            fmt_quote(&q, c->err, strlen(c->err));
            expect_line = __LINE__;
            expect(strbuf_cstr(&q), call(c->kind == 'I' ? "int" : "float", 1, S(c->in)));
            strbuf_free(&q);
        }
    }
}

static void test_registry(void)
{
    const char *const *names = stdlib_builtin_names();
    int n = 0;
    bool has_println = false;
    for (; names[n]; n++)
        if (strcmp(names[n], "println") == 0)
            has_println = true;
    CHECK(n >= 20 && has_println);
    const char *const *mods = stdlib_module_names();
    bool has_strings = false;
    for (int i = 0; mods[i]; i++)
        if (strcmp(mods[i], "strings") == 0)
            has_strings = true;
    CHECK(has_strings);
    CHECK(stdlib_module("nope") == NULL);
    Value v;
    CHECK(!stdlib_builtin("recover_nope", &v));
    CHECK(stdlib_builtin("len", &v) && v.type == VAL_NATIVE && strcmp(AS_NATIVE(v)->name, "len") == 0);
    CHECK(module_get(stdlib_module("strings"), "split", &v) &&
          strcmp(AS_NATIVE(v)->name, "strings.split") == 0);
}

int main(void)
{
    heap_init_globals();
    G = calloc(1, sizeof(Gor));
    heap_init(&G->heap);
    test_core();
    test_order();
    test_strings();
    test_math();
    test_rand();
    test_os();
    test_conv();
    test_registry();
    heap_free_all(&G->heap);
    free(G);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
