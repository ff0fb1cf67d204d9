/*
 * list.c — growable arrays of Values.
 */
#include "vm/heap.h"

#include <string.h>

ObjList *list_new(Heap *h, size_t cap)
{
    ObjList *l = (ObjList *)heap_alloc(h, sizeof(ObjList), VAL_LIST);
    l->len = 0;
    l->cap = cap;
    l->items = cap ? heap_raw_alloc(h, cap * sizeof(Value)) : NULL;
    return l;
}

void list_reserve(Heap *h, ObjList *l, size_t need)
{
    if (need <= l->cap)
        return;
    size_t cap = l->cap < 4 ? 4 : l->cap;
    while (cap < need)
        cap *= 2;
    l->items = heap_raw_realloc(h, l->items, l->cap * sizeof(Value), cap * sizeof(Value));
    l->cap = cap;
}

void list_push(Heap *h, ObjList *l, Value v)
{
    if (l->len == l->cap)
        list_reserve(h, l, l->len + 1);
    l->items[l->len++] = v;
}

ObjList *list_slice(Heap *h, const ObjList *l, size_t lo, size_t hi)
{
    size_t n = hi - lo;
    ObjList *r = list_new(h, n);
    if (n)
        memcpy(r->items, l->items + lo, n * sizeof(Value));
    r->len = n;
    return r;
}
