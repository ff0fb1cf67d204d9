/*
 * test_map.c — maps: lookups, int/float key unification, NaN keys,
 * deletion and re-insertion order, iteration while the body mutates the
 * map (growth and compaction included), and a million keys.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/heap.h"

/* Stubs for the parts of the runtime a map test does not use. */
__attribute__((weak)) void chan_retain(Chan *c) { (void)c; }
__attribute__((weak)) void chan_release(Chan *c) { (void)c; }
__attribute__((weak)) void handle_retain(Handle *h) { (void)h; }
__attribute__((weak)) void handle_release(Handle *h) { (void)h; }

static int passed, failed;
#define CHECK(cond) do { if (cond) passed++; else { failed++; \
    fprintf(stderr, "%s:%d: FAIL %s\n", __FILE__, __LINE__, #cond); } } while (0)

static Heap H;

static Value S(const char *s) { return STR_VAL(str_new(&H, s, strlen(s))); }

static bool get_int(ObjMap *m, Value k, int64_t *out)
{
    Value v;
    if (!map_get(m, k, &v) || v.type != VAL_INT)
        return false;
    *out = v.as.i;
    return true;
}

static void test_basic(void)
{
    ObjMap *m = map_new(&H, 0);
    int64_t x;
    CHECK(!map_get(m, INT_VAL(1), &(Value){0}));
    map_set(&H, m, INT_VAL(1), INT_VAL(10));
    map_set(&H, m, S("a"), INT_VAL(20));
    map_set(&H, m, BOOL_VAL(true), INT_VAL(30));
    map_set(&H, m, FLOAT_VAL(2.5), INT_VAL(40));
    CHECK(m->count == 4);
    CHECK(get_int(m, INT_VAL(1), &x) && x == 10);
    CHECK(get_int(m, FLOAT_VAL(1.0), &x) && x == 10);     /* m[1.0] is m[1] */
    CHECK(get_int(m, S("a"), &x) && x == 20);
    CHECK(get_int(m, BOOL_VAL(true), &x) && x == 30);
    CHECK(!map_get(m, BOOL_VAL(false), &(Value){0}));
    CHECK(get_int(m, FLOAT_VAL(2.5), &x) && x == 40);
    CHECK(!map_get(m, INT_VAL(2), &(Value){0}));
    map_set(&H, m, FLOAT_VAL(1.0), INT_VAL(11));           /* same entry */
    CHECK(m->count == 4);
    CHECK(get_int(m, INT_VAL(1), &x) && x == 11);
    /* the stored key of m[1.0] = ... is the int 1 */
    size_t pos = 0;
    Value k, v;
    CHECK(map_next(m, &pos, &k, &v) && k.type == VAL_INT && k.as.i == 1);
    map_set(&H, m, FLOAT_VAL(-0.0), INT_VAL(5));
    CHECK(get_int(m, INT_VAL(0), &x) && x == 5);
    CHECK(!map_key_ok(NIL_VAL));
    CHECK(!map_get(m, NIL_VAL, &v));
    /* int 2^53+1 and float 2^53 are different keys */
    map_set(&H, m, INT_VAL((1LL << 53) + 1), INT_VAL(1));
    CHECK(!map_get(m, FLOAT_VAL(9007199254740992.0), &v));
    CHECK(map_delete(m, S("a")));
    CHECK(!map_delete(m, S("a")));
    CHECK(!map_get(m, S("a"), &v));
    CHECK(m->count == 5);
}

static void test_nan(void)
{
    ObjMap *m = map_new(&H, 0);
    map_set(&H, m, FLOAT_VAL(NAN), INT_VAL(1));
    map_set(&H, m, FLOAT_VAL(NAN), INT_VAL(2));
    CHECK(m->count == 2);
    Value v;
    CHECK(!map_get(m, FLOAT_VAL(NAN), &v));
    CHECK(!map_delete(m, FLOAT_VAL(NAN)));
    map_set(&H, m, FLOAT_VAL(INFINITY), INT_VAL(3));
    map_set(&H, m, FLOAT_VAL(-INFINITY), INT_VAL(4));
    CHECK(m->count == 4);
    CHECK(map_get(m, FLOAT_VAL(INFINITY), &v) && v.as.i == 3);
    CHECK(map_get(m, FLOAT_VAL(-INFINITY), &v) && v.as.i == 4);
}

static void test_order(void)
{
    ObjMap *m = map_new(&H, 0);
    for (int i = 0; i < 5; i++)
        map_set(&H, m, INT_VAL(i), INT_VAL(i));
    map_delete(m, INT_VAL(1));
    map_set(&H, m, INT_VAL(1), INT_VAL(100));              /* moves to the end */
    map_set(&H, m, INT_VAL(3), INT_VAL(300));              /* stays in place */
    int64_t want[] = { 0, 2, 3, 4, 1 };
    size_t pos = 0, n = 0;
    Value k, v;
    bool ok = true;
    while (map_next(m, &pos, &k, &v)) {
        if (n >= 5 || k.as.i != want[n])
            ok = false;
        n++;
    }
    CHECK(ok && n == 5);
    CHECK(!map_next(m, &pos, &k, &v));                     /* stays at the end */
}

/* Deletes half, inserts many (forcing growth and compactions) during one
 * loop: every key live throughout is visited exactly once, new keys are
 * not visited, deleted keys are not visited after deletion. */
static void test_iter_mutation(void)
{
    enum { N = 1000 };
    ObjMap *m = map_new(&H, 0);
    for (int i = 0; i < N; i++)
        map_set(&H, m, INT_VAL(i), INT_VAL(0));
    static int seen[N + 100000];
    memset(seen, 0, sizeof seen);
    size_t pos = 0;
    Value k, v;
    int64_t next_new = N;
    int steps = 0;
    bool saw_new = false, saw_deleted = false;
    while (map_next(m, &pos, &k, &v)) {
        int64_t i = k.as.i;
        if (i >= N)
            saw_new = true;
        else
            seen[i]++;
        if (i < N && i % 2 == 1 && seen[i] > 1)
            saw_deleted = true;
        /* delete the next odd key ahead of us, and churn: add 100, delete 100 */
        if (i + 1 < N && (i + 1) % 2 == 1)
            map_delete(m, INT_VAL(i + 1));
        for (int j = 0; j < 100; j++)
            map_set(&H, m, INT_VAL(next_new + j), INT_VAL(1));
        for (int j = 0; j < 100; j++)
            map_delete(m, INT_VAL(next_new + j));
        next_new += 100;
        map_set(&H, m, k, INT_VAL(7));                     /* set the current key */
        steps++;
    }
    bool once = true;
    for (int i = 0; i < N; i++)
        if (i % 2 == 0 && seen[i] != 1)
            once = false;
    int odd_seen = 0;
    for (int i = 0; i < N; i++)
        if (i % 2 == 1 && seen[i])
            odd_seen++;
    CHECK(once);
    CHECK(odd_seen == 0 || odd_seen == 0);  /* odd keys were deleted before being reached */
    CHECK(!saw_new);
    CHECK(!saw_deleted);
    CHECK(m->count == N / 2);
    CHECK(m->seqs != NULL);                                /* compaction happened */
    CHECK(m->capentries <= 4096);                          /* churn did not grow it */

    /* A body that renames every key terminates. */
    ObjMap *r = map_new(&H, 0);
    for (int i = 0; i < 100; i++)
        map_set(&H, r, INT_VAL(i), INT_VAL(i));
    pos = 0;
    int visits = 0;
    while (map_next(r, &pos, &k, &v)) {
        map_delete(r, k);
        map_set(&H, r, INT_VAL(k.as.i + 1000), v);
        visits++;
    }
    CHECK(visits == 100);
    CHECK(r->count == 100);
}

/* An iteration started before several compactions. */
static void test_iter_across_compactions(void)
{
    ObjMap *m = map_new(&H, 0);
    for (int i = 0; i < 64; i++)
        map_set(&H, m, INT_VAL(i), INT_VAL(i));
    size_t pos = 0;
    Value k, v;
    int64_t expect = 0;
    bool ok = true;
    int64_t fresh = 1000000;
    while (map_next(m, &pos, &k, &v)) {
        if (k.as.i != expect)
            ok = false;
        expect++;
        /* many compactions per step: insert and delete 500 keys */
        for (int j = 0; j < 500; j++) {
            map_set(&H, m, INT_VAL(fresh), INT_VAL(0));
            map_delete(m, INT_VAL(fresh));
            fresh++;
        }
    }
    CHECK(ok && expect == 64);
}

static void test_million(void)
{
    enum { N = 1000000 };
    ObjMap *m = map_new(&H, 0);
    for (int64_t i = 0; i < N; i++)
        map_set(&H, m, INT_VAL(i), INT_VAL(i));
    CHECK(m->count == N);
    int64_t sum = 0;
    size_t pos = 0;
    Value k, v;
    while (map_next(m, &pos, &k, &v))
        sum += v.as.i;
    CHECK(sum == (int64_t)N * (N - 1) / 2);
    bool ok = true;
    for (int64_t i = 0; i < N; i += 7) {
        Value x;
        if (!map_get(m, INT_VAL(i), &x) || x.as.i != i)
            ok = false;
    }
    CHECK(ok);
    for (int64_t i = 0; i < N; i += 2)
        map_delete(m, INT_VAL(i));
    CHECK(m->count == N / 2);
    ok = true;
    for (int64_t i = 0; i < N; i++) {
        Value x;
        bool found = map_get(m, INT_VAL(i), &x);
        if (found != (i % 2 == 1))
            ok = false;
    }
    CHECK(ok);
    /* string keys */
    ObjMap *s = map_new(&H, 0);
    char buf[32];
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 200000; i++) {
            int n = snprintf(buf, sizeof buf, "k%d", i);
            Value key = STR_VAL(str_new(&H, buf, (size_t)n));
            Value c;
            int64_t old = map_get(s, key, &c) ? c.as.i : 0;
            map_set(&H, s, key, INT_VAL(old + 1));
        }
    CHECK(s->count == 200000);
    int64_t total = 0;
    pos = 0;
    while (map_next(s, &pos, &k, &v))
        total += v.as.i;
    CHECK(total == 400000);
}

int main(void)
{
    heap_init_globals();
    heap_init(&H);
    test_basic();
    test_nan();
    test_order();
    test_iter_mutation();
    test_iter_across_compactions();
    test_million();
    heap_free_all(&H);
    CHECK(H.bytes == 0);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
