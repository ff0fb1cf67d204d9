/*
 * test_vm_compile.c — the shapes of compiled code that the VM's speed and
 * semantics rely on: fused counted loops, boxes only for captured
 * variables, fresh boxes per loop iteration, reciprocal division by
 * constants, static closures, constant folding, names of closures.
 */
#include <stdio.h>
#include <string.h>

#include "parser/diag.h"
#include "stdlib/stdlib.h"
#include "vm/code.h"

static int passed, failed;
#define CHECK(cond) do { if (cond) passed++; else { failed++; \
    fprintf(stderr, "%s:%d: FAIL %s\n", __FILE__, __LINE__, #cond); } } while (0)

static CompiledFile *compile(const char *src) {
    return compile_source("test.csp", src, strlen(src));
}

static const Proto *find(const CompiledFile *cf, const char *name) {
    for (int i = 0; i < cf->nprotos; i++)
        if (strcmp(cf->protos[i]->name, name) == 0) return cf->protos[i];
    return NULL;
}

static int count_op(const Proto *p, OpCode op) {
    int n = 0;
    for (int i = 0; i < p->ncode; i++)
        if (INS_OP(p->code[i]) == op) n++;
    return n;
}

static void test_counted_loop_fuses(void) {
    CompiledFile *cf = compile(
        "func main() {\n"
        "    n := 10\n"
        "    sum := 0\n"
        "    for i := 0; i < n; i++ {\n"
        "        sum += i % 7\n"
        "    }\n"
        "    println(sum)\n"
        "}\n");
    CHECK(cf != NULL);
    if (!cf) return;
    const Proto *p = find(cf, "main");
    CHECK(p && count_op(p, OP_INCJLT) == 1);
    CHECK(p && count_op(p, OP_MODKI) == 1);
    CHECK(p && count_op(p, OP_NEWBOX) == 0);
    CHECK(p && count_op(p, OP_JMP) == 0);
}

static void test_boxes_only_for_captured(void) {
    CompiledFile *cf = compile(
        "func main() {\n"
        "    a := 1\n"
        "    b := 2\n"
        "    f := func() { return a }\n"
        "    println(f(), b)\n"
        "    fs := []\n"
        "    for i := 0; i < 3; i++ {\n"
        "        fs = append(fs, func() { return i })\n"
        "    }\n"
        "}\n");
    CHECK(cf != NULL);
    if (!cf) return;
    const Proto *p = find(cf, "main");
    CHECK(p && count_op(p, OP_NEWBOX) == 2);        /* a and i, not b */
    CHECK(p && count_op(p, OP_FRESHBOX) == 1);      /* i, before i++ */
    CHECK(p && count_op(p, OP_INCJLT) == 0);        /* a boxed i does not fuse */
    const Proto *c1 = find(cf, "main.func1");
    CHECK(c1 && c1->ncaps == 1 && count_op(c1, OP_GETUPV) == 1);
    CHECK(find(cf, "main.func2") != NULL);
}

static void test_static_closure_and_names(void) {
    CompiledFile *cf = compile(
        "func main() {\n"
        "    f := func() { return func() { return 1 } }\n"
        "    println(f()())\n"
        "}\n");
    CHECK(cf != NULL);
    if (!cf) return;
    const Proto *p = find(cf, "main");
    CHECK(p && count_op(p, OP_CLOSURE) == 0);       /* nothing captured: a constant */
    CHECK(find(cf, "main.func1") != NULL);
    CHECK(find(cf, "main.func1.1") != NULL);
}

static void test_constant_folding(void) {
    CompiledFile *cf = compile(
        "const K = 2 * time.second + 1\n"
        "func main() {\n"
        "    const L = K * 2\n"
        "    println(L, 1 << 3, \"a\" + \"b\")\n"
        "}\n");
    CHECK(cf != NULL);
    if (!cf) return;
    const Proto *p = find(cf, "main");
    CHECK(p && count_op(p, OP_MUL) == 0 && count_op(p, OP_SHL) == 0 && count_op(p, OP_ADD) == 0);
    bool found = false;
    for (int i = 0; p && i < p->nconsts; i++)
        if (p->consts[i].type == VAL_INT && p->consts[i].as.i == 4000000002LL) found = true;
    CHECK(found);
    Value k;
    CHECK(module_get(cf->module, "K", &k) && k.type == VAL_INT && k.as.i == 2000000001LL);
}

static void test_errors(void) {
    FILE *sink = tmpfile();
    diag_set_sink(sink);
    diag_reset();
    CHECK(compile("func main() { x := 1; x := 2 }\n") == NULL);
    CHECK(compile("func main() { println(nope) }\n") == NULL);
    CHECK(compile("func main() { for { break L } }\n") == NULL);
    CHECK(diag_count() == 3);
    rewind(sink);
    char buf[512] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, sink);
    buf[n] = '\0';
    CHECK(strstr(buf, "test.csp:1:25: no new variables on left side of :=") != NULL);
    CHECK(strstr(buf, "test.csp:1:23: undefined: nope") != NULL);
    CHECK(strstr(buf, "label L not defined") != NULL);
    diag_set_sink(NULL);
    diag_reset();
    fclose(sink);
}

int main(void) {
    test_counted_loop_fuses();
    test_boxes_only_for_captured();
    test_static_closure_and_names();
    test_constant_folding();
    test_errors();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
