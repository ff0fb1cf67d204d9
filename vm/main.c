/*
 * main.c — the `csp` command (LANGUAGE.md section 9).
 *
 *   csp FILE.csp [ARGS...]      run a program
 *   csp                         the REPL on a terminal, else a program from stdin
 *   csp -e 'CODE' [ARGS...]     CODE is the body of main (declarations allowed too)
 *   csp --threads N ...         worker threads (also CSP_THREADS)
 *   csp --disasm FILE.csp       print the bytecode
 *   csp --trace OUT.json ...    a scheduler trace (runtime/trace.h)
 *   csp --version, csp --help
 *
 * Exit status: 0 success, 1 compile or usage error or unreadable file, 2
 * runtime panic or deadlock, else os.exit's code.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parser/ast.h"
#include "parser/diag.h"
#include "runtime/sched.h"
#include "stdlib/stdlib.h"
#include "vm/compile.h"
#include "vm/repl.h"
#include "vm/vm.h"

#define CSP_VERSION "0.1.0"

static const char usage[] =
    "usage: csp [options] [FILE.csp | -e CODE] [ARGS...]\n"
    "\n"
    "  csp FILE.csp [ARGS...]      run a program\n"
    "  csp                         the REPL when stdin is a terminal;\n"
    "                              otherwise read a program from stdin\n"
    "  csp -e 'CODE' [ARGS...]     run CODE as the body of main\n"
    "  csp --threads N ...         worker threads (also CSP_THREADS;\n"
    "                              default: the number of online CPUs)\n"
    "  csp --disasm FILE.csp       print the bytecode\n"
    "  csp --trace OUT.json ...    write a scheduler trace (Chrome trace event\n"
    "                              format; OUT.html: a page that draws it)\n"
    "  csp --version               print the version\n"
    "  csp --help                  print this help\n"
    "\n"
    "Exit status: 0 success, 1 compile or usage error, 2 runtime panic or\n"
    "deadlock, otherwise the code given to os.exit.\n";

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "csp: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return 1;
}

static bool parse_threads(const char *s, int *out) {
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (errno || *s == '\0' || *end != '\0' || n < 1 || n > 4096) return false;
    *out = (int)n;
    return true;
}

/* csp -e: top-level declarations of CODE stay at top level, its
 * statements become the body of main. */
static CompiledFile *compile_code(const char *code) {
    size_t len = strlen(code);
    int incomplete = 0;
    Ast *ast = ast_parse_repl("-e", code, len, &incomplete);
    if (!ast) return NULL;
    if (!ast->root) {
        ast_free(ast);
        return NULL;
    }
    Node *file = ast_node(ast, AST_FILE, 1, 1);
    Node *main_fn = ast_node(ast, AST_FUNCDECL, 1, 1);
    main_fn->name = "main";
    Node *body = ast_node(ast, AST_BLOCK, 1, 1);
    main_fn->a = body;
    NodeList *items = &ast->root->list;
    for (int i = 0; i < items->len; i++) {
        Node *n = items->items[i];
        if (n->kind == AST_FUNCDECL || n->kind == AST_CONST || n->kind == AST_IMPORT)
            ast_list_push(ast, &file->list, n);
        else
            ast_list_push(ast, &body->list, n);
    }
    ast_list_push(ast, &file->list, main_fn);
    ast->root = file;
    return compile_file_ast(ast, false);
}

static char *read_stdin(size_t *len) {
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, stdin)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    int threads = 0;
    bool disasm = false;
    const char *code = NULL;
    const char *env = getenv("CSP_THREADS");
    if (env && *env && !parse_threads(env, &threads)) threads = 0;

    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            printf("csp %s\n", CSP_VERSION);
            return 0;
        }
        if (strcmp(a, "--threads") == 0 || strncmp(a, "--threads=", 10) == 0) {
            const char *v = a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) return usage_error("%s needs a number", "--threads");
            if (!parse_threads(v, &threads)) return usage_error("bad thread count '%s'", v);
            continue;
        }
        if (strcmp(a, "--trace") == 0 || strncmp(a, "--trace=", 8) == 0) {
            const char *v = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) return usage_error("%s needs a file name", "--trace");
            if (!sched_trace_open(v)) return usage_error("cannot create trace file '%s'", v);
            continue;
        }
        if (strcmp(a, "--disasm") == 0) {
            disasm = true;
            continue;
        }
        if (strcmp(a, "-e") == 0) {
            if (i + 1 >= argc) return usage_error("%s needs an argument", "-e");
            code = argv[++i];
            i++;
            break;
        }
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] == '-' && a[1] != '\0') return usage_error("unknown option '%s'", a);
        break;
    }

    const char *path;
    CompiledFile *cf;
    if (code) {
        path = "-e";
        cf = compile_code(code);
    } else if (i < argc && strcmp(argv[i], "-") != 0) {
        path = argv[i++];
        cf = compile_path(path);
    } else {
        if (i < argc) i++;                 /* an explicit "-" */
        if (isatty(STDIN_FILENO) && !disasm) return repl_main(threads);
        size_t len;
        char *src = read_stdin(&len);
        path = "-";
        cf = compile_source(path, src, len);
        free(src);
    }
    if (!cf) return 1;
    if (disasm) {
        disasm_file(cf, stdout);
        return 0;
    }
    if (!cf->main) {
        fprintf(stderr, "%s: no main function\n", path);
        return 1;
    }
    heap_init_globals();
    stdlib_set_args(argc - i, argv + i);
    sched_init(threads);
    Gor *g = gor_new(NULL, OBJ_VAL(VAL_FUNC, cf->main), NULL, 0, NULL, 0);
    return sched_main(g);
}
