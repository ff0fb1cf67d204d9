/*
 * arith.h — csp's operators on values (LANGUAGE.md section 2), shared by
 * the VM's slow paths and the compiler's constant folding, so a folded
 * constant is exactly what the VM would have computed.
 *
 * Each function returns NULL on success, else the panic message (a
 * static string, or one written into buf).
 */
#ifndef CSP_ARITH_H
#define CSP_ARITH_H

#include "vm/heap.h"
#include "vm/opcodes.h"

#define ARITH_BUF 96

/* op is one of OP_ADD .. OP_SHR. h: the heap for a concatenated string,
 * or NULL for a static one (constant folding). */
const char *arith_binop(OpCode op, Value a, Value b, Value *out, Heap *h, char *buf);
/* op is OP_UNM, OP_PLUS, OP_NOT or OP_BNOT. */
const char *arith_unop(OpCode op, Value a, Value *out, char *buf);
/* a < b (or a <= b with or_equal) for numbers and strings. */
const char *arith_less(Value a, Value b, bool or_equal, bool *out, char *buf);
/* The operator's spelling in messages: "+", "&^", "<=" ... */
const char *arith_op_symbol(OpCode op);

/* Integer operations with Go's semantics (wrap-around, min_int / -1). */
static inline int64_t arith_wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline int64_t arith_wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static inline int64_t arith_wrap_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

#endif
