/*
 * repl_compile.c — compiling one REPL input against the session.
 *
 * An input becomes a function of no parameters, `<input>`, compiled as if
 * it were nested in an invisible function whose locals are the session's
 * variables: its FuncState starts with one captured variable per session
 * box (capture i is box i), so every name of the session resolves, in the
 * input and in any closure inside it, through the compiler's ordinary
 * capture machinery. repl_run builds the closure with the session's boxes.
 *
 * Before compiling, the top level of the input is rewritten:
 *   - `a, b := e1, e2` and `var a, b = ...` become assignments to session
 *     variables, made first for the names the session lacks (so `x := 1`
 *     at one prompt and `x` at the next name the same box, and a second
 *     `x := 2` simply assigns: at the prompt redefinition is allowed);
 *   - `func f() {...}` stores a closure named f in the session variable f,
 *     so redefining f replaces it for every caller, and all the `func`
 *     declarations of one input (or :load file) may call each other;
 *   - an expression statement `e` becomes `(show)(e)`, a native that
 *     prints the values (strings quoted); for a call it prints nothing
 *     when the call's only result is nil, so `println("hi")` or a
 *     function without `return` does not echo `nil`;
 *   - `const` declares a session constant and `import` a session module
 *     (compile-time values, as in a file).
 * Declarations inside blocks stay local to the input.
 */
#include <stdlib.h>
#include <string.h>

#include "parser/diag.h"
#include "runtime/sched.h"
#include "stdlib/stdlib.h"
#include "vm/compile.h"
#include "vm/fmt.h"
#include "vm/repl_int.h"
#include "vm/strbuf.h"

/* --- the printing natives --- */

static void show_values(const Value *v, int n) {
    StrBuf b;
    strbuf_init(&b);
    for (int i = 0; i < n; i++) {
        if (i > 0) strbuf_appendc(&b, ' ');
        fmt_repr(&b, v[i]);
    }
    strbuf_appendc(&b, '\n');
    rt_write_stdout(b.data, b.len);
    strbuf_free(&b);
}

static int fn_show(Gor *g, int nargs, Value *args, Value *out) {
    (void)g, (void)out;
    show_values(args, nargs);
    return 0;
}

static int fn_show_call(Gor *g, int nargs, Value *args, Value *out) {
    (void)g, (void)out;
    if (nargs == 0 || (nargs == 1 && IS_NIL(args[0]))) return 0;
    show_values(args, nargs);
    return 0;
}

static ObjNative show_native = { { NULL, VAL_NATIVE, OBJ_STATIC }, "(show)", fn_show };
static ObjNative show_call_native = { { NULL, VAL_NATIVE, OBJ_STATIC }, "(show)", fn_show_call };

/* Names no identifier can spell: the input's hidden constants. */
static const char SHOW[] = "(show)", SHOW_CALL[] = "(show call)";

/* --- session names --- */

SessName *session_find(Session *s, const char *name) {
    for (int i = 0; i < s->nnames; i++)
        if (strcmp(s->names[i].name, name) == 0) return &s->names[i];
    return NULL;
}

static SessName *add_name(Session *s, const char *name) {
    if (s->nnames == s->capnames) {
        s->capnames = s->capnames ? s->capnames * 2 : 32;
        s->names = realloc(s->names, (size_t)s->capnames * sizeof *s->names);
    }
    SessName *n = &s->names[s->nnames++];
    memset(n, 0, sizeof *n);
    n->name = strdup(name);
    return n;
}

/* Forgets a variable's box under its name: the name now means something else. */
static void unname_box(Session *s, SessName *n) {
    if (n->kind == SN_VAR) s->boxname[n->box] = "";
}

/* The session variable `name`, made (with a new box index) when missing. */
static SessName *define_var(Session *s, const char *name, bool is_func) {
    SessName *n = session_find(s, name);
    if (n && n->kind == SN_VAR) {
        n->is_func = is_func;
        return n;
    }
    if (!n) n = add_name(s, name);
    if (s->nboxnames == s->capboxnames) {
        s->capboxnames = s->capboxnames ? s->capboxnames * 2 : 32;
        s->boxname = realloc(s->boxname, (size_t)s->capboxnames * sizeof *s->boxname);
    }
    n->kind = SN_VAR;
    n->is_func = is_func;
    n->box = s->nboxnames;
    s->boxname[s->nboxnames++] = n->name;
    return n;
}

static void define_value(Session *s, const char *name, SessKind kind, Value v) {
    SessName *n = session_find(s, name);
    if (n) unname_box(s, n);
    else n = add_name(s, name);
    n->kind = kind;
    n->is_func = false;
    n->value = v;
}

/* What the session's names were before an input, to restore after errors. */
typedef struct Snapshot {
    SessName *names;
    int nnames;
    const char **boxname;
    int nboxnames;
} Snapshot;

static Snapshot snapshot(Session *s) {
    Snapshot sn = { NULL, s->nnames, NULL, s->nboxnames };
    if (s->nnames) {
        sn.names = malloc((size_t)s->nnames * sizeof *sn.names);
        memcpy(sn.names, s->names, (size_t)s->nnames * sizeof *sn.names);
    }
    if (s->nboxnames) {
        sn.boxname = malloc((size_t)s->nboxnames * sizeof *sn.boxname);
        memcpy(sn.boxname, s->boxname, (size_t)s->nboxnames * sizeof *sn.boxname);
    }
    return sn;
}

static void restore(Session *s, Snapshot *sn) {
    s->nnames = sn->nnames;
    if (sn->nnames) memcpy(s->names, sn->names, (size_t)sn->nnames * sizeof *sn->names);
    s->nboxnames = sn->nboxnames;
    if (sn->nboxnames) memcpy(s->boxname, sn->boxname, (size_t)sn->nboxnames * sizeof *sn->boxname);
}

static void snapshot_free(Snapshot *sn) {
    free(sn->names);
    free(sn->boxname);
}

/* --- rewriting the top level --- */

static Node *ident(Ast *ast, const char *name, int line, int col) {
    Node *n = ast_node(ast, AST_IDENT, line, col);
    n->name = ast_strdup(ast, name, strlen(name));
    return n;
}

/* Declares the new session names of the input's top level and rewrites
 * its items as the header describes. Imports are compiled here. */
static void prepare(Session *s, Compiler *c, bool only_decls) {
    Ast *ast = c->ast;
    NodeList *items = &ast->root->list;
    for (int i = 0; i < items->len; i++) {
        Node *n = items->items[i];
        switch (n->kind) {
        case AST_FUNCDECL:
            define_var(s, n->name, true);
            break;
        case AST_CONST:
        case AST_EMPTY:
            break;
        case AST_IMPORT: {
            char path[4096];
            if (!comp_import_path(c, n, path, sizeof path)) break;
            ObjModule *m = import_file(c, n, path);
            if (m) {
                char *name = comp_module_name(path);
                define_value(s, name, SN_MODULE, OBJ_VAL(VAL_MODULE, m));
                free(name);
            } else {
                c->nerrors++;
            }
            break;
        }
        case AST_DEFINE:
        case AST_VAR:
            if (only_decls) goto not_decl;
            for (int j = 0; j < n->list.len; j++) {
                Node *id = n->list.items[j];
                if (strcmp(id->name, "_") != 0) define_var(s, id->name, false);
            }
            if (n->kind == AST_VAR && n->list2.len == 0)
                for (int j = 0; j < n->list.len; j++)
                    ast_list_push(ast, &n->list2, ast_node(ast, AST_NIL, n->line, n->col));
            n->kind = AST_ASSIGN;
            break;
        case AST_EXPR: {
            if (only_decls) goto not_decl;
            Node *e = n->a;
            Node *call = ast_node(ast, AST_CALL, e->line, e->col);
            call->a = ident(ast, e->kind == AST_CALL ? SHOW_CALL : SHOW, e->line, e->col);
            ast_list_push(ast, &call->list, e);
            n->a = call;
            break;
        }
        default:
            if (only_decls) goto not_decl;
            break;
        }
        continue;
    not_decl:
        comp_error(c, n, "non-declaration statement outside function body");
    }
}

/* --- compiling --- */

/* A session constant or module as a top-level name of the input. */
static void add_top(Compiler *c, const char *name, TopKind kind, Value v) {
    TopName *t = comp_add_top(c, name, kind, NULL);
    t->value = v;
    t->state = 2;                /* TOP_CONST: evaluated */
}

/* `func f(...) {...}` at the top level: session variable f := the closure. */
static void funcdecl(FuncState *fs, Session *s, Node *n) {
    fs->line = n->line;
    int dst = reg_alloc(fs, 1);
    comp_closure_to(fs, comp_function(fs->c, fs, n->name, n), dst);
    emit_abc(fs, OP_SETUPV, session_find(s, n->name)->box, dst, 0);
    reg_free_to(fs, dst);
}

/* One pass over the input. In pass 2 the top-level constants' values are
 * stored in consts[] (one per item; nil for other items). */
static Proto *compile_body(Compiler *c, Session *s, Value *consts) {
    Ast *ast = c->ast;
    NodeList *items = &ast->root->list;
    FuncState outer, fs;
    fs_init(&outer, c, NULL, "<session>");
    fs_init(&fs, c, &outer, strdup("<input>"));
    fs.line = 1;
    fs.caps = malloc((size_t)(s->nboxnames + 1) * sizeof *fs.caps);
    fs.capcaps = s->nboxnames + 1;
    for (int i = 0; i < s->nboxnames; i++)
        fs.caps[fs.ncaps++] = (Capture){ false, (uint16_t)i, s->boxname[i] };
    var_declare_const(&fs, ident(ast, SHOW, 1, 1), OBJ_VAL(VAL_NATIVE, &show_native));
    var_declare_const(&fs, ident(ast, SHOW_CALL, 1, 1), OBJ_VAL(VAL_NATIVE, &show_call_native));
    for (int i = 0; i < items->len && !comp_too_many(c); i++) {
        Node *n = items->items[i];
        if (n->kind == AST_IMPORT) continue;
        if (n->kind == AST_FUNCDECL) funcdecl(&fs, s, n);
        else stmt(&fs, n);
        if (consts && n->kind == AST_CONST) {
            VarDesc *v = var_lookup_block(&fs, n->name);
            consts[i] = v && v->kind == VAR_CONST ? v->cval : NIL_VAL;
        }
    }
    here(&fs);
    emit_abc(&fs, OP_RETURN0, 0, 0, 0);
    Node *at = ast_node(ast, AST_FUNCLIT, 1, 1);
    Proto *p = fs_finish(&fs, at, 0, false);
    fs_free(&fs);
    fs_free(&outer);
    return p;
}

Proto *repl_compile(Session *s, Ast *ast, bool only_decls) {
    Snapshot sn = snapshot(s);
    Compiler *c = calloc(1, sizeof *c);
    c->path = ast->path;
    c->ast = ast;
    c->pass = 2;                 /* imports report their errors now */
    prepare(s, c, only_decls);
    for (int i = 0; i < s->nnames; i++) {
        SessName *n = &s->names[i];
        if (n->kind == SN_CONST) add_top(c, n->name, TOP_CONST, n->value);
        else if (n->kind == SN_MODULE) add_top(c, n->name, TOP_MODULE, n->value);
    }
    Proto *p = NULL;
    int nitems = ast->root->list.len;
    Value *consts = calloc((size_t)nitems + 1, sizeof *consts);
    if (c->nerrors == 0 && diag_count() == 0) {
        /* Pass 1: which locals closures capture. */
        c->pass = 1;
        comp_proto_free(compile_body(c, s, NULL));
        for (int i = 0; i < c->nprotos; i++) comp_proto_free(c->protos[i]);
        c->nprotos = 0;
        /* Pass 2: the code. */
        c->pass = 2;
        p = compile_body(c, s, consts);
        if (c->nerrors > 0 || diag_count() > 0) p = NULL;   /* its parts are left: rare, small */
    }
    comp_flush_errors(c);
    if (p) {
        NodeList *items = &ast->root->list;
        for (int i = 0; i < nitems; i++)
            if (items->items[i]->kind == AST_CONST)
                define_value(s, items->items[i]->name, SN_CONST, consts[i]);
        s->last = p;
    } else {
        restore(s, &sn);
    }
    free(consts);
    snapshot_free(&sn);
    nodeset_free(&c->captured);
    free(c->tops);
    free(c->protos);
    free(c->owned);              /* the static functions themselves live on */
    free(c);
    return p;
}
