/*
 * value.h — csp's value representation.
 *
 * A Value is 16 bytes: a one-byte type tag and an 8-byte payload. Scalars
 * (nil, bool, int, float) live inside the Value; every other type points to
 * an Obj. The tag alone decides the type, so `type(v)` and every type check
 * in the dispatch loop is one byte compare, with no pointer chase.
 *
 * Invariant: the tag of a Value with an object payload equals the `type`
 * byte of the object it points to (VAL_STR points to an ObjStr, ...).
 *
 * Objects are of two lifetimes:
 *   - heap objects belong to exactly one goroutine's Heap, are reachable
 *     only from that goroutine, and are collected by its own collector;
 *   - static objects (OBJ_STATIC flag) are immutable and shared by all
 *     goroutines: string constants of compiled code, top-level functions,
 *     natives, modules. No collector ever marks, moves or frees them, so
 *     they are read by many threads without synchronisation.
 * Channels and handles, the only shared mutable things, are reached through
 * a small per-heap proxy object (ObjChan, ObjHandle) holding a reference
 * count on the shared runtime structure.
 */
#ifndef CSP_VALUE_H
#define CSP_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* X-macro: tag, the name `type()` returns. Order matters: scalars first,
 * then object types (VAL_IS_OBJ tests tag >= VAL_STR). */
#define VALUE_TYPES(X)      \
    X(NIL,    "nil")        \
    X(BOOL,   "bool")       \
    X(INT,    "int")        \
    X(FLOAT,  "float")      \
    X(STR,    "string")     \
    X(LIST,   "list")       \
    X(MAP,    "map")        \
    X(FUNC,   "func")       \
    X(NATIVE, "func")       \
    X(CHAN,   "chan")       \
    X(MODULE, "module")     \
    X(HANDLE, "handle")     \
    X(BOX,    "box")

typedef enum {
#define X(tag, name) VAL_##tag,
    VALUE_TYPES(X)
#undef X
    VAL__COUNT
} ValueType;

typedef struct Obj Obj;

typedef struct Value {
    uint8_t type;               /* a ValueType */
    union {
        bool b;
        int64_t i;
        double f;
        Obj *o;
    } as;
} Value;

#define VAL_IS_OBJ(v)   ((v).type >= VAL_STR)

#define NIL_VAL         ((Value){ .type = VAL_NIL,   .as.i = 0 })
#define BOOL_VAL(x)     ((Value){ .type = VAL_BOOL,  .as.b = (x) })
#define INT_VAL(x)      ((Value){ .type = VAL_INT,   .as.i = (x) })
#define FLOAT_VAL(x)    ((Value){ .type = VAL_FLOAT, .as.f = (x) })
#define OBJ_VAL(t, p)   ((Value){ .type = (t), .as.o = (Obj *)(p) })

#define IS_NIL(v)       ((v).type == VAL_NIL)
#define IS_BOOL(v)      ((v).type == VAL_BOOL)
#define IS_INT(v)       ((v).type == VAL_INT)
#define IS_FLOAT(v)     ((v).type == VAL_FLOAT)
#define IS_NUM(v)       ((v).type == VAL_INT || (v).type == VAL_FLOAT)
#define IS_STR(v)       ((v).type == VAL_STR)
#define IS_LIST(v)      ((v).type == VAL_LIST)
#define IS_MAP(v)       ((v).type == VAL_MAP)
#define IS_CHAN(v)      ((v).type == VAL_CHAN)
#define IS_CALLABLE(v)  ((v).type == VAL_FUNC || (v).type == VAL_NATIVE)

/* The name `type(v)` returns, e.g. "int". */
const char *value_type_name(Value v);

/* Language equality (`==`): numbers by value (1 == 1.0), strings by content,
 * chans and handles by the shared object, other objects by identity. */
bool value_equal(Value a, Value b);
/* Exact comparison of an int and a float (no rounding of the int). */
bool value_int_equals_float(int64_t i, double f);

#endif
