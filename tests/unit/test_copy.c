/*
 * test_copy.c — deep copies between heaps: independence, sharing and
 * cycles preserved, statics shared, closures sharing a box, channels and
 * handles getting new proxies, million-deep structures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/heap.h"

static int chan_refs, handle_refs;
__attribute__((weak)) void chan_retain(Chan *c) { (void)c; chan_refs++; }
__attribute__((weak)) void chan_release(Chan *c) { (void)c; chan_refs--; }
__attribute__((weak)) void handle_retain(Handle *h) { (void)h; handle_refs++; }
__attribute__((weak)) void handle_release(Handle *h) { (void)h; handle_refs--; }

static int passed, failed;
#define CHECK(cond) do { if (cond) passed++; else { failed++; \
    fprintf(stderr, "%s:%d: FAIL %s\n", __FILE__, __LINE__, #cond); } } while (0)

static bool owned_by(const Heap *h, const Obj *o)
{
    for (const Obj *p = h->objects; p; p = p->next)
        if (p == o)
            return true;
    return false;
}

static void test_scalars_and_strings(void)
{
    Heap a, b;
    heap_init(&a);
    heap_init(&b);
    Value v = heap_copy_value(&b, INT_VAL(42));
    CHECK(v.type == VAL_INT && v.as.i == 42 && b.objects == NULL);
    v = heap_copy_value(&b, FLOAT_VAL(2.5));
    CHECK(v.type == VAL_FLOAT && v.as.f == 2.5 && b.objects == NULL);
    ObjStr *st = str_static("const", 5);
    v = heap_copy_value(&b, STR_VAL(st));
    CHECK(v.as.o == &st->obj && b.objects == NULL);          /* statics shared */
    ObjStr *s = str_new(&a, "hello", 5);
    v = heap_copy_value(&b, STR_VAL(s));
    CHECK(v.as.o != &s->obj && owned_by(&b, v.as.o) && str_equal(AS_STR(v), s));
    CHECK(AS_STR(v)->hash == s->hash);
    heap_free_all(&a);
    heap_free_all(&b);
}

static void test_sharing_and_cycles(void)
{
    Heap a, b;
    heap_init(&a);
    heap_init(&b);
    /* l = [shared, shared, m, l], m = {"self": m, "l": l, "s": "str"} */
    ObjList *shared = list_new(&a, 0);
    list_push(&a, shared, INT_VAL(1));
    ObjList *l = list_new(&a, 0);
    ObjMap *m = map_new(&a, 0);
    ObjStr *str = str_new(&a, "str", 3);
    list_push(&a, l, LIST_VAL(shared));
    list_push(&a, l, LIST_VAL(shared));
    list_push(&a, l, MAP_VAL(m));
    list_push(&a, l, LIST_VAL(l));
    list_push(&a, l, STR_VAL(str));
    list_push(&a, l, STR_VAL(str));
    map_set(&a, m, STR_VAL(str_new(&a, "self", 4)), MAP_VAL(m));
    map_set(&a, m, STR_VAL(str_new(&a, "l", 1)), LIST_VAL(l));
    map_set(&a, m, STR_VAL(str_new(&a, "gone", 4)), INT_VAL(0));
    map_set(&a, m, STR_VAL(str), STR_VAL(str));
    map_delete(m, STR_VAL(str_new(&a, "gone", 4)));

    Value c = heap_copy_value(&b, LIST_VAL(l));
    ObjList *cl = AS_LIST(c);
    CHECK(cl != l && owned_by(&b, &cl->obj) && cl->len == 6);
    CHECK(cl->items[0].as.o == cl->items[1].as.o);           /* sharing kept */
    CHECK(cl->items[0].as.o != &shared->obj);
    CHECK(cl->items[3].as.o == &cl->obj);                    /* cycle kept */
    CHECK(cl->items[4].as.o == cl->items[5].as.o);           /* one string copy */
    ObjMap *cm = AS_MAP(cl->items[2]);
    CHECK(cm != m && cm->count == 3);
    Value v;
    CHECK(map_get(cm, STR_VAL(str_new(&b, "self", 4)), &v) && v.as.o == &cm->obj);
    CHECK(map_get(cm, STR_VAL(str_new(&b, "l", 1)), &v) && v.as.o == &cl->obj);
    CHECK(!map_get(cm, STR_VAL(str_new(&b, "gone", 4)), &v));
    CHECK(map_get(cm, STR_VAL(str_new(&b, "str", 3)), &v) && v.as.o == cl->items[4].as.o);
    /* insertion order kept */
    size_t pos = 0;
    Value k;
    CHECK(map_next(cm, &pos, &k, &v) && strcmp(AS_STR(k)->chars, "self") == 0);
    CHECK(map_next(cm, &pos, &k, &v) && strcmp(AS_STR(k)->chars, "l") == 0);
    CHECK(map_next(cm, &pos, &k, &v) && strcmp(AS_STR(k)->chars, "str") == 0);
    CHECK(!map_next(cm, &pos, &k, &v));
    /* every object of the copy lives in b; mutating the copy leaves the source */
    bool all_b = true;
    for (Obj *o = b.objects; o; o = o->next)
        if (owned_by(&a, o))
            all_b = false;
    CHECK(all_b);
    list_push(&b, AS_LIST(cl->items[0]), INT_VAL(2));
    CHECK(shared->len == 1);
    map_set(&b, cm, INT_VAL(9), INT_VAL(9));
    CHECK(m->count == 3 && cm->count == 4);
    heap_free_all(&a);
    /* the copy is intact after the source heap is gone */
    CHECK(AS_LIST(cl->items[0])->items[0].as.i == 1);
    heap_free_all(&b);
    CHECK(b.bytes == 0);
}

static void test_closures(void)
{
    Heap a, b;
    heap_init(&a);
    heap_init(&b);
    ObjBox *box = box_new(&a, INT_VAL(0));
    ObjBox *own = box_new(&a, STR_VAL(str_new(&a, "x", 1)));
    ObjFunc *f1 = func_new(&a, (Proto *)0x1234, 2);
    ObjFunc *f2 = func_new(&a, (Proto *)0x1234, 1);
    f1->boxes[0] = box;
    f1->boxes[1] = own;
    f2->boxes[0] = box;
    /* a box that holds its own closure */
    own->value = OBJ_VAL(VAL_FUNC, f1);
    Value src[3] = { OBJ_VAL(VAL_FUNC, f1), INT_VAL(7), OBJ_VAL(VAL_FUNC, f2) };
    Value dst[3];
    heap_copy_values(&b, src, dst, 3);
    ObjFunc *c1 = AS_FUNC(dst[0]), *c2 = AS_FUNC(dst[2]);
    CHECK(c1 != f1 && c2 != f2 && dst[1].as.i == 7);
    CHECK(c1->proto == f1->proto && c1->nboxes == 2);
    CHECK(c1->boxes[0] == c2->boxes[0] && c1->boxes[0] != box);   /* shared box kept */
    CHECK(c1->boxes[1]->value.as.o == &c1->obj);                   /* cycle through box */
    c1->boxes[0]->value = INT_VAL(5);
    CHECK(box->value.as.i == 0 && c2->boxes[0]->value.as.i == 5);
    /* copied separately, the two closures get separate boxes */
    Value d1 = heap_copy_value(&b, src[0]), d2 = heap_copy_value(&b, src[2]);
    CHECK(AS_FUNC(d1)->boxes[0] != AS_FUNC(d2)->boxes[0]);
    /* static functions and natives are shared */
    static ObjFunc stat_fn = { { NULL, VAL_FUNC, OBJ_STATIC }, NULL, 0 };
    Value sv = heap_copy_value(&b, OBJ_VAL(VAL_FUNC, &stat_fn));
    CHECK(sv.as.o == &stat_fn.obj);
    heap_free_all(&a);
    heap_free_all(&b);
}

static void test_proxies(void)
{
    Heap a, b;
    heap_init(&a);
    heap_init(&b);
    ObjChan *ch = (ObjChan *)heap_alloc(&a, sizeof(ObjChan), VAL_CHAN);
    ch->chan = (Chan *)0x5678;
    chan_refs = 1;
    ObjHandle *hd = (ObjHandle *)heap_alloc(&a, sizeof(ObjHandle), VAL_HANDLE);
    hd->handle = (Handle *)0x9abc;
    handle_refs = 1;
    ObjList *l = list_new(&a, 0);
    list_push(&a, l, OBJ_VAL(VAL_CHAN, ch));
    list_push(&a, l, OBJ_VAL(VAL_CHAN, ch));
    list_push(&a, l, OBJ_VAL(VAL_HANDLE, hd));
    Value c = heap_copy_value(&b, LIST_VAL(l));
    ObjList *cl = AS_LIST(c);
    CHECK(cl->items[0].as.o != &ch->obj && cl->items[0].as.o == cl->items[1].as.o);
    CHECK(AS_CHAN(cl->items[0])->chan == ch->chan);
    CHECK(value_equal(cl->items[0], OBJ_VAL(VAL_CHAN, ch)));
    CHECK(chan_refs == 2);
    CHECK(AS_HANDLE(cl->items[2])->handle == hd->handle && handle_refs == 2);
    heap_free_all(&b);
    CHECK(chan_refs == 1 && handle_refs == 1);
    heap_free_all(&a);
    CHECK(chan_refs == 0 && handle_refs == 0);
}

static void test_static_list(void)
{
    /* a static list (os.args) is copied, its static strings shared */
    static Value items[2];
    ObjStr *s0 = str_static("a", 1), *s1 = str_static("b", 1);
    items[0] = STR_VAL(s0);
    items[1] = STR_VAL(s1);
    static ObjList args = { { NULL, VAL_LIST, OBJ_STATIC }, 2, 2, items };
    Heap b;
    heap_init(&b);
    Value c = heap_copy_value(&b, LIST_VAL(&args));
    CHECK(c.as.o != &args.obj && owned_by(&b, c.as.o));
    CHECK(AS_LIST(c)->len == 2 && AS_LIST(c)->items[1].as.o == &s1->obj);
    heap_free_all(&b);
}

static void test_deep(void)
{
    enum { DEPTH = 1000000 };
    Heap a, b;
    heap_init(&a);
    heap_init(&b);
    ObjList *outer = list_new(&a, 0);
    for (int i = 0; i < DEPTH; i++) {
        ObjList *l = list_new(&a, 1);
        list_push(&a, l, LIST_VAL(outer));
        outer = l;
    }
    Value c = heap_copy_value(&b, LIST_VAL(outer));
    size_t depth = 0;
    ObjList *p = AS_LIST(c);
    while (p->len) {
        p = AS_LIST(p->items[0]);
        depth++;
    }
    CHECK(depth == DEPTH);
    heap_free_all(&a);
    heap_free_all(&b);
}

int main(void)
{
    heap_init_globals();
    test_scalars_and_strings();
    test_sharing_and_cycles();
    test_closures();
    test_proxies();
    test_static_list();
    test_deep();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
