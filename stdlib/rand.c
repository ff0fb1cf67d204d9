/*
 * rand.c — the `rand` module: pseudo-random numbers (xoshiro256**).
 *
 * Each goroutine has its own generator, kept in its heap's `local` slot
 * and made on first use. An unseeded generator starts from a process-wide
 * sequence of distinct seeds (itself seeded from the clock), so goroutines
 * draw independent streams; rand.seed(n) makes the calling goroutine's
 * sequence deterministic, whatever other goroutines do and whichever
 * thread runs it. Not for cryptography.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "stdlib/stdlib.h"

typedef struct RandState {
    uint64_t s[4];
} RandState;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rand_seed_state(RandState *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static _Atomic uint64_t seed_source;

static uint64_t fresh_seed(void)
{
    uint64_t cur = atomic_load(&seed_source);
    if (cur == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t init = ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec) ^
                        ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&cur;
        if (init == 0)
            init = 1;
        atomic_compare_exchange_strong(&seed_source, &cur, init);
    }
    uint64_t x = atomic_fetch_add(&seed_source, 0x9e3779b97f4a7c15ull);
    return splitmix64(&x);
}

static RandState *rand_state(Gor *g)
{
    if (!g->heap.local) {
        RandState *r = malloc(sizeof *r);
        if (!r)
            heap_out_of_memory();
        rand_seed_state(r, fresh_seed());
        g->heap.local = r;
    }
    return g->heap.local;
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rand_next(RandState *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n), n > 0, without bias (Lemire's multiply-and-reject). */
static uint64_t rand_below(RandState *r, uint64_t n)
{
    unsigned __int128 m = (unsigned __int128)rand_next(r) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = (unsigned __int128)rand_next(r) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* The one int argument of `name` into *out; it must be at least min
 * (INT64_MIN: any). False after a panic. */
static bool int_arg(Gor *g, const char *name, int nargs, Value *args, int64_t min, int64_t *out)
{
    if (!stdlib_check_nargs(g, name, nargs, 1, 1) ||
        !stdlib_check_type(g, name, args, 0, VAL_INT, "int"))
        return false;
    if (args[0].as.i < min) {
        vm_panic(g, "invalid argument to %s", name);
        return false;
    }
    *out = args[0].as.i;
    return true;
}

STDLIB_NATIVE(intn, "rand.intn");
static int fn_intn(Gor *g, int nargs, Value *args, Value *out)
{
    int64_t n;
    if (!int_arg(g, "rand.intn", nargs, args, 1, &n))
        return NATIVE_PANIC;
    out[0] = INT_VAL((int64_t)rand_below(rand_state(g), (uint64_t)n));
    return 1;
}

STDLIB_NATIVE(float, "rand.float");
static int fn_float(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "rand.float", nargs, 0, 0))
        return NATIVE_PANIC;
    out[0] = FLOAT_VAL((double)(rand_next(rand_state(g)) >> 11) * 0x1.0p-53);
    return 1;
}

STDLIB_NATIVE(seed, "rand.seed");
static int fn_seed(Gor *g, int nargs, Value *args, Value *out)
{
    int64_t seed;
    if (!int_arg(g, "rand.seed", nargs, args, INT64_MIN, &seed))
        return NATIVE_PANIC;
    rand_seed_state(rand_state(g), (uint64_t)seed);
    return 0;
}

static void shuffle(RandState *r, Value *v, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rand_below(r, i);
        Value t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

STDLIB_NATIVE(perm, "rand.perm");
static int fn_perm(Gor *g, int nargs, Value *args, Value *out)
{
    int64_t n;
    if (!int_arg(g, "rand.perm", nargs, args, 0, &n))
        return NATIVE_PANIC;
    if ((uint64_t)n > SIZE_MAX / sizeof(Value))
        heap_out_of_memory();
    ObjList *l = list_new(&g->heap, (size_t)n);
    for (int64_t i = 0; i < n; i++)
        l->items[i] = INT_VAL(i);
    l->len = (size_t)n;
    shuffle(rand_state(g), l->items, l->len);
    out[0] = LIST_VAL(l);
    return 1;
}

STDLIB_NATIVE(shuffle, "rand.shuffle");
static int fn_shuffle(Gor *g, int nargs, Value *args, Value *out)
{
    if (!stdlib_check_nargs(g, "rand.shuffle", nargs, 1, 1) ||
        !stdlib_check_type(g, "rand.shuffle", args, 0, VAL_LIST, "list"))
        return NATIVE_PANIC;
    ObjList *l = AS_LIST(args[0]);
    shuffle(rand_state(g), l->items, l->len);
    return 0;
}

static ModuleMember members[] = {
    NATIVE_MEMBER("intn", intn),
    NATIVE_MEMBER("float", float),
    NATIVE_MEMBER("seed", seed),
    NATIVE_MEMBER("perm", perm),
    NATIVE_MEMBER("shuffle", shuffle),
};

static ObjModule module = {
    { NULL, VAL_MODULE, OBJ_STATIC }, "rand", sizeof members / sizeof members[0], members,
};

ObjModule *stdlib_rand_module(void)
{
    return &module;
}
