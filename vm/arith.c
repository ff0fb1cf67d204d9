/*
 * arith.c — csp's binary and unary operators, in full generality (the
 * VM inlines only the int and float fast paths).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/arith.h"
#include "vm/code.h"

const char *arith_op_symbol(OpCode op) {
    switch (op) {
    case OP_ADD: case OP_ADDK: case OP_ADDI: return "+";
    case OP_SUB: case OP_SUBK: return "-";
    case OP_MUL: case OP_MULK: return "*";
    case OP_DIV: case OP_DIVK: return "/";
    case OP_MOD: case OP_MODK: return "%";
    case OP_BAND: return "&";
    case OP_BOR: return "|";
    case OP_BXOR: return "^";
    case OP_BANDNOT: return "&^";
    case OP_SHL: return "<<";
    case OP_SHR: return ">>";
    case OP_UNM: return "-";
    case OP_PLUS: return "+";
    case OP_NOT: return "!";
    case OP_BNOT: return "^";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    default: return "?";
    }
}

static const char *invalid(OpCode op, Value a, Value b, char *buf) {
    snprintf(buf, ARITH_BUF, "invalid operation: %s %s %s", value_type_name(a),
             arith_op_symbol(op), value_type_name(b));
    return buf;
}

static const char *int_op(OpCode op, int64_t x, int64_t y, Value *out) {
    int64_t r;
    switch (op) {
    case OP_ADD: r = arith_wrap_add(x, y); break;
    case OP_SUB: r = arith_wrap_sub(x, y); break;
    case OP_MUL: r = arith_wrap_mul(x, y); break;
    case OP_DIV:
        if (y == 0) return "integer divide by zero";
        r = y == -1 ? arith_wrap_sub(0, x) : x / y;
        break;
    case OP_MOD:
        if (y == 0) return "integer divide by zero";
        r = y == -1 ? 0 : x % y;
        break;
    case OP_BAND: r = x & y; break;
    case OP_BOR: r = x | y; break;
    case OP_BXOR: r = x ^ y; break;
    case OP_BANDNOT: r = x & ~y; break;
    case OP_SHL:
        if (y < 0) return "negative shift amount";
        r = y >= 64 ? 0 : (int64_t)((uint64_t)x << y);
        break;
    case OP_SHR:
        if (y < 0) return "negative shift amount";
        r = y >= 64 ? (x < 0 ? -1 : 0) : x >> y;
        break;
    default:
        return "bad operator";
    }
    *out = INT_VAL(r);
    return NULL;
}

const char *arith_binop(OpCode op, Value a, Value b, Value *out, Heap *h, char *buf) {
    if (IS_INT(a) && IS_INT(b)) return int_op(op, a.as.i, b.as.i, out);
    if (IS_NUM(a) && IS_NUM(b)) {
        double x = IS_INT(a) ? (double)a.as.i : a.as.f;
        double y = IS_INT(b) ? (double)b.as.i : b.as.f;
        switch (op) {
        case OP_ADD: *out = FLOAT_VAL(x + y); return NULL;
        case OP_SUB: *out = FLOAT_VAL(x - y); return NULL;
        case OP_MUL: *out = FLOAT_VAL(x * y); return NULL;
        case OP_DIV: *out = FLOAT_VAL(x / y); return NULL;
        case OP_MOD: *out = FLOAT_VAL(fmod(x, y)); return NULL;
        default: return invalid(op, a, b, buf);
        }
    }
    if (op == OP_ADD && IS_STR(a) && IS_STR(b)) {
        const ObjStr *x = AS_STR(a), *y = AS_STR(b);
        if (h) {
            *out = STR_VAL(str_concat(h, x, y));
        } else {
            char *tmp = malloc(x->len + y->len + 1);
            memcpy(tmp, x->chars, x->len);
            memcpy(tmp + x->len, y->chars, y->len);
            *out = STR_VAL(comp_intern(tmp, x->len + y->len));
            free(tmp);
        }
        return NULL;
    }
    return invalid(op, a, b, buf);
}

const char *arith_unop(OpCode op, Value a, Value *out, char *buf) {
    switch (op) {
    case OP_UNM:
        if (IS_INT(a)) { *out = INT_VAL(arith_wrap_sub(0, a.as.i)); return NULL; }
        if (IS_FLOAT(a)) { *out = FLOAT_VAL(-a.as.f); return NULL; }
        break;
    case OP_PLUS:
        if (IS_NUM(a)) { *out = a; return NULL; }
        break;
    case OP_NOT:
        if (IS_BOOL(a)) { *out = BOOL_VAL(!a.as.b); return NULL; }
        snprintf(buf, ARITH_BUF, "non-bool used as condition (%s)", value_type_name(a));
        return buf;
    case OP_BNOT:
        if (IS_INT(a)) { *out = INT_VAL(~a.as.i); return NULL; }
        break;
    default:
        break;
    }
    snprintf(buf, ARITH_BUF, "invalid operation: %s%s", arith_op_symbol(op), value_type_name(a));
    return buf;
}

const char *arith_less(Value a, Value b, bool or_equal, bool *out, char *buf) {
    if (IS_INT(a) && IS_INT(b)) {
        *out = or_equal ? a.as.i <= b.as.i : a.as.i < b.as.i;
        return NULL;
    }
    if (IS_NUM(a) && IS_NUM(b)) {
        double x = IS_INT(a) ? (double)a.as.i : a.as.f;
        double y = IS_INT(b) ? (double)b.as.i : b.as.f;
        *out = or_equal ? x <= y : x < y;
        return NULL;
    }
    if (IS_STR(a) && IS_STR(b)) {
        int c = str_compare(AS_STR(a), AS_STR(b));
        *out = or_equal ? c <= 0 : c < 0;
        return NULL;
    }
    snprintf(buf, ARITH_BUF, "invalid operation: %s %s %s", value_type_name(a),
             or_equal ? "<=" : "<", value_type_name(b));
    return buf;
}
