/*
 * compile.c — compiling a file: its top-level names, the two passes over
 * its functions (see compile.h), and the module that `import` binds.
 *
 * Top-level functions are static ObjFunc objects made before any body is
 * compiled, so calls between them (in any order, recursion included) are
 * constants in the caller's code.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parser/diag.h"
#include "stdlib/stdlib.h"
#include "vm/compile.h"

/* Errors are kept until the file is done, then reported in source order
 * (top-level declarations are checked before the bodies). */
static void report(Compiler *c, int line, int col, const char *fmt, va_list ap) {
    if (c->pass != 2) return;
    c->nerrors++;
    if (c->nerrs == c->caperrs) {
        c->caperrs = c->caperrs ? c->caperrs * 2 : 8;
        c->errs = realloc(c->errs, (size_t)c->caperrs * sizeof *c->errs);
    }
    CompError *e = &c->errs[c->nerrs++];
    e->line = line;
    e->col = col;
    e->seq = c->nerrs;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

static int by_position(const void *a, const void *b) {
    const CompError *x = a, *y = b;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : 1;
}

static void flush_errors(Compiler *c) {
    if (c->nerrs > 1) qsort(c->errs, (size_t)c->nerrs, sizeof *c->errs, by_position);
    for (int i = 0; i < c->nerrs; i++)
        diag_error(c->path, c->ast->source, c->ast->source_len, c->errs[i].line, c->errs[i].col,
                   "%s", c->errs[i].msg);
    free(c->errs);
    c->errs = NULL;
    c->nerrs = c->caperrs = 0;
}

void comp_flush_errors(Compiler *c) {
    flush_errors(c);
}

int comp_field_col(Compiler *c, const Node *field) {
    const Node *obj = field->a;
    int from = obj->col + (obj->kind == AST_IDENT ? (int)strlen(obj->name) : 0);
    if (obj->line != field->line) return field->col;
    int dot = comp_find_token(c, field->line, from, ".");
    return comp_find_token(c, field->line, dot, field->name);
}

bool comp_too_many(Compiler *c) {
    return c->nerrors > DIAG_MAX || diag_too_many();
}

void comp_error(Compiler *c, const Node *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    report(c, at ? at->line : 0, at ? at->col : 0, fmt, ap);
    va_end(ap);
}

void comp_error_at(Compiler *c, int line, int col, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    report(c, line, col, fmt, ap);
    va_end(ap);
}

int comp_find_token(Compiler *c, int line, int col, const char *tok) {
    const char *s = c->ast->source, *end = s + c->ast->source_len;
    for (int l = 1; l < line && s < end; s++)
        if (*s == '\n') l++;
    const char *eol = s;
    while (eol < end && *eol != '\n') eol++;
    size_t n = strlen(tok);
    for (const char *p = s + (col > 1 ? col - 1 : 0); p + n <= eol; p++)
        if (memcmp(p, tok, n) == 0) return (int)(p - s) + 1;
    return col;
}

TopName *comp_top(Compiler *c, const char *name) {
    for (int i = 0; i < c->ntops; i++)
        if (strcmp(c->tops[i].name, name) == 0) return &c->tops[i];
    return NULL;
}

TopName *comp_add_top(Compiler *c, const char *name, TopKind kind, Node *node) {
    if (c->ntops == c->captops) {
        c->captops = c->captops ? c->captops * 2 : 16;
        c->tops = realloc(c->tops, (size_t)c->captops * sizeof *c->tops);
    }
    TopName *t = &c->tops[c->ntops++];
    memset(t, 0, sizeof *t);
    t->name = name;
    t->kind = kind;
    t->node = node;
    return t;
}

void comp_proto_free(Proto *p) {
    free(p->code);
    free(p->lines);
    free(p->consts);
    free(p->protos);
    free(p->caps);
    free(p->hints);
    free(p->locals);
    free((char *)p->name);
    free(p);
}

Proto *comp_function(Compiler *c, FuncState *parent, const char *name, Node *fn) {
    FuncState fs;
    fs_init(&fs, c, parent, strdup(name));
    fs.line = fn->line;
    int nparams = fn->list.len;
    for (int i = 0; i < nparams; i++) {
        Node *id = fn->list.items[i];
        if (strcmp(id->name, "_") != 0 && var_lookup_block(&fs, id->name))
            comp_error(c, id, "duplicate argument %s", id->name);
        int reg = reg_alloc(&fs, 1);
        if (strcmp(id->name, "_") != 0) var_declare(&fs, id, reg);
    }
    if (fn->a) {
        stmt_list(&fs, &fn->a->list);
        /* The implicit return at the end: on the last statement's line. */
        NodeList *body = &fn->a->list;
        fs.line = body->len > 0 ? body->items[body->len - 1]->line : fn->a->line;
    }
    here(&fs);
    emit_abc(&fs, OP_RETURN0, 0, 0, 0);
    Proto *p = fs_finish(&fs, fn, nparams, (fn->flags & AST_VARIADIC) != 0);
    fs_free(&fs);
    if (c->nprotos == c->capprotos) {
        c->capprotos = c->capprotos ? c->capprotos * 2 : 16;
        c->protos = realloc(c->protos, (size_t)c->capprotos * sizeof *c->protos);
    }
    c->protos[c->nprotos++] = p;
    return p;
}

static ObjFunc *static_func(void) {
    ObjFunc *f = calloc(1, sizeof *f);
    f->obj.type = VAL_FUNC;
    f->obj.flags = OBJ_STATIC;
    return f;
}

ObjFunc *comp_static_func(Compiler *c, Proto *p) {
    ObjFunc *f = static_func();
    f->proto = p;
    if (c->nowned == c->capowned) {
        c->capowned = c->capowned ? c->capowned * 2 : 8;
        c->owned = realloc(c->owned, (size_t)c->capowned * sizeof *c->owned);
    }
    c->owned[c->nowned++] = f;
    return f;
}

/* Every file compiled, kept for the life of the process. */
static CompiledFile **files;
static int nfiles, capfiles;

static void keep_file(CompiledFile *cf) {
    if (nfiles == capfiles) {
        capfiles = capfiles ? capfiles * 2 : 8;
        files = realloc(files, (size_t)capfiles * sizeof *files);
    }
    files[nfiles++] = cf;
}

/* Frees the compiler's working state; with failed, everything it made. */
static void compiler_free(Compiler *c, bool failed) {
    if (failed) {
        for (int i = 0; i < c->nprotos; i++) comp_proto_free(c->protos[i]);
        free(c->protos);
        for (int i = 0; i < c->nowned; i++) free(c->owned[i]);
        for (int i = 0; i < c->ntops; i++)
            if (c->tops[i].kind == TOP_FUNC) free(AS_FUNC(c->tops[i].value));
        ast_free(c->ast);
    }
    free(c->owned);
    free(c->tops);
    free(c->errs);
    nodeset_free(&c->captured);
    free(c);
}

char *comp_module_name(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".csp") == 0) n -= 4;
    char *s = malloc(n + 1);
    memcpy(s, base, n);
    s[n] = '\0';
    return s;
}

bool comp_import_path(Compiler *c, const Node *n, char *path, size_t size) {
    size_t len = n->len < size - 1 ? n->len : size - 1;
    memcpy(path, n->str, len);
    path[len] = '\0';
    if (len < 4 || strcmp(path + len - 4, ".csp") != 0) {
        if (!stdlib_module(path)) comp_error(c, n, "could not import %s (no such module)", path);
        return false;
    }
    return true;
}

static void collect_tops(Compiler *c) {
    NodeList *items = &c->ast->root->list;
    for (int i = 0; i < items->len; i++) {
        Node *n = items->items[i];
        const char *name = NULL;
        switch (n->kind) {
        case AST_FUNCDECL:
            name = n->name;
            if (comp_top(c, name)) {
                comp_error_at(c, n->line, comp_find_token(c, n->line, n->col + 4, name),
                              "%s redeclared in this block", name);
                break;
            }
            {
                TopName *t = comp_add_top(c, name, TOP_FUNC, n);
                t->value = OBJ_VAL(VAL_FUNC, static_func());
            }
            break;
        case AST_CONST:
            name = n->name;
            if (comp_top(c, name)) { comp_error(c, n, "%s redeclared in this block", name); break; }
            comp_add_top(c, name, TOP_CONST, n);
            break;
        case AST_IMPORT: {
            char path[4096];
            if (!comp_import_path(c, n, path, sizeof path)) break;
            char *mname = comp_module_name(path);
            name = ast_strdup(c->ast, mname, strlen(mname));
            free(mname);
            ObjModule *m = import_file(c, n, path);
            if (!m) { c->import_failed = true; break; }
            if (comp_top(c, name)) { comp_error(c, n, "%s redeclared in this block", name); break; }
            TopName *t = comp_add_top(c, name, TOP_MODULE, n);
            t->value = OBJ_VAL(VAL_MODULE, m);
            break;
        }
        default:
            comp_error(c, n, "non-declaration statement outside function body");
            break;
        }
    }
}

static ObjModule *build_module(Compiler *c) {
    ObjModule *m = calloc(1, sizeof *m);
    m->obj.type = VAL_MODULE;
    m->obj.flags = OBJ_STATIC;
    m->name = comp_module_name(c->path);
    m->members = calloc((size_t)c->ntops + 1, sizeof *m->members);
    for (int i = 0; i < c->ntops; i++) {
        TopName *t = &c->tops[i];
        if (t->kind == TOP_MODULE) continue;
        m->members[m->nmembers++] = (ModuleMember){ t->name, t->value };
    }
    return m;
}

CompiledFile *compile_file_ast(Ast *ast, bool is_prelude) {
    Compiler *c = calloc(1, sizeof *c);
    c->path = ast->path;
    c->ast = ast;
    c->is_prelude = is_prelude;
    c->pass = 2;
    collect_tops(c);
    if (c->import_failed) {
        /* An import failed: its own errors say why; uses of its names
         * would only add noise. */
        flush_errors(c);
        compiler_free(c, true);
        return NULL;
    }
    for (int i = 0; i < c->ntops; i++) {
        Value v;
        if (c->tops[i].kind == TOP_CONST) top_const_value(c, &c->tops[i], &v);
    }
    NodeList *items = &ast->root->list;
    /* Pass 1: find the captured variables. */
    c->pass = 1;
    for (int i = 0; i < items->len; i++) {
        Node *n = items->items[i];
        if (n->kind == AST_FUNCDECL && comp_top(c, n->name)->node == n)
            comp_function(c, NULL, n->name, n);
    }
    for (int i = 0; i < c->nprotos; i++) comp_proto_free(c->protos[i]);
    c->nprotos = 0;
    /* Pass 2: the code. */
    c->pass = 2;
    for (int i = 0; i < items->len && !comp_too_many(c); i++) {
        Node *n = items->items[i];
        if (n->kind != AST_FUNCDECL) continue;
        TopName *t = comp_top(c, n->name);
        if (t->node != n) continue;
        AS_FUNC(t->value)->proto = comp_function(c, NULL, n->name, n);
    }
    flush_errors(c);
    if (c->nerrors > 0 || diag_count() > 0) {
        compiler_free(c, true);
        return NULL;
    }
    CompiledFile *cf = calloc(1, sizeof *cf);
    cf->path = ast->path;
    cf->ast = ast;
    cf->module = build_module(c);
    TopName *m = comp_top(c, "main");
    cf->main = m && m->kind == TOP_FUNC ? AS_FUNC(m->value) : NULL;
    cf->protos = c->protos;
    cf->nprotos = c->nprotos;
    compiler_free(c, false);
    keep_file(cf);
    return cf;
}
