/*
 * test_object.c — strings, lists, equality, and the collector: garbage is
 * freed, what roots reach survives, static objects are never touched,
 * million-deep structures are marked without recursion, adoption.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm/heap.h"

__attribute__((weak)) void chan_retain(Chan *c) { (void)c; }
__attribute__((weak)) void chan_release(Chan *c) { (void)c; }
__attribute__((weak)) void handle_retain(Handle *h) { (void)h; }
__attribute__((weak)) void handle_release(Handle *h) { (void)h; }

static int passed, failed;
#define CHECK(cond) do { if (cond) passed++; else { failed++; \
    fprintf(stderr, "%s:%d: FAIL %s\n", __FILE__, __LINE__, #cond); } } while (0)

static size_t count_objects(const Heap *h)
{
    size_t n = 0;
    for (Obj *o = h->objects; o; o = o->next)
        n++;
    return n;
}

static void test_strings(void)
{
    Heap h;
    heap_init(&h);
    ObjStr *a = str_new(&h, "hello", 5);
    ObjStr *b = str_new(&h, "hello", 5);
    ObjStr *c = str_static("hello", 5);
    CHECK(a->hash == b->hash && a->hash == c->hash && a->hash == str_hash("hello", 5));
    CHECK(str_equal(a, b) && str_equal(a, c));
    CHECK(value_equal(STR_VAL(a), STR_VAL(c)));
    ObjStr *d = str_concat(&h, a, str_new(&h, " world", 6));
    CHECK(d->len == 11 && strcmp(d->chars, "hello world") == 0);
    CHECK(d->hash == str_hash("hello world", 11));
    CHECK(str_compare(a, d) < 0 && str_compare(d, a) > 0 && str_compare(a, b) == 0);
    ObjStr *e = str_new(&h, "a\0b", 3);
    CHECK(e->len == 3 && e->chars[3] == '\0');
    CHECK(!str_equal(e, str_new(&h, "a\0c", 3)));
    CHECK(str_compare(str_new(&h, "ab", 2), str_new(&h, "abc", 3)) < 0);
    CHECK(str_compare(str_new(&h, "\xff", 1), str_new(&h, "a", 1)) > 0);    /* bytewise, unsigned */
    CHECK(c->obj.flags & OBJ_STATIC);
    heap_free_all(&h);
    CHECK(h.bytes == 0);
}

static void test_equal(void)
{
    CHECK(value_equal(INT_VAL(1), FLOAT_VAL(1.0)));
    CHECK(value_equal(FLOAT_VAL(1.0), INT_VAL(1)));
    CHECK(!value_equal(INT_VAL(1), FLOAT_VAL(1.5)));
    CHECK(!value_equal(FLOAT_VAL(NAN), FLOAT_VAL(NAN)));
    CHECK(value_equal(FLOAT_VAL(0.0), FLOAT_VAL(-0.0)));
    CHECK(value_equal(NIL_VAL, NIL_VAL));
    CHECK(!value_equal(NIL_VAL, BOOL_VAL(false)));
    CHECK(!value_equal(INT_VAL(0), BOOL_VAL(false)));
    CHECK(!value_equal(INT_VAL((1LL << 53) + 1), FLOAT_VAL(9007199254740992.0)));
    CHECK(!value_equal(INT_VAL(INT64_MIN), FLOAT_VAL(INFINITY)));
    CHECK(value_equal(INT_VAL(INT64_MIN), FLOAT_VAL(-9223372036854775808.0)));
    Heap h;
    heap_init(&h);
    ObjList *l1 = list_new(&h, 0), *l2 = list_new(&h, 0);
    CHECK(value_equal(LIST_VAL(l1), LIST_VAL(l1)));
    CHECK(!value_equal(LIST_VAL(l1), LIST_VAL(l2)));
    CHECK(strcmp(value_type_name(LIST_VAL(l1)), "list") == 0);
    CHECK(strcmp(value_type_name(FLOAT_VAL(1)), "float") == 0);
    CHECK(strcmp(value_type_name(NIL_VAL), "nil") == 0);
    heap_free_all(&h);
}

static void test_lists(void)
{
    Heap h;
    heap_init(&h);
    ObjList *l = list_new(&h, 0);
    for (int i = 0; i < 1000; i++)
        list_push(&h, l, INT_VAL(i));
    CHECK(l->len == 1000 && l->cap >= 1000 && l->items[999].as.i == 999);
    ObjList *s = list_slice(&h, l, 10, 20);
    CHECK(s->len == 10 && s->items[0].as.i == 10 && s->items[9].as.i == 19);
    ObjList *e = list_slice(&h, l, 5, 5);
    CHECK(e->len == 0);
    heap_free_all(&h);
    CHECK(h.bytes == 0);
}

static void test_gc_basic(void)
{
    Heap h;
    heap_init(&h);
    ObjStr *stat = str_static("static", 6);
    ObjList *root = list_new(&h, 0);
    ObjMap *m = map_new(&h, 0);
    list_push(&h, root, MAP_VAL(m));
    list_push(&h, root, STR_VAL(stat));
    map_set(&h, m, STR_VAL(str_new(&h, "key", 3)), STR_VAL(str_new(&h, "val", 3)));
    ObjBox *box = box_new(&h, STR_VAL(str_new(&h, "boxed", 5)));
    ObjFunc *f = func_new(&h, NULL, 2);
    f->boxes[0] = box;
    f->boxes[1] = NULL;
    map_set(&h, m, INT_VAL(1), OBJ_VAL(VAL_FUNC, f));
    /* a cycle: root contains itself */
    list_push(&h, root, LIST_VAL(root));
    size_t live_objects = count_objects(&h);     /* root m "key" "val" box "boxed" f */
    CHECK(live_objects == 7);
    /* garbage, including a garbage cycle and a deleted map entry's value */
    for (int i = 0; i < 1000; i++) {
        ObjList *g = list_new(&h, 2);
        list_push(&h, g, STR_VAL(str_new(&h, "garbage", 7)));
        list_push(&h, g, LIST_VAL(g));
    }
    map_set(&h, m, INT_VAL(2), STR_VAL(str_new(&h, "deleted", 7)));
    map_delete(m, INT_VAL(2));
    size_t before = h.bytes;
    GcState *gc = heap_gc_begin(&h);
    heap_mark_value(gc, LIST_VAL(root));
    heap_mark_value(gc, INT_VAL(5));
    heap_mark_value(gc, STR_VAL(stat));
    heap_gc_end(gc);
    CHECK(count_objects(&h) == live_objects);
    CHECK(h.bytes < before);
    CHECK(stat->obj.flags == OBJ_STATIC);        /* never marked */
    bool unmarked = true;
    for (Obj *o = h.objects; o; o = o->next)
        if (o->flags & OBJ_MARK)
            unmarked = false;
    CHECK(unmarked);
    Value v;
    CHECK(map_get(m, STR_VAL(str_new(&h, "key", 3)), &v) && strcmp(AS_STR(v)->chars, "val") == 0);
    CHECK(strcmp(AS_STR(f->boxes[0]->value)->chars, "boxed") == 0);
    CHECK(h.next_gc >= 256 * 1024);
    /* nothing reachable: everything goes */
    gc = heap_gc_begin(&h);
    heap_gc_end(gc);
    CHECK(h.objects == NULL && h.bytes == 0);
}

static void test_gc_deep(void)
{
    enum { DEPTH = 1000000 };
    Heap h;
    heap_init(&h);
    ObjList *inner = list_new(&h, 0);
    ObjList *outer = inner;
    for (int i = 0; i < DEPTH; i++) {
        ObjList *l = list_new(&h, 1);
        list_push(&h, l, LIST_VAL(outer));
        outer = l;
    }
    /* and a deep chain of boxes and maps */
    Value chain = NIL_VAL;
    for (int i = 0; i < DEPTH / 4; i++) {
        ObjMap *m = map_new(&h, 0);
        map_set(&h, m, INT_VAL(0), OBJ_VAL(VAL_BOX, box_new(&h, chain)));
        chain = MAP_VAL(m);
    }
    size_t n = count_objects(&h);
    GcState *gc = heap_gc_begin(&h);
    heap_mark_value(gc, LIST_VAL(outer));
    heap_mark_value(gc, chain);
    heap_gc_end(gc);
    CHECK(count_objects(&h) == n);
    gc = heap_gc_begin(&h);
    heap_mark_value(gc, chain);
    heap_gc_end(gc);
    CHECK(count_objects(&h) == (size_t)DEPTH / 2);
    heap_free_all(&h);
    CHECK(h.bytes == 0);
}

static void test_adopt(void)
{
    Heap a, b;
    heap_init(&a);
    heap_init(&b);
    str_new(&a, "a", 1);
    ObjList *l = list_new(&b, 4);
    list_push(&b, l, STR_VAL(str_new(&b, "b", 1)));
    size_t total = a.bytes + b.bytes;
    heap_adopt(&a, &b);
    CHECK(b.objects == NULL && b.bytes == 0);
    CHECK(a.bytes == total && count_objects(&a) == 3);
    heap_adopt(&a, &b);                          /* empty: no-op */
    CHECK(count_objects(&a) == 3);
    GcState *gc = heap_gc_begin(&a);
    heap_mark_value(gc, LIST_VAL(l));
    heap_gc_end(gc);
    CHECK(count_objects(&a) == 2);
    heap_free_all(&a);
    CHECK(a.bytes == 0);
}

static void test_accounting(void)
{
    size_t before = heap_total_bytes();
    Heap h;
    heap_init(&h);
    for (int i = 0; i < 10000; i++)
        list_push(&h, list_new(&h, 0), INT_VAL(i));
    CHECK(h.bytes > 10000 * sizeof(ObjList));
    heap_free_all(&h);
    CHECK(h.bytes == 0);
    /* the global count is exact to within one thread's batch */
    size_t after = heap_total_bytes();
    CHECK(after < before + 512 * 1024);
    CHECK(heap_memory_limit > 0);
}

/* Past the process-wide limit: `fatal error: out of memory`, status 2. */
static void test_out_of_memory(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        heap_memory_limit = heap_total_bytes() + 16 * 1024 * 1024;
        Heap h;
        heap_init(&h);
        for (;;)
            list_new(&h, 1000);
    }
    close(fds[1]);
    char buf[128] = { 0 };
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    (void)n;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
    CHECK(strcmp(buf, "fatal error: out of memory\n") == 0);
}

int main(void)
{
    heap_init_globals();
    test_strings();
    test_equal();
    test_lists();
    test_gc_basic();
    test_gc_deep();
    test_adopt();
    test_accounting();
    test_out_of_memory();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
