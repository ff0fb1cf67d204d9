/*
 * ast.c — the syntax tree's memory: an arena per Ast, node constructors.
 *
 * Everything a tree points to (nodes, list arrays, names, string bytes,
 * the copy of the source) lives in the Ast's arena, so freeing an Ast, or
 * abandoning one half built after a syntax error, is one walk over the
 * arena's chunks and can leak nothing.
 */
#include "parser/ast.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)   /* a chunk holds ~500 nodes; bigger blocks get their own */
#define ALIGN      alignof(max_align_t)

typedef struct Chunk {
    struct Chunk *next;
    alignas(max_align_t) unsigned char data[];
} Chunk;

typedef struct AstArena {
    Chunk *chunks;
    unsigned char *cur, *end;    /* free space in the newest small-object chunk */
    unsigned char *last;         /* the most recent allocation (may grow in place) */
} AstArena;

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) {
        fputs("fatal error: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

static size_t round_up(size_t n) { return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1); }

static void *arena_alloc(AstArena *ar, size_t n) {
    n = round_up(n ? n : 1);
    if (n > (size_t)(ar->end - ar->cur)) {
        if (n > CHUNK_SIZE / 4) {
            /* a big block: its own chunk, linked behind the current one so
             * small allocations keep filling the current chunk */
            Chunk *c = xmalloc(sizeof(Chunk) + n);
            if (ar->chunks) {
                c->next = ar->chunks->next;
                ar->chunks->next = c;
            } else {
                c->next = NULL;
                ar->chunks = c;
            }
            ar->last = NULL;
            return c->data;
        }
        Chunk *c = xmalloc(sizeof(Chunk) + CHUNK_SIZE);
        c->next = ar->chunks;
        ar->chunks = c;
        ar->cur = c->data;
        ar->end = c->data + CHUNK_SIZE;
    }
    void *p = ar->cur;
    ar->cur += n;
    ar->last = p;
    return p;
}

/* Resizes the block p of oldn bytes: in place when it is the newest
 * allocation of the chunk and there is room, else by copying. */
static void *arena_grow(AstArena *ar, void *p, size_t oldn, size_t newn) {
    if (p && p == ar->last && (unsigned char *)p + round_up(oldn) == ar->cur &&
        round_up(newn) - round_up(oldn) <= (size_t)(ar->end - ar->cur)) {
        ar->cur = (unsigned char *)p + round_up(newn);
        return p;
    }
    void *q = arena_alloc(ar, newn);
    if (oldn) memcpy(q, p, oldn);
    return q;
}

void *ast_alloc(Ast *ast, size_t n) { return arena_alloc(ast->arena, n); }

Ast *ast_new(const char *path, const char *source, size_t len) {
    Ast *ast = xmalloc(sizeof *ast);
    memset(ast, 0, sizeof *ast);
    ast->arena = xmalloc(sizeof(AstArena));
    memset(ast->arena, 0, sizeof(AstArena));
    ast->path = ast_strdup(ast, path ? path : "-", path ? strlen(path) : 1);
    ast->source = ast_strdup(ast, source ? source : "", source ? len : 0);
    ast->source_len = source ? len : 0;
    return ast;
}

void ast_free(Ast *ast) {
    if (!ast) return;
    for (Chunk *c = ast->arena->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(ast->arena);
    free(ast);
}

Node *ast_node(Ast *ast, AstKind kind, int line, int col) {
    Node *n = arena_alloc(ast->arena, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->line = line;
    n->col = col;
    n->depth = 1;
    return n;
}

void ast_list_push(Ast *ast, NodeList *l, Node *n) {
    if (l->len == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        l->items = arena_grow(ast->arena, l->items, (size_t)l->cap * sizeof(Node *),
                              (size_t)cap * sizeof(Node *));
        l->cap = cap;
    }
    l->items[l->len++] = n;
}

char *ast_strdup(Ast *ast, const char *s, size_t len) {
    char *p = arena_alloc(ast->arena, len + 1);
    if (len) memcpy(p, s, len);
    p[len] = 0;
    return p;
}

const char *ast_kind_name(AstKind kind) {
    static const char *const names[] = {
#define X(kind, doc) #kind,
        AST_KINDS(X)
#undef X
    };
    return (unsigned)kind < AST__COUNT ? names[kind] : "?";
}
