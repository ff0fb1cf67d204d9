/*
 * prelude.c — the builtins that need the VM itself.
 *
 *   - sort(list, less): calling a csp comparator from C would recurse on
 *     the C stack and could block inside a native, so the comparator
 *     version is written in csp (a stable merge sort), compiled on first
 *     use; without `less` it calls the native sort. Prelude frames are
 *     hidden from tracebacks.
 *   - recover(): needs to see which frame calls it (vm_recover).
 */
#include <string.h>

#include "parser/ast.h"
#include "stdlib/stdlib.h"
#include "vm/compile.h"
#include "vm/vm.h"

static const char prelude_src[] =
    "func sort(l, less...) {\n"
    "    if len(less) != 1 || type(l) != \"list\" {\n"
    "        return __native_sort(l, less...)\n"
    "    }\n"
    "    f := less[0]\n"
    "    n := len(l)\n"
    "    for lo := 0; lo < n; lo += 16 {\n"
    "        hi := min(lo + 16, n)\n"
    "        for i := lo + 1; i < hi; i++ {\n"
    "            v := l[i]\n"
    "            j := i\n"
    "            for j > lo && f(v, l[j-1]) {\n"
    "                l[j] = l[j-1]\n"
    "                j--\n"
    "            }\n"
    "            l[j] = v\n"
    "        }\n"
    "    }\n"
    "    if n <= 16 {\n"
    "        return\n"
    "    }\n"
    "    buf := list(n)\n"
    "    for width := 16; width < n; width *= 2 {\n"
    "        for lo := 0; lo < n; lo += 2 * width {\n"
    "            mid := min(lo + width, n)\n"
    "            hi := min(lo + 2 * width, n)\n"
    "            i, j, k := lo, mid, lo\n"
    "            for i < mid && j < hi {\n"
    "                if f(l[j], l[i]) {\n"
    "                    buf[k] = l[j]\n"
    "                    j++\n"
    "                } else {\n"
    "                    buf[k] = l[i]\n"
    "                    i++\n"
    "                }\n"
    "                k++\n"
    "            }\n"
    "            for ; i < mid; i++ {\n"
    "                buf[k] = l[i]\n"
    "                k++\n"
    "            }\n"
    "            for ; j < hi; j++ {\n"
    "                buf[k] = l[j]\n"
    "                k++\n"
    "            }\n"
    "            for k = lo; k < hi; k++ {\n"
    "                l[k] = buf[k]\n"
    "            }\n"
    "        }\n"
    "    }\n"
    "}\n";

static const char *const prelude_names[] = { "sort", NULL };
static ObjModule *prelude;

static int fn_recover(Gor *g, int nargs, Value *args, Value *out) {
    (void)args;
    if (!stdlib_check_nargs(g, "recover", nargs, 0, 0)) return NATIVE_PANIC;
    out[0] = vm_recover(g);
    return 1;
}

static ObjNative obj_recover = { { NULL, VAL_NATIVE, OBJ_STATIC }, "recover", fn_recover };

bool prelude_lookup(const char *name, Value *out) {
    if (strcmp(name, "recover") == 0) {
        *out = OBJ_VAL(VAL_NATIVE, &obj_recover);
        return true;
    }
    bool found = false;
    for (int i = 0; prelude_names[i]; i++)
        if (strcmp(prelude_names[i], name) == 0) found = true;
    if (!found) return false;
    if (!prelude) {
        int incomplete = 0;
        Ast *ast = ast_parse("<prelude>", prelude_src, sizeof prelude_src - 1, &incomplete);
        CompiledFile *cf = ast && ast->root ? compile_file_ast(ast, true) : NULL;
        if (ast && !ast->root) ast_free(ast);
        if (!cf) {
            fprintf(stderr, "csp: internal error: the prelude does not compile\n");
            return false;
        }
        prelude = cf->module;
    }
    return module_get(prelude, name, out);
}
