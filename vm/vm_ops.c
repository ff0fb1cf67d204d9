/*
 * vm_ops.c — the slow paths of the dispatch loop: operators on mixed or
 * unusual operands, indexing, fields, slices, range iteration, channels
 * operands, and the runtime errors they raise (LANGUAGE-NOTES lists the
 * messages). Each returns false after setting a panic.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/chan.h"
#include "stdlib/stdlib.h"
#include "vm/arith.h"
#include "vm/fmt.h"
#include "vm/vm.h"

/* Provided by the handle layer (stdlib/handle.h). */
bool handle_method(Value handle, const char *name, Value *out_native);

bool vm_arith(Gor *g, OpCode op, Value a, Value b, Value *out) {
    char buf[ARITH_BUF];
    const char *err = arith_binop(op, a, b, out, &g->heap, buf);
    if (err) { vm_panic(g, "%s", err); return false; }
    return true;
}

bool vm_unary(Gor *g, OpCode op, Value a, Value *out) {
    char buf[ARITH_BUF];
    const char *err = arith_unop(op, a, out, buf);
    if (err) { vm_panic(g, "%s", err); return false; }
    return true;
}

bool vm_less(Gor *g, Value a, Value b, bool or_equal, bool *out) {
    char buf[ARITH_BUF];
    const char *err = arith_less(a, b, or_equal, out, buf);
    if (err) { vm_panic(g, "%s", err); return false; }
    return true;
}

bool vm_greater(Gor *g, Value a, Value b, bool or_equal, bool *out) {
    char buf[ARITH_BUF];
    if (arith_less(b, a, or_equal, out, buf)) {
        vm_panic(g, "invalid operation: %s %s %s", value_type_name(a), or_equal ? ">=" : ">",
                 value_type_name(b));
        return false;
    }
    return true;
}

static bool index_int(Gor *g, const char *what, Value key, int64_t *out) {
    if (key.type != VAL_INT) {
        vm_panic(g, "invalid %s index (%s)", what, value_type_name(key));
        return false;
    }
    *out = key.as.i;
    return true;
}

static bool in_range(Gor *g, int64_t i, size_t len) {
    if (i < 0) {
        vm_panic(g, "index out of range [%lld]", (long long)i);
        return false;
    }
    if ((uint64_t)i >= len) {
        vm_panic(g, "index out of range [%lld] with length %zu", (long long)i, len);
        return false;
    }
    return true;
}

static bool key_ok(Gor *g, Value key) {
    if (map_key_ok(key)) return true;
    vm_panic(g, "invalid map key type %s", value_type_name(key));
    return false;
}

bool vm_index(Gor *g, const Proto *p, const Instr *ip, Value obj, Value key, Value *out) {
    int64_t i;
    switch (obj.type) {
    case VAL_LIST: {
        ObjList *l = AS_LIST(obj);
        if (!index_int(g, "list", key, &i) || !in_range(g, i, l->len)) return false;
        *out = l->items[i];
        return true;
    }
    case VAL_STR: {
        ObjStr *s = AS_STR(obj);
        if (!index_int(g, "string", key, &i) || !in_range(g, i, s->len)) return false;
        *out = INT_VAL((unsigned char)s->chars[i]);
        return true;
    }
    case VAL_MAP:
        if (!key_ok(g, key)) return false;
        if (!map_get(AS_MAP(obj), key, out)) *out = NIL_VAL;
        return true;
    default:
        vm_panic_named(g, p, ip, "cannot index %s", value_type_name(obj));
        return false;
    }
}

bool vm_index2(Gor *g, const Proto *p, const Instr *ip, Value obj, Value key, Value *out) {
    if (obj.type == VAL_MAP) {
        if (!key_ok(g, key)) return false;
        bool found = map_get(AS_MAP(obj), key, &out[0]);
        if (!found) out[0] = NIL_VAL;
        out[1] = BOOL_VAL(found);
        return true;
    }
    if (!vm_index(g, p, ip, obj, key, &out[0])) return false;
    out[1] = BOOL_VAL(true);
    return true;
}

bool vm_setindex(Gor *g, const Proto *p, const Instr *ip, Value obj, Value key, Value v) {
    int64_t i;
    switch (obj.type) {
    case VAL_LIST: {
        ObjList *l = AS_LIST(obj);
        if (!index_int(g, "list", key, &i) || !in_range(g, i, l->len)) return false;
        l->items[i] = v;
        return true;
    }
    case VAL_MAP:
        if (!key_ok(g, key)) return false;
        map_set(&g->heap, AS_MAP(obj), key, v);
        return true;
    case VAL_STR:
        vm_panic(g, "cannot assign to string index");
        return false;
    default:
        vm_panic_named(g, p, ip, "cannot index %s", value_type_name(obj));
        return false;
    }
}

bool vm_getfield(Gor *g, const Proto *p, const Instr *ip, Value obj, Value name, Value *out) {
    const ObjStr *n = AS_STR(name);
    switch (obj.type) {
    case VAL_MAP:
        if (!map_get(AS_MAP(obj), name, out)) *out = NIL_VAL;
        return true;
    case VAL_MODULE: {
        const ObjModule *m = AS_MODULE(obj);
        if (!module_get(m, n->chars, out)) {
            vm_panic(g, "undefined: %s.%s", m->name, n->chars);
            return false;
        }
        /* Lists and maps of a module (os.args) are shared and static:
         * each goroutine gets its own copy. */
        if (out->type == VAL_LIST || out->type == VAL_MAP) *out = heap_copy_value(&g->heap, *out);
        return true;
    }
    case VAL_HANDLE:
        if (handle_method(obj, n->chars, out)) return true;
        break;
    default:
        break;
    }
    vm_panic_named(g, p, ip, "cannot get field '%s' of %s", n->chars, value_type_name(obj));
    return false;
}

bool vm_setfield(Gor *g, const Proto *p, const Instr *ip, Value obj, Value name, Value v) {
    if (obj.type == VAL_MAP) {
        map_set(&g->heap, AS_MAP(obj), name, v);
        return true;
    }
    vm_panic_named(g, p, ip, "cannot set field '%s' of %s", AS_STR(name)->chars, value_type_name(obj));
    return false;
}

bool vm_getmethod(Gor *g, const Proto *p, const Instr *ip, Value obj, Value name, Value *out) {
    if (obj.type == VAL_HANDLE) {
        if (!handle_method(obj, AS_STR(name)->chars, &out[0])) {
            vm_panic_named(g, p, ip, "cannot get field '%s' of handle", AS_STR(name)->chars);
            return false;
        }
        out[1] = obj;
        return true;
    }
    if (!vm_getfield(g, p, ip, obj, name, &out[0])) return false;
    out[1] = NIL_VAL;
    return true;
}

static bool slice_bound(Gor *g, Value v, int64_t *out) {
    if (v.type != VAL_INT) {
        vm_panic(g, "invalid slice index (%s)", value_type_name(v));
        return false;
    }
    *out = v.as.i;
    return true;
}

bool vm_slice(Gor *g, const Proto *p, const Instr *ip, Value *r, int flags, Value *out) {
    Value obj = r[0];
    size_t len;
    if (obj.type == VAL_STR) len = AS_STR(obj)->len;
    else if (obj.type == VAL_LIST) len = AS_LIST(obj)->len;
    else {
        vm_panic_named(g, p, ip, "cannot slice %s", value_type_name(obj));
        return false;
    }
    int64_t lo = 0, hi = (int64_t)len;
    if ((flags & 1) && !slice_bound(g, r[1], &lo)) return false;
    if ((flags & 2) && !slice_bound(g, r[2], &hi)) return false;
    if (hi < 0) {
        vm_panic(g, "slice bounds out of range [:%lld]", (long long)hi);
        return false;
    }
    if ((uint64_t)hi > len) {
        vm_panic(g, "slice bounds out of range [:%lld] with length %zu", (long long)hi, len);
        return false;
    }
    if (lo < 0) {
        vm_panic(g, "slice bounds out of range [%lld:]", (long long)lo);
        return false;
    }
    if (lo > hi) {
        vm_panic(g, "slice bounds out of range [%lld:%lld]", (long long)lo, (long long)hi);
        return false;
    }
    if (obj.type == VAL_STR)
        *out = STR_VAL(str_new(&g->heap, AS_STR(obj)->chars + lo, (size_t)(hi - lo)));
    else
        *out = LIST_VAL(list_slice(&g->heap, AS_LIST(obj), (size_t)lo, (size_t)hi));
    return true;
}

bool vm_len(Gor *g, Value v, Value *out) {
    switch (v.type) {
    case VAL_NIL: *out = INT_VAL(0); return true;
    case VAL_STR: *out = INT_VAL((int64_t)AS_STR(v)->len); return true;
    case VAL_LIST: *out = INT_VAL((int64_t)AS_LIST(v)->len); return true;
    case VAL_MAP: *out = INT_VAL((int64_t)AS_MAP(v)->count); return true;
    case VAL_CHAN: *out = INT_VAL(chan_len(AS_CHAN(v)->chan)); return true;
    default:
        vm_panic(g, "bad argument 1 to len (want string, list, map or chan, have %s)", value_type_name(v));
        return false;
    }
}

bool vm_makechan(Gor *g, Value n, bool given, Value *out) {
    int64_t cap = 0;
    if (given) {
        if (n.type != VAL_INT) {
            vm_panic(g, "bad argument 1 to chan (want int, have %s)", value_type_name(n));
            return false;
        }
        cap = n.as.i;
        if (cap < 0) {
            vm_panic(g, "makechan: size out of range");
            return false;
        }
    }
    ObjChan *c = (ObjChan *)heap_alloc(&g->heap, sizeof(ObjChan), VAL_CHAN);
    c->chan = chan_new(cap);
    *out = OBJ_VAL(VAL_CHAN, c);
    return true;
}

bool vm_chan_operand(Gor *g, Value v, const char *what, Chan **out) {
    if (v.type == VAL_CHAN) { *out = AS_CHAN(v)->chan; return true; }
    if (v.type == VAL_NIL) { *out = NULL; return true; }
    vm_panic(g, "invalid operation: %s non-chan %s", what, value_type_name(v));
    return false;
}

int vm_select(Gor *g, Value *r, int n, bool has_default, Value *out) {
    SelectCase stack_cases[16];
    SelectCase *cases = n <= 16 ? stack_cases : malloc((size_t)n * sizeof *cases);
    for (int i = 0; i < n; i++) {
        bool is_send = r[3 * i + 2].as.b;
        if (!vm_chan_operand(g, r[3 * i], is_send ? "send to" : "receive from", &cases[i].chan)) {
            if (cases != stack_cases) free(cases);
            return CHAN_PANIC;
        }
        cases[i].is_send = is_send;
        cases[i].send_value = r[3 * i + 1];
    }
    int st = chan_select(g, cases, n, has_default, out);
    if (cases != stack_cases) free(cases);
    return st;
}

bool vm_rangeprep(Gor *g, Value *r) {
    switch (r[0].type) {
    case VAL_NIL:
    case VAL_CHAN:
        return true;
    case VAL_INT:
    case VAL_STR:
    case VAL_MAP:
        r[1] = INT_VAL(0);
        return true;
    case VAL_LIST:
        r[1] = INT_VAL(0);
        r[2] = INT_VAL((int64_t)AS_LIST(r[0])->len);
        return true;
    default:
        vm_panic(g, "cannot range over %s", value_type_name(r[0]));
        return false;
    }
}

int vm_rangenext(Gor *g, Value *r) {
    (void)g;
    switch (r[0].type) {
    case VAL_STR: {
        const ObjStr *s = AS_STR(r[0]);
        int64_t pos = r[1].as.i;
        if ((uint64_t)pos >= s->len) return 0;
        int width;
        int32_t rune = utf8_decode(s->chars + pos, s->len - (size_t)pos, &width);
        r[3] = INT_VAL(pos);
        r[4] = INT_VAL(rune);
        r[1].as.i = pos + width;
        return 1;
    }
    case VAL_MAP: {
        size_t pos = (size_t)r[1].as.i;
        if (!map_next(AS_MAP(r[0]), &pos, &r[3], &r[4])) return 0;
        r[1].as.i = (int64_t)pos;
        return 1;
    }
    default:
        return 0;
    }
}

void vm_call_error(Gor *g, const Proto *p, const Instr *ip, Value callee) {
    vm_panic_named(g, p, ip, "call of %s", value_type_name(callee));
}

static const char *callee_name(Value callee) {
    if (callee.type == VAL_FUNC) return AS_FUNC(callee)->proto->name;
    if (callee.type == VAL_NATIVE) return AS_NATIVE(callee)->name;
    return "function";
}

void vm_nargs_error(Gor *g, Value callee, int have) {
    if (callee.type == VAL_FUNC && AS_FUNC(callee)->proto->variadic)
        vm_panic(g, "wrong number of arguments in call to %s: have %d, want at least %d",
                 callee_name(callee), have, AS_FUNC(callee)->proto->nparams - 1);
    else
        vm_panic(g, "wrong number of arguments in call to %s: have %d, want %d", callee_name(callee),
                 have, callee.type == VAL_FUNC ? AS_FUNC(callee)->proto->nparams : 0);
}

bool vm_pack_varargs(Gor *g, Proto *p, Value *args, int nargs) {
    int fixed = p->nparams - 1;
    if (nargs < fixed) {
        vm_panic(g, "wrong number of arguments in call to %s: have %d, want at least %d", p->name,
                 nargs, fixed);
        return false;
    }
    size_t n = (size_t)(nargs - fixed);
    ObjList *l = list_new(&g->heap, n);
    if (n > 0) memcpy(l->items, args + fixed, n * sizeof(Value));
    l->len = n;
    args[fixed] = LIST_VAL(l);
    return true;
}

const Hint *proto_hint(const Proto *p, int pc) {
    int lo = 0, hi = p->nhints - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (p->hints[mid].pc == pc) return &p->hints[mid];
        if (p->hints[mid].pc < pc) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}
