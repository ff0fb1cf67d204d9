/*
 * repl_complete.c — what Tab may complete at the prompt: keywords,
 * builtins, the session's names, module names, and after `m.` the members
 * of module m (a standard module or one imported at the prompt), the
 * names of the input being typed; REPL commands at the start of a line,
 * and file paths after `:load `.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "stdlib/stdlib.h"
#include "vm/repl_int.h"

static const char *const keywords[] = {
    "break", "case", "chan", "const", "continue", "default", "defer", "else", "false",
    "for", "func", "go", "if", "import", "nil", "range", "return", "select", "switch",
    "true", "var", NULL,
};

static const char *const commands[] = { ":help", ":quit", ":load", ":disasm", NULL };

typedef struct Cands {
    char **v;
    int n, cap;
} Cands;

/* Adds `prefix` + name when name starts with `start` (slen bytes), once. */
static void add(Cands *c, const char *prefix, size_t plen, const char *name,
                const char *start, size_t slen) {
    if (strncmp(name, start, slen) != 0) return;
    size_t nlen = strlen(name);
    char *s = malloc(plen + nlen + 1);
    memcpy(s, prefix, plen);
    memcpy(s + plen, name, nlen + 1);
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->v[i], s) == 0) { free(s); return; }
    if (c->n + 2 > c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->v = realloc(c->v, (size_t)c->cap * sizeof *c->v);
    }
    c->v[c->n++] = s;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The module `name` means at the prompt, or NULL. */
static const ObjModule *module_named(Session *s, const char *name) {
    SessName *n = session_find(s, name);
    if (n) return n->kind == SN_MODULE ? AS_MODULE(n->value) : NULL;
    Value v;
    if (stdlib_builtin(name, &v)) return NULL;
    return stdlib_module(name);
}

/* The identifiers of text that start with word[0..len). */
static void add_context(Cands *c, const char *text, const char *word, size_t len) {
    const char *p = text;
    while (*p) {
        if (!(isalpha((unsigned char)*p) || *p == '_')) {
            /* Skip string literals and comments roughly: only names matter. */
            p++;
            continue;
        }
        const char *q = p;
        while (isalnum((unsigned char)*q) || *q == '_') q++;
        bool after_dot = p > text && p[-1] == '.';
        size_t n = (size_t)(q - p);
        if (!after_dot && n > len && n < 256 && strncmp(p, word, len) == 0) {
            char name[256];
            memcpy(name, p, n);
            name[n] = '\0';
            add(c, "", 0, name, word, len);
        }
        p = q;
    }
}

char **repl_completions(Session *s, const char *word, size_t len, bool at_start,
                        const char *context) {
    Cands c = { 0 };
    if (at_start && len > 0 && word[0] == ':') {
        for (int i = 0; commands[i]; i++) add(&c, "", 0, commands[i], word, len);
    } else {
        const char *dot = memchr(word, '.', len);
        if (dot) {
            char mod[256];
            size_t mlen = (size_t)(dot - word);
            if (mlen < sizeof mod && !memchr(dot + 1, '.', len - mlen - 1)) {
                memcpy(mod, word, mlen);
                mod[mlen] = '\0';
                const ObjModule *m = module_named(s, mod);
                for (size_t i = 0; m && i < m->nmembers; i++)
                    add(&c, word, mlen + 1, m->members[i].name, dot + 1, len - mlen - 1);
            }
        } else {
            for (int i = 0; keywords[i]; i++) add(&c, "", 0, keywords[i], word, len);
            const char *const *b = stdlib_builtin_names();
            for (int i = 0; b && b[i]; i++) add(&c, "", 0, b[i], word, len);
            const char *const *m = stdlib_module_names();
            for (int i = 0; m && m[i]; i++) add(&c, "", 0, m[i], word, len);
            for (int i = 0; i < s->nnames; i++) add(&c, "", 0, s->names[i].name, word, len);
            if (context) add_context(&c, context, word, len);
        }
    }
    if (!c.v) c.v = malloc(sizeof *c.v);
    qsort(c.v, (size_t)c.n, sizeof *c.v, cmp_str);
    c.v[c.n] = NULL;
    return c.v;
}

char **repl_complete_path(const char *word, size_t len) {
    Cands c = { 0 };
    char path[4096];
    if (len >= sizeof path) len = sizeof path - 1;
    memcpy(path, word, len);
    path[len] = '\0';
    char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", (int)dlen, path);
    DIR *d = opendir(dlen ? dir : ".");
    if (d) {
        struct dirent *e;
        size_t blen = strlen(base);
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            if (e->d_name[0] == '.' && blen == 0) continue;
            if (strncmp(e->d_name, base, blen) != 0) continue;
            char full[8192];
            snprintf(full, sizeof full, "%s%s", dir, e->d_name);
            struct stat st;
            bool isdir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
            char name[4096];
            snprintf(name, sizeof name, "%s%s", e->d_name, isdir ? "/" : "");
            add(&c, dir, dlen, name, base, blen);
        }
        closedir(d);
    }
    if (!c.v) c.v = malloc(sizeof *c.v);
    qsort(c.v, (size_t)c.n, sizeof *c.v, cmp_str);
    c.v[c.n] = NULL;
    return c.v;
}
