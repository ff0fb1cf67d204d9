/*
 * import.c — reading and compiling the program file and the files it
 * imports.
 *
 * `import "dir/x.csp"` names a path relative to the importing file's
 * directory. Each file is compiled once however often it is imported (the
 * cache is keyed by its real path); a file imported while it is still
 * being compiled closes a cycle, which is an error.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parser/diag.h"
#include "vm/compile.h"

typedef struct CacheEntry {
    char *key;                   /* real path */
    CompiledFile *cf;            /* NULL while being compiled, or after it failed */
    bool in_progress;
} CacheEntry;

static CacheEntry *cache;
static int ncache, capcache;

static CacheEntry *cache_find(const char *key) {
    for (int i = 0; i < ncache; i++)
        if (strcmp(cache[i].key, key) == 0) return &cache[i];
    return NULL;
}

static CacheEntry *cache_add(const char *key) {
    if (ncache == capcache) {
        capcache = capcache ? capcache * 2 : 8;
        cache = realloc(cache, (size_t)capcache * sizeof *cache);
    }
    CacheEntry *e = &cache[ncache++];
    e->key = strdup(key);
    e->cf = NULL;
    e->in_progress = true;
    return e;
}

static char *cache_key(const char *path) {
    char buf[PATH_MAX];
    if (realpath(path, buf)) return strdup(buf);
    return strdup(path);
}

/* Reads a whole file; NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
    }
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static CompiledFile *compile_text(const char *path, const char *src, size_t len) {
    int incomplete = 0;
    Ast *ast = ast_parse(path, src, len, &incomplete);
    if (!ast) return NULL;
    if (!ast->root) {
        ast_free(ast);
        return NULL;
    }
    return compile_file_ast(ast, false);
}

ObjModule *import_file(Compiler *c, Node *at, const char *relpath) {
    char full[PATH_MAX];
    const char *slash = strrchr(c->path, '/');
    if (relpath[0] == '/' || !slash)
        snprintf(full, sizeof full, "%s", relpath);
    else
        snprintf(full, sizeof full, "%.*s/%s", (int)(slash - c->path), c->path, relpath);
    char *key = cache_key(full);
    CacheEntry *e = cache_find(key);
    if (e) {
        free(key);
        if (e->in_progress) {
            comp_error(c, at, "import cycle not allowed");
            return NULL;
        }
        return e->cf ? e->cf->module : NULL;
    }
    size_t len;
    char *src = read_file(full, &len);
    if (!src) {
        comp_error(c, at, "could not import %s (%s)", relpath, strerror(errno));
        free(key);
        return NULL;
    }
    int idx = (int)(cache_add(key) - cache);
    free(key);
    CompiledFile *cf = compile_text(full, src, len);
    free(src);
    cache[idx].cf = cf;
    cache[idx].in_progress = false;
    if (!cf) c->nerrors++;
    return cf ? cf->module : NULL;
}

CompiledFile *compile_source(const char *path, const char *source, size_t len) {
    CacheEntry *e = NULL;
    if (strcmp(path, "-") != 0 && strcmp(path, "-e") != 0) {
        char *key = cache_key(path);
        e = cache_find(key);
        if (!e) e = cache_add(key);
        free(key);
    }
    int idx = e ? (int)(e - cache) : -1;
    CompiledFile *cf = compile_text(path, source, len);
    if (idx >= 0) {
        cache[idx].cf = cf;
        cache[idx].in_progress = false;
    }
    return cf;
}

CompiledFile *compile_path(const char *path) {
    size_t len;
    char *src = read_file(path, &len);
    if (!src) {
        fprintf(stderr, "csp: cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    CompiledFile *cf = compile_source(path, src, len);
    free(src);   /* the Ast keeps its own copy of the source */
    return cf;
}
