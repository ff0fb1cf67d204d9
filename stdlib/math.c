/*
 * math.c — the `math` module: floats in (ints are converted), floats out;
 * is_nan/is_inf give bools. Constants pi, e, inf, max_int, min_int.
 */
#include <math.h>

#include "stdlib/stdlib.h"

/* The float value of numeric argument i, or a panic. */
static bool num_arg(Gor *g, const char *name, Value *args, int i, double *out)
{
    Value v = args[i];
    if (v.type == VAL_FLOAT) {
        *out = v.as.f;
        return true;
    }
    if (v.type == VAL_INT) {
        *out = (double)v.as.i;
        return true;
    }
    stdlib_bad_arg(g, name, i, "number", v);
    return false;
}

#define MATH1(cname, expr)                                                   \
    STDLIB_NATIVE(cname, "math." #cname);                                    \
    static int fn_##cname(Gor *g, int nargs, Value *args, Value *out)        \
    {                                                                        \
        double x;                                                            \
        if (!stdlib_check_nargs(g, "math." #cname, nargs, 1, 1) ||           \
            !num_arg(g, "math." #cname, args, 0, &x))                        \
            return NATIVE_PANIC;                                             \
        out[0] = (expr);                                                     \
        return 1;                                                            \
    }

#define MATH2(cname, expr)                                                   \
    STDLIB_NATIVE(cname, "math." #cname);                                    \
    static int fn_##cname(Gor *g, int nargs, Value *args, Value *out)        \
    {                                                                        \
        double x, y;                                                         \
        if (!stdlib_check_nargs(g, "math." #cname, nargs, 2, 2) ||           \
            !num_arg(g, "math." #cname, args, 0, &x) ||                      \
            !num_arg(g, "math." #cname, args, 1, &y))                        \
            return NATIVE_PANIC;                                             \
        out[0] = (expr);                                                     \
        return 1;                                                            \
    }

MATH1(sqrt, FLOAT_VAL(sqrt(x)))
MATH1(abs, FLOAT_VAL(fabs(x)))
MATH1(floor, FLOAT_VAL(floor(x)))
MATH1(ceil, FLOAT_VAL(ceil(x)))
MATH1(sin, FLOAT_VAL(sin(x)))
MATH1(cos, FLOAT_VAL(cos(x)))
MATH1(tan, FLOAT_VAL(tan(x)))
MATH1(atan, FLOAT_VAL(atan(x)))
MATH1(exp, FLOAT_VAL(exp(x)))
MATH1(log, FLOAT_VAL(log(x)))
MATH1(log2, FLOAT_VAL(log2(x)))
MATH1(log10, FLOAT_VAL(log10(x)))
MATH1(is_nan, BOOL_VAL(isnan(x)))
MATH1(is_inf, BOOL_VAL(isinf(x)))
MATH2(pow, FLOAT_VAL(pow(x, y)))
MATH2(atan2, FLOAT_VAL(atan2(x, y)))

static ModuleMember members[] = {
    NATIVE_MEMBER("sqrt", sqrt),
    NATIVE_MEMBER("pow", pow),
    NATIVE_MEMBER("abs", abs),
    NATIVE_MEMBER("floor", floor),
    NATIVE_MEMBER("ceil", ceil),
    NATIVE_MEMBER("sin", sin),
    NATIVE_MEMBER("cos", cos),
    NATIVE_MEMBER("tan", tan),
    NATIVE_MEMBER("atan", atan),
    NATIVE_MEMBER("atan2", atan2),
    NATIVE_MEMBER("exp", exp),
    NATIVE_MEMBER("log", log),
    NATIVE_MEMBER("log2", log2),
    NATIVE_MEMBER("log10", log10),
    NATIVE_MEMBER("is_nan", is_nan),
    NATIVE_MEMBER("is_inf", is_inf),
    FLOAT_MEMBER("pi", 3.14159265358979323846264338327950288),
    FLOAT_MEMBER("e", 2.71828182845904523536028747135266250),
    FLOAT_MEMBER("inf", HUGE_VAL),
    INT_MEMBER("max_int", INT64_MAX),
    INT_MEMBER("min_int", INT64_MIN),
};

static ObjModule module = {
    { NULL, VAL_MODULE, OBJ_STATIC }, "math", sizeof members / sizeof members[0], members,
};

ObjModule *stdlib_math_module(void)
{
    return &module;
}
