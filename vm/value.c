/*
 * value.c — type names and language equality of Values.
 */
#include "vm/object.h"

#include <string.h>

static const char *const type_names[VAL__COUNT] = {
#define X(tag, name) [VAL_##tag] = name,
    VALUE_TYPES(X)
#undef X
};

const char *value_type_name(Value v)
{
    return v.type < VAL__COUNT ? type_names[v.type] : "?";
}

bool value_equal(Value a, Value b)
{
    if (a.type == b.type) {
        switch (a.type) {
        case VAL_NIL:
            return true;
        case VAL_BOOL:
            return a.as.b == b.as.b;
        case VAL_INT:
            return a.as.i == b.as.i;
        case VAL_FLOAT:
            return a.as.f == b.as.f;          /* NaN != NaN, 0.0 == -0.0 */
        case VAL_STR:
            return a.as.o == b.as.o || str_equal(AS_STR(a), AS_STR(b));
        case VAL_CHAN:
            return AS_CHAN(a)->chan == AS_CHAN(b)->chan;
        case VAL_HANDLE:
            return AS_HANDLE(a)->handle == AS_HANDLE(b)->handle;
        default:
            return a.as.o == b.as.o;
        }
    }
    /* 1 == 1.0. Compared exactly (not by converting the int to float), so
     * that equality agrees with map keys: 2^53+1 != 2^53 as a float. */
    if (a.type == VAL_INT && b.type == VAL_FLOAT)
        return value_int_equals_float(a.as.i, b.as.f);
    if (a.type == VAL_FLOAT && b.type == VAL_INT)
        return value_int_equals_float(b.as.i, a.as.f);
    return false;
}

bool value_int_equals_float(int64_t i, double f)
{
    /* The range test also rejects NaN and the infinities. */
    if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
        return false;
    return (int64_t)f == i && (double)(int64_t)f == f;
}
