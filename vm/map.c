/*
 * map.c — insertion-ordered hash maps.
 *
 * Layout (see ObjMap in object.h): `entries` holds key/value pairs in
 * insertion order; a deleted entry becomes a hole (key type MAP_HOLE) until
 * the next compaction. `index` is an open-addressing table (linear probing)
 * of entry positions, EMPTY or TOMB; its capacity is always twice that of
 * `entries`, so it is at most half full, tombstones included, and every
 * probe ends quickly at an EMPTY slot. Keys are hashed into 64 bits with a
 * multiply mix; the index takes the high bits.
 *
 * Keys are normalised first: a float with an integral value is stored as
 * an int, so m[1] and m[1.0] are one entry; -0.0 is 0. NaN is never equal
 * to anything, so every m[NaN] = v adds a new entry (as in Go).
 *
 * Iteration. map_next visits entries in insertion order. Its position
 * names insertion sequence numbers, not array positions, because
 * compaction moves entries: seqs[i] is the sequence number of entries[i]
 * (NULL until the first compaction that removed holes, when it is i). The
 * position also records the sequence number the map had reached when the
 * loop started; entries added during the loop are not visited, so a body
 * that re-inserts keys cannot loop forever. An entry live for the whole
 * loop keeps its sequence number (setting an existing key changes only the
 * value), so it is visited exactly once, whatever the body does.
 */
#include "vm/heap.h"

#include <string.h>

#define MAP_HOLE   VAL__COUNT        /* key type of a deleted entry */
#define IX_EMPTY   (-1)
#define IX_TOMB    (-2)
#define MIN_ENTRIES 4

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 32;
    return x * 0x9e3779b97f4a7c15ull;
}

/* Key hash; the key must be normalised. */
static inline uint64_t key_hash(Value k)
{
    switch (k.type) {
    case VAL_INT:
        return mix64((uint64_t)k.as.i);
    case VAL_STR:
        return mix64(AS_STR(k)->hash);
    case VAL_FLOAT: {
        uint64_t bits;
        memcpy(&bits, &k.as.f, sizeof bits);
        return mix64(bits ^ 0x5555555555555555ull);
    }
    default:                                   /* bool */
        return mix64(k.as.b ? 0x1234567ull : 0x7654321ull);
    }
}

static inline Value key_norm(Value k)
{
    if (k.type == VAL_FLOAT) {
        double f = k.as.f;
        if (f >= -9223372036854775808.0 && f < 9223372036854775808.0) {
            int64_t i = (int64_t)f;
            if ((double)i == f)
                return INT_VAL(i);
        }
    }
    return k;
}

static inline bool key_eq(Value a, Value k)
{
    if (a.type != k.type)
        return false;
    switch (k.type) {
    case VAL_INT:
        return a.as.i == k.as.i;
    case VAL_STR:
        return str_equal(AS_STR(a), AS_STR(k));
    case VAL_FLOAT:
        return a.as.f == k.as.f;
    default:
        return a.as.b == k.as.b;
    }
}

static inline unsigned index_shift(const ObjMap *m)
{
    return 64 - (unsigned)__builtin_ctzll(m->capindex);
}

bool map_key_ok(Value key)
{
    return key.type == VAL_INT || key.type == VAL_STR || key.type == VAL_FLOAT ||
           key.type == VAL_BOOL;
}

ObjMap *map_new(Heap *h, size_t cap)
{
    ObjMap *m = (ObjMap *)heap_alloc(h, sizeof(ObjMap), VAL_MAP);
    m->entries = NULL;
    m->nentries = m->capentries = m->count = 0;
    m->index = NULL;
    m->capindex = 0;
    m->seqs = NULL;
    m->next_seq = 0;
    m->iter_hint = 0;
    if (cap) {
        size_t c = MIN_ENTRIES;
        while (c < cap)
            c *= 2;
        m->capentries = c;
        m->entries = heap_raw_alloc(h, c * sizeof(MapEntry));
        m->capindex = 2 * c;
        m->index = heap_raw_alloc(h, m->capindex * sizeof(int32_t));
        memset(m->index, 0xff, m->capindex * sizeof(int32_t));   /* all IX_EMPTY */
    }
    return m;
}

/* Slot of the index holding `k`, or -1. */
static inline ptrdiff_t find_slot(const ObjMap *m, Value k, uint64_t hv)
{
    size_t mask = m->capindex - 1;
    size_t slot = (size_t)(hv >> index_shift(m));
    const MapEntry *e = m->entries;
    const int32_t *ix = m->index;
    if (k.type == VAL_INT) {
        for (;; slot = (slot + 1) & mask) {
            int32_t p = ix[slot];
            if (p == IX_EMPTY)
                return -1;
            if (p >= 0 && e[p].key.type == VAL_INT && e[p].key.as.i == k.as.i)
                return (ptrdiff_t)slot;
        }
    }
    if (k.type == VAL_STR) {
        const ObjStr *ks = AS_STR(k);
        for (;; slot = (slot + 1) & mask) {
            int32_t p = ix[slot];
            if (p == IX_EMPTY)
                return -1;
            if (p >= 0 && e[p].key.type == VAL_STR) {
                const ObjStr *es = AS_STR(e[p].key);
                if (es == ks || (es->hash == ks->hash && es->len == ks->len &&
                                 memcmp(es->chars, ks->chars, ks->len) == 0))
                    return (ptrdiff_t)slot;
            }
        }
    }
    for (;; slot = (slot + 1) & mask) {
        int32_t p = ix[slot];
        if (p == IX_EMPTY)
            return -1;
        if (p >= 0 && key_eq(e[p].key, k))
            return (ptrdiff_t)slot;
    }
}

bool map_get(const ObjMap *m, Value key, Value *out)
{
    if (m->count == 0 || !map_key_ok(key))
        return false;
    key = key_norm(key);
    ptrdiff_t slot = find_slot(m, key, key_hash(key));
    if (slot < 0)
        return false;
    *out = m->entries[m->index[slot]].value;
    return true;
}

static inline uint64_t seq_at(const ObjMap *m, size_t i)
{
    return m->seqs ? m->seqs[i] : i;
}

/* Rebuilds the index for the live entries, capacity 2 * capentries. */
static void index_rebuild(Heap *h, ObjMap *m)
{
    size_t cap = 2 * m->capentries;
    if (cap != m->capindex) {
        heap_raw_free(h, m->index, m->capindex * sizeof(int32_t));
        m->index = heap_raw_alloc(h, cap * sizeof(int32_t));
        m->capindex = cap;
    }
    memset(m->index, 0xff, cap * sizeof(int32_t));
    size_t mask = cap - 1;
    unsigned shift = index_shift(m);
    for (size_t i = 0; i < m->nentries; i++) {
        if (m->entries[i].key.type == MAP_HOLE)
            continue;
        size_t slot = (size_t)(key_hash(m->entries[i].key) >> shift);
        while (m->index[slot] != IX_EMPTY)
            slot = (slot + 1) & mask;
        m->index[slot] = (int32_t)i;
    }
}

/* Makes room for one more entry: grows `entries` (doubling) or, when at
 * least half of it is holes, compacts it (which may also shrink it). */
static void map_make_room(Heap *h, ObjMap *m)
{
    size_t holes = m->nentries - m->count;
    size_t oldcap = m->capentries;
    if (holes == 0 || holes < oldcap / 2) {
        /* Grow; positions are unchanged, holes stay. */
        size_t cap = oldcap ? 2 * oldcap : MIN_ENTRIES;
        if (cap > ((size_t)1 << 31))
            cap = (size_t)1 << 31;       /* index entries are int32 */
        m->entries = heap_raw_realloc(h, m->entries, oldcap * sizeof(MapEntry),
                                      cap * sizeof(MapEntry));
        if (m->seqs)
            m->seqs = heap_raw_realloc(h, m->seqs, oldcap * sizeof(uint64_t),
                                       cap * sizeof(uint64_t));
        m->capentries = cap;
        index_rebuild(h, m);
        return;
    }
    /* Compact in place: live entries slide down, keeping their order and
     * their sequence numbers (so running loops stay exact). */
    bool had_seqs = m->seqs != NULL;
    if (!had_seqs)
        m->seqs = heap_raw_alloc(h, oldcap * sizeof(uint64_t));
    size_t j = 0;
    for (size_t i = 0; i < m->nentries; i++) {
        if (m->entries[i].key.type == MAP_HOLE)
            continue;
        uint64_t s = had_seqs ? m->seqs[i] : i;      /* read before slot j <= i is written */
        m->entries[j] = m->entries[i];
        m->seqs[j] = s;
        j++;
    }
    m->nentries = j;
    m->iter_hint = 0;
    size_t cap = MIN_ENTRIES;
    while (cap < 2 * j)
        cap *= 2;
    if (cap < oldcap) {
        m->entries = heap_raw_realloc(h, m->entries, oldcap * sizeof(MapEntry),
                                      cap * sizeof(MapEntry));
        m->seqs = heap_raw_realloc(h, m->seqs, oldcap * sizeof(uint64_t), cap * sizeof(uint64_t));
        m->capentries = cap;
    }
    index_rebuild(h, m);
}

void map_set(Heap *h, ObjMap *m, Value key, Value value)
{
    key = key_norm(key);
    uint64_t hv = key_hash(key);
    if (m->count) {
        ptrdiff_t slot = find_slot(m, key, hv);
        if (slot >= 0) {
            m->entries[m->index[slot]].value = value;
            return;
        }
    }
    if (m->nentries == m->capentries)
        map_make_room(h, m);
    size_t mask = m->capindex - 1;
    size_t slot = (size_t)(hv >> index_shift(m));
    while (m->index[slot] >= 0)            /* first EMPTY or TOMB slot */
        slot = (slot + 1) & mask;
    size_t pos = m->nentries++;
    m->entries[pos].key = key;
    m->entries[pos].value = value;
    if (m->seqs)
        m->seqs[pos] = m->next_seq;
    m->next_seq++;
    m->index[slot] = (int32_t)pos;
    m->count++;
}

bool map_delete(ObjMap *m, Value key)
{
    if (m->count == 0 || !map_key_ok(key))
        return false;
    key = key_norm(key);
    ptrdiff_t slot = find_slot(m, key, key_hash(key));
    if (slot < 0)
        return false;
    MapEntry *e = &m->entries[m->index[slot]];
    e->key = NIL_VAL;
    e->key.type = MAP_HOLE;
    e->value = NIL_VAL;
    m->index[slot] = IX_TOMB;
    m->count--;
    return true;
}

/* --- iteration --------------------------------------------------------- */

/* Position layout: bit 63 set once started (so 0 means "not started"),
 * bits 32..62 the low 31 bits of the limit (the map's next_seq when the
 * loop started), bits 0..31 the low 32 bits of the next sequence number to
 * visit. Both are recovered from their low bits: the limit is the largest
 * value <= m->next_seq with those bits (exact unless 2^31 entries are added
 * during one loop), the next one the largest <= limit (exact unless the
 * loop spans 2^32 insertions of the map's history). */
#define POS_STARTED (1ull << 63)

static inline uint64_t unwrap(uint64_t ref, uint64_t low, unsigned bits)
{
    uint64_t mask = (1ull << bits) - 1;
    return ref - ((ref - low) & mask);
}

static inline size_t pos_encode(uint64_t limit, uint64_t next)
{
    return (size_t)(POS_STARTED | ((limit & 0x7fffffffull) << 32) | (next & 0xffffffffull));
}

/* The first entry position whose sequence number is >= seq. */
static size_t seq_find(const ObjMap *m, uint64_t seq)
{
    if (!m->seqs)
        return seq < m->nentries ? (size_t)seq : m->nentries;
    size_t h = m->iter_hint;
    if (h <= m->nentries && (h == m->nentries || m->seqs[h] >= seq) &&
        (h == 0 || m->seqs[h - 1] < seq))
        return h;
    size_t lo = 0, hi = m->nentries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->seqs[mid] < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool map_next(const ObjMap *m, size_t *pos, Value *key, Value *value)
{
    uint64_t p = *pos, limit, next;
    if (p == 0) {
        limit = m->next_seq;
        next = 0;
    } else {
        limit = unwrap(m->next_seq, (p >> 32) & 0x7fffffffull, 31);
        next = unwrap(limit, p & 0xffffffffull, 32);
    }
    for (size_t i = seq_find(m, next); i < m->nentries; i++) {
        uint64_t s = seq_at(m, i);
        if (s >= limit)
            break;
        const MapEntry *e = &m->entries[i];
        if (e->key.type == MAP_HOLE)
            continue;
        *key = e->key;
        *value = e->value;
        *pos = pos_encode(limit, s + 1);
        if (m->seqs && !(m->obj.flags & OBJ_STATIC))
            ((ObjMap *)m)->iter_hint = i + 1;
        return true;
    }
    *pos = pos_encode(limit, limit);
    return false;
}
