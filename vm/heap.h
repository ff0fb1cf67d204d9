/*
 * heap.h — per-goroutine heaps, the tracing collector, and deep copies
 * between heaps.
 *
 * Each goroutine owns one Heap. Only that goroutine's thread of the moment
 * allocates in it or collects it, so no operation here takes a lock, and
 * one goroutine's collection never stops another: there is no
 * stop-the-world. Collection is mark-sweep, run by the VM between
 * instructions, after one that allocated (heap_should_collect), with the goroutine's registers, frames, defers and
 * panic value as roots.
 *
 * A Heap is also the container of a value in flight (a message): a send
 * deep-copies the value into a fresh message heap; the receiver adopts the
 * message's objects into its own heap (heap_adopt), which is a list splice.
 */
#ifndef CSP_HEAP_H
#define CSP_HEAP_H

#include "vm/object.h"

struct Heap {
    Obj *objects;                /* every object of this heap, linked by Obj.next */
    size_t bytes;                /* bytes allocated by live-or-unswept objects */
    size_t next_gc;              /* collect when bytes exceeds this */
    void *local;                 /* goroutine-local state of the standard library
                                    (the rand generator), malloc'd lazily; freed by
                                    heap_free_all; never moved by heap_adopt */
};

/* Reads CSP_GCSTRESS and CSP_MAXMEM; idempotent and thread-safe (main calls
 * it once at start; the first accounting flush would otherwise). */
void heap_init_globals(void);

/* Makes no allocation: a Heap costs only its struct until first used. */
void heap_init(Heap *h);
/* Frees every object of the heap (goroutine exit, dropped message). */
void heap_free_all(Heap *h);

/* Allocates an object of `size` bytes (header included) of `type`,
 * linked into h. Never collects. On exhaustion: `fatal error: out of memory`,
 * exit status 2. */
Obj *heap_alloc(Heap *h, size_t size, ValueType type);
/* Raw memory accounted to h (list items, map arrays, ...). */
void *heap_raw_alloc(Heap *h, size_t size);
void *heap_raw_realloc(Heap *h, void *p, size_t old_size, size_t new_size);
void heap_raw_free(Heap *h, void *p, size_t size);

/* True when the VM should collect before its next instruction. */
static inline bool heap_should_collect(const Heap *h) { return h->bytes > h->next_gc; }
/* Set by CSP_GCSTRESS=1: collect after every instruction that allocated. */
extern bool heap_gc_stress;

/* Collection: the VM marks its roots with heap_mark_value/heap_mark_obj,
 * then calls heap_gc_end. Marking is iterative (an explicit gray stack), so
 * deep structures never overflow the C stack. */
typedef struct GcState GcState;
GcState *heap_gc_begin(Heap *h);
void heap_mark_value(GcState *gc, Value v);
void heap_mark_obj(GcState *gc, Obj *o);
void heap_gc_end(GcState *gc);   /* traces, sweeps, frees what is unreached, sets next_gc */

/* Moves every object of `from` into `to` (from becomes empty). */
void heap_adopt(Heap *to, Heap *from);

/* Deep copy of v into heap `to`: sharing and cycles inside v are preserved,
 * immutable static objects (strings, functions, natives, modules) are
 * shared, static lists and maps (os.args) are copied, channels and handles
 * get a new proxy on the same shared object. Scalars cost nothing. Used for
 * `go` arguments and captured variables, for channel messages, and by the
 * VM when it loads a module member that is a list. */
Value heap_copy_value(Heap *to, Value v);
/* Same for several values at once, sharing preserved across all of them. */
void heap_copy_values(Heap *to, const Value *src, Value *dst, size_t n);

/* Process-wide accounting of every heap's bytes, for the memory limit
 * (bytes; from CSP_MAXMEM in MiB, else physical memory). */
extern size_t heap_memory_limit;
/* Counts memory that is not in any heap (goroutine stacks, ...) against
 * the same limit; negative when it is freed. */
void heap_account_external(int64_t delta);
/* The process-wide count, to within a small per-thread batch. */
size_t heap_total_bytes(void);
/* Prints `fatal error: out of memory` and exits with status 2. */
_Noreturn void heap_out_of_memory(void);

#endif
