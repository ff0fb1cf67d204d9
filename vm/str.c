/*
 * str.c — immutable byte strings.
 *
 * A string's hash is computed when it is made and never written again:
 * static strings are read by every thread at once, so nothing may be
 * cached into them lazily.
 */
#include "vm/heap.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A multiply-xorshift hash over 8-byte words: fast on long strings (join,
 * read_file) and well mixed for the map index, which uses its high bits. */
uint32_t str_hash(const char *s, size_t len)
{
    const uint64_t k = 0xbf58476d1ce4e5b9ull;
    uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)len * 0xff51afd7ed558ccdull);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * k;
        h ^= h >> 31;
        s += 8;
        len -= 8;
    }
    if (len) {
        uint64_t w = 0;
        memcpy(&w, s, len);
        h = (h ^ w) * k;
        h ^= h >> 31;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (uint32_t)h;
}

ObjStr *str_alloc(Heap *h, size_t len)
{
    ObjStr *s = (ObjStr *)heap_alloc(h, sizeof(ObjStr) + len + 1, VAL_STR);
    s->len = len;
    s->hash = 0;
    s->chars[len] = '\0';
    return s;
}

void str_rehash(ObjStr *s)
{
    s->hash = str_hash(s->chars, s->len);
}

ObjStr *str_new(Heap *h, const char *chars, size_t len)
{
    ObjStr *s = str_alloc(h, len);
    if (len)
        memcpy(s->chars, chars, len);
    s->hash = str_hash(s->chars, len);
    return s;
}

/* Static objects live until exit. They are chained here so that leak
 * checkers see them as reachable; the lock covers only this chain. */
static Obj *static_objects;
static pthread_mutex_t static_lock = PTHREAD_MUTEX_INITIALIZER;

void obj_make_static(Obj *o)
{
    o->flags = OBJ_STATIC;
    pthread_mutex_lock(&static_lock);
    o->next = static_objects;
    static_objects = o;
    pthread_mutex_unlock(&static_lock);
}

ObjStr *str_static(const char *chars, size_t len)
{
    ObjStr *s = malloc(sizeof(ObjStr) + len + 1);
    if (!s) {
        fflush(stdout);
        fputs("fatal error: out of memory\n", stderr);
        _exit(2);
    }
    s->obj.type = VAL_STR;
    obj_make_static(&s->obj);
    s->len = len;
    if (len)
        memcpy(s->chars, chars, len);
    s->chars[len] = '\0';
    s->hash = str_hash(s->chars, len);
    return s;
}

ObjStr *str_concat(Heap *h, const ObjStr *a, const ObjStr *b)
{
    ObjStr *s = str_alloc(h, a->len + b->len);
    memcpy(s->chars, a->chars, a->len);
    memcpy(s->chars + a->len, b->chars, b->len);
    str_rehash(s);
    return s;
}

bool str_equal(const ObjStr *a, const ObjStr *b)
{
    return a == b ||
           (a->hash == b->hash && a->len == b->len && memcmp(a->chars, b->chars, a->len) == 0);
}

int str_compare(const ObjStr *a, const ObjStr *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->chars, b->chars, n) : 0;
    if (c)
        return c;
    return a->len < b->len ? -1 : a->len > b->len;
}
