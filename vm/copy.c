/*
 * copy.c — deep copy of values into another heap (for `go` arguments,
 * captured variables and channel messages).
 *
 * The copy preserves sharing and cycles: a visited table maps each source
 * object to its copy, so an object reached twice is copied once (two
 * closures sharing a box get copies sharing one box). The walk is
 * iterative: copying an object allocates its shell at once and queues it;
 * the queue is drained by filling each shell's children, so
 * deep structures never recurse on the C stack.
 *
 * What is copied: heap strings, lists, maps, closures, boxes. Static
 * strings, functions, natives and modules are immutable and shared.
 * Static lists and maps (os.args) are mutable in form, so they are copied
 * like heap ones. Channels and handles get a new proxy in the target heap
 * holding a new reference on the same shared object.
 */
#include "vm/heap.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/chan.h"

void handle_retain(Handle *h);       /* stdlib/handle.h */

typedef struct CopyPair {
    Obj *src, *dst;
} CopyPair;

enum { INLINE_SLOTS = 32 };          /* power of two; covers most messages without malloc */

typedef struct Copier {
    Heap *to;
    CopyPair *slots;                 /* visited: open addressing on src; src NULL = empty */
    size_t capslots, nslots;
    CopyPair *work;                  /* shells whose children are still to be copied */
    size_t nwork, capwork;
    CopyPair inline_slots[INLINE_SLOTS];
    CopyPair inline_work[INLINE_SLOTS];
} Copier;

static void copier_init(Copier *c, Heap *to)
{
    c->to = to;
    c->slots = c->inline_slots;
    c->capslots = INLINE_SLOTS;
    c->nslots = 0;
    memset(c->inline_slots, 0, sizeof c->inline_slots);
    c->work = c->inline_work;
    c->nwork = 0;
    c->capwork = INLINE_SLOTS;
}

static void copier_free(Copier *c)
{
    if (c->slots != c->inline_slots)
        free(c->slots);
    if (c->work != c->inline_work)
        free(c->work);
}

static inline size_t ptr_hash(const Obj *p, size_t mask)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    return (size_t)((x * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

static Obj *visited_get(const Copier *c, const Obj *src)
{
    size_t mask = c->capslots - 1;
    for (size_t i = ptr_hash(src, mask);; i = (i + 1) & mask) {
        if (c->slots[i].src == src)
            return c->slots[i].dst;
        if (!c->slots[i].src)
            return NULL;
    }
}

static void visited_put(Copier *c, Obj *src, Obj *dst)
{
    if (2 * (c->nslots + 1) > c->capslots) {
        size_t cap = 2 * c->capslots;
        CopyPair *slots = calloc(cap, sizeof *slots);
        if (!slots)
            heap_out_of_memory();
        for (size_t i = 0; i < c->capslots; i++) {
            if (!c->slots[i].src)
                continue;
            size_t j = ptr_hash(c->slots[i].src, cap - 1);
            while (slots[j].src)
                j = (j + 1) & (cap - 1);
            slots[j] = c->slots[i];
        }
        if (c->slots != c->inline_slots)
            free(c->slots);
        c->slots = slots;
        c->capslots = cap;
    }
    size_t mask = c->capslots - 1;
    size_t i = ptr_hash(src, mask);
    while (c->slots[i].src)
        i = (i + 1) & mask;
    c->slots[i].src = src;
    c->slots[i].dst = dst;
    c->nslots++;
}

static void work_push(Copier *c, Obj *src, Obj *dst)
{
    if (c->nwork == c->capwork) {
        size_t cap = 2 * c->capwork;
        CopyPair *w = malloc(cap * sizeof *w);
        if (!w)
            heap_out_of_memory();
        memcpy(w, c->work, c->nwork * sizeof *w);
        if (c->work != c->inline_work)
            free(c->work);
        c->work = w;
        c->capwork = cap;
    }
    c->work[c->nwork].src = src;
    c->work[c->nwork].dst = dst;
    c->nwork++;
}

/* Immutable and shared across heaps as is. */
static inline bool shared_as_is(const Obj *o)
{
    if (o->type == VAL_NATIVE || o->type == VAL_MODULE)
        return true;
    return (o->flags & OBJ_STATIC) && o->type != VAL_LIST && o->type != VAL_MAP;
}

/* Returns the copy of object o, making a shell (and queueing it) if new. */
static Obj *copy_obj(Copier *c, Obj *o)
{
    if (shared_as_is(o))
        return o;
    Obj *d = visited_get(c, o);
    if (d)
        return d;
    Heap *to = c->to;
    switch (o->type) {
    case VAL_STR: {
        const ObjStr *s = (const ObjStr *)o;
        ObjStr *n = str_alloc(to, s->len);
        memcpy(n->chars, s->chars, s->len);
        n->hash = s->hash;
        d = &n->obj;
        break;
    }
    case VAL_LIST: {
        const ObjList *l = (const ObjList *)o;
        ObjList *n = list_new(to, l->len);
        n->len = l->len;
        d = &n->obj;
        if (l->len)
            work_push(c, o, d);
        break;
    }
    case VAL_MAP: {
        ObjMap *n = map_new(to, 0);
        d = &n->obj;
        work_push(c, o, d);
        break;
    }
    case VAL_FUNC: {
        const ObjFunc *f = (const ObjFunc *)o;
        ObjFunc *n = func_new(to, f->proto, f->nboxes);
        d = &n->obj;
        if (f->nboxes)
            work_push(c, o, d);
        break;
    }
    case VAL_BOX: {
        ObjBox *n = box_new(to, NIL_VAL);
        d = &n->obj;
        work_push(c, o, d);
        break;
    }
    case VAL_CHAN: {
        ObjChan *n = (ObjChan *)heap_alloc(to, sizeof(ObjChan), VAL_CHAN);
        n->chan = ((const ObjChan *)o)->chan;
        chan_retain(n->chan);
        d = &n->obj;
        break;
    }
    case VAL_HANDLE: {
        ObjHandle *n = (ObjHandle *)heap_alloc(to, sizeof(ObjHandle), VAL_HANDLE);
        n->handle = ((const ObjHandle *)o)->handle;
        handle_retain(n->handle);
        d = &n->obj;
        break;
    }
    default:
        return o;
    }
    visited_put(c, o, d);
    return d;
}

static inline Value copy_val(Copier *c, Value v)
{
    if (!VAL_IS_OBJ(v))
        return v;
    v.as.o = copy_obj(c, v.as.o);
    return v;
}

/* Copies the raw layout of map s into the empty shell d, then its keys and
 * values. Positions, holes and sequence numbers are kept, so the index can
 * be copied as is (the hashes of copied strings are equal). */
static void fill_map(Copier *c, const ObjMap *s, ObjMap *d)
{
    Heap *to = c->to;
    if (s->capentries) {
        d->entries = heap_raw_alloc(to, s->capentries * sizeof(MapEntry));
        memcpy(d->entries, s->entries, s->nentries * sizeof(MapEntry));
        d->index = heap_raw_alloc(to, s->capindex * sizeof(int32_t));
        memcpy(d->index, s->index, s->capindex * sizeof(int32_t));
        if (s->seqs) {
            d->seqs = heap_raw_alloc(to, s->capentries * sizeof(uint64_t));
            memcpy(d->seqs, s->seqs, s->nentries * sizeof(uint64_t));
        }
    }
    d->nentries = s->nentries;
    d->capentries = s->capentries;
    d->count = s->count;
    d->capindex = s->capindex;
    d->next_seq = s->next_seq;
    d->iter_hint = 0;
    for (size_t i = 0; i < d->nentries; i++) {
        MapEntry *e = &d->entries[i];
        if (e->key.type >= VAL__COUNT)       /* hole */
            continue;
        e->key = copy_val(c, e->key);
        e->value = copy_val(c, e->value);
    }
}

static void drain(Copier *c)
{
    while (c->nwork) {
        CopyPair p = c->work[--c->nwork];
        switch (p.src->type) {
        case VAL_LIST: {
            const ObjList *s = (const ObjList *)p.src;
            ObjList *d = (ObjList *)p.dst;
            for (size_t i = 0; i < s->len; i++)
                d->items[i] = copy_val(c, s->items[i]);
            break;
        }
        case VAL_MAP:
            fill_map(c, (const ObjMap *)p.src, (ObjMap *)p.dst);
            break;
        case VAL_FUNC: {
            const ObjFunc *s = (const ObjFunc *)p.src;
            ObjFunc *d = (ObjFunc *)p.dst;
            for (uint32_t i = 0; i < s->nboxes; i++)
                d->boxes[i] = s->boxes[i] ? (ObjBox *)copy_obj(c, &s->boxes[i]->obj) : NULL;
            break;
        }
        case VAL_BOX:
            ((ObjBox *)p.dst)->value = copy_val(c, ((const ObjBox *)p.src)->value);
            break;
        default:
            break;
        }
    }
}

Value heap_copy_value(Heap *to, Value v)
{
    if (!VAL_IS_OBJ(v) || shared_as_is(v.as.o))
        return v;                            /* scalars and immutable statics: free */
    if (v.type == VAL_STR) {                 /* a lone string needs no visited table */
        const ObjStr *s = AS_STR(v);
        ObjStr *n = str_alloc(to, s->len);
        memcpy(n->chars, s->chars, s->len);
        n->hash = s->hash;
        return STR_VAL(n);
    }
    Copier c;
    copier_init(&c, to);
    v = copy_val(&c, v);
    drain(&c);
    copier_free(&c);
    return v;
}

void heap_copy_values(Heap *to, const Value *src, Value *dst, size_t n)
{
    size_t i = 0;
    while (i < n && (!VAL_IS_OBJ(src[i]) || shared_as_is(src[i].as.o))) {
        dst[i] = src[i];
        i++;
    }
    if (i == n)
        return;
    Copier c;
    copier_init(&c, to);
    for (; i < n; i++) {
        dst[i] = copy_val(&c, src[i]);
        drain(&c);
    }
    copier_free(&c);
}
