/*
 * object.h — layouts of csp's heap objects and the functions that make and
 * use them (strings, lists, maps, closures, boxes, proxies).
 *
 * Every function that allocates takes the Heap to allocate in: a goroutine
 * allocates only in its own heap. Allocation never collects: the VM
 * collects only between instructions (after one that allocated has stored
 * its result), where every live value is in a register, so C code inside
 * an instruction or a native may hold Values in locals freely.
 */
#ifndef CSP_OBJECT_H
#define CSP_OBJECT_H

#include "vm/value.h"

typedef struct Heap Heap;
typedef struct Proto Proto;      /* compiled function (vm/code.h), immutable, shared */
typedef struct Chan Chan;        /* shared channel (runtime/chan.h) */
typedef struct Handle Handle;    /* shared OS resource (stdlib/handle.h) */
typedef struct Gor Gor;          /* goroutine (vm/gor.h) */

enum {
    OBJ_MARK   = 1 << 0,         /* reached in the current collection */
    OBJ_STATIC = 1 << 1,         /* shared and immutable: never marked or freed */
    OBJ_VISIT  = 1 << 2,         /* being printed (cycle detection in fmt); heap objects only */
};

/* Header of every object. `next` links the objects of one heap (or of one
 * in-flight message) for the sweep. */
struct Obj {
    Obj *next;
    uint8_t type;                /* a ValueType */
    uint8_t flags;               /* OBJ_MARK, OBJ_STATIC, OBJ_VISIT */
};

/* Immutable byte string. chars[len] == '\0' always (for C calls), but a
 * string may also contain NUL bytes. hash is computed at creation. */
typedef struct ObjStr {
    Obj obj;
    uint32_t hash;
    size_t len;
    char chars[];
} ObjStr;

/* Growable array. */
typedef struct ObjList {
    Obj obj;
    size_t len, cap;
    Value *items;
} ObjList;

/* Insertion-ordered hash map. Keys are bool, int, float or string; a float
 * key with an integral value is stored as an int, so m[1] and m[1.0] are one
 * entry. Layout: `entries` in insertion order (deleted ones become holes,
 * key type VAL__COUNT) and an open-addressing index of entry positions. */
typedef struct MapEntry {
    Value key, value;
} MapEntry;

typedef struct ObjMap {
    Obj obj;
    MapEntry *entries;
    size_t nentries;             /* used slots of entries, holes included */
    size_t capentries;
    size_t count;                /* live entries: len(m) */
    int32_t *index;              /* -1 empty, -2 deleted, else entry position */
    size_t capindex;             /* power of two */
    /* Iteration (map_next) counts in insertion sequence numbers, which
     * survive the compaction that removes holes from `entries`. */
    uint64_t *seqs;              /* seqs[i]: sequence number of entries[i]; NULL
                                    while no entry ever moved (then it is i) */
    uint64_t next_seq;           /* sequence number of the next new entry */
    size_t iter_hint;            /* where the last map_next stopped, to skip a search */
} ObjMap;

/* A captured variable: closures capture by reference, so a local that
 * some closure captures lives in a box the frame and the closures share. */
typedef struct ObjBox {
    Obj obj;
    Value value;
} ObjBox;

/* A function value: compiled code plus the boxes of its captured
 * variables. Top-level functions capture nothing and are static. */
typedef struct ObjFunc {
    Obj obj;
    Proto *proto;
    uint32_t nboxes;
    ObjBox *boxes[];
} ObjFunc;

/* A native function receives args[0..nargs-1] and writes results to
 * out[0..]; `out` may alias `args`, so read all arguments first. Returns the
 * number of results (0 means one nil), or NATIVE_PANIC after vm_panic(), or
 * NATIVE_BLOCK after parking the goroutine with its wait.complete callback
 * set (the VM calls it on resumption to produce the results). */
typedef int (*NativeFn)(Gor *g, int nargs, Value *args, Value *out);
enum { NATIVE_PANIC = -1, NATIVE_BLOCK = -2, NATIVE_MAX_RESULTS = 4 };

typedef struct ObjNative {
    Obj obj;
    const char *name;            /* as tracebacks and %v print it: "println", "strings.split" */
    NativeFn fn;
} ObjNative;

/* Per-heap proxy of a shared channel; holds one reference on it. */
typedef struct ObjChan {
    Obj obj;
    Chan *chan;
} ObjChan;

/* Per-heap proxy of a shared OS handle; holds one reference on it. */
typedef struct ObjHandle {
    Obj obj;
    Handle *handle;
} ObjHandle;

/* A namespace: a standard module (`time`) or an imported file. Static. */
typedef struct ModuleMember {
    const char *name;
    Value value;
} ModuleMember;

typedef struct ObjModule {
    Obj obj;
    const char *name;
    size_t nmembers;
    ModuleMember *members;
} ObjModule;

#define AS_STR(v)     ((ObjStr *)(v).as.o)
#define AS_LIST(v)    ((ObjList *)(v).as.o)
#define AS_MAP(v)     ((ObjMap *)(v).as.o)
#define AS_FUNC(v)    ((ObjFunc *)(v).as.o)
#define AS_NATIVE(v)  ((ObjNative *)(v).as.o)
#define AS_CHAN(v)    ((ObjChan *)(v).as.o)
#define AS_HANDLE(v)  ((ObjHandle *)(v).as.o)
#define AS_MODULE(v)  ((ObjModule *)(v).as.o)
#define AS_BOX(v)     ((ObjBox *)(v).as.o)

/* Marks a malloc'd object static (shared, immutable, never freed) and
 * keeps it reachable for leak checkers. Thread-safe. */
void obj_make_static(Obj *o);

/* --- strings (vm/str.c) --- */
uint32_t str_hash(const char *s, size_t len);
ObjStr *str_new(Heap *h, const char *s, size_t len);        /* copies s */
ObjStr *str_alloc(Heap *h, size_t len);                     /* chars uninitialised; call str_rehash after filling */
void str_rehash(ObjStr *s);
ObjStr *str_static(const char *s, size_t len);              /* shared constant, never freed */
ObjStr *str_concat(Heap *h, const ObjStr *a, const ObjStr *b);
bool str_equal(const ObjStr *a, const ObjStr *b);
int str_compare(const ObjStr *a, const ObjStr *b);          /* bytewise, <0 0 >0 */
#define STR_VAL(s)  OBJ_VAL(VAL_STR, (s))

/* --- lists (vm/list.c) --- */
ObjList *list_new(Heap *h, size_t cap);
void list_push(Heap *h, ObjList *l, Value v);
void list_reserve(Heap *h, ObjList *l, size_t need);        /* cap >= need */
ObjList *list_slice(Heap *h, const ObjList *l, size_t lo, size_t hi);   /* a copy */
#define LIST_VAL(l) OBJ_VAL(VAL_LIST, (l))

/* --- maps (vm/map.c) --- */
ObjMap *map_new(Heap *h, size_t cap);
/* false when the key's type cannot be a map key (list, map, func, ...). */
bool map_key_ok(Value key);
bool map_get(const ObjMap *m, Value key, Value *out);      /* false if absent */
void map_set(Heap *h, ObjMap *m, Value key, Value value);   /* key must be map_key_ok */
bool map_delete(ObjMap *m, Value key);
/* Iteration in insertion order: *pos starts at 0; returns false at the end.
 * Every entry live for the whole loop is visited exactly once, also when
 * the loop body sets or deletes keys. */
bool map_next(const ObjMap *m, size_t *pos, Value *key, Value *value);
#define MAP_VAL(m)  OBJ_VAL(VAL_MAP, (m))

/* --- functions and boxes (vm/func.c) --- */
ObjFunc *func_new(Heap *h, Proto *proto, uint32_t nboxes);
ObjBox *box_new(Heap *h, Value v);

#endif
