/*
 * traceint.h — between the files of the scheduler trace: the records
 * trace.c collects and trace_json.c / trace_html.c write out.
 */
#ifndef CSP_TRACEINT_H
#define CSP_TRACEINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Record kinds. CREATE and GC are each followed, in the same buffer, by
 * their second half (LOC, GCB); the pair is always committed together. */
enum {
    TR_SLICE = 1,                /* ts begin, b end, p block reason (NULL unless blocked) */
    TR_WAKE,                     /* ts, g the woken, b the waker's id (0: a runtime thread) */
    TR_CREATE,                   /* ts, g the new goroutine, b the creator's id (0: none), p its function */
    TR_LOC,                      /* p the `go` statement's file (NULL for main), b its line */
    TR_GC,                       /* ts begin, g, b end */
    TR_GCB,                      /* b heap bytes before, p (as an integer) after */
    TR_TIMER,                    /* ts, g the sleeper woken (0: a channel timer), b period */
};

/* How a slice ended: the GorStatus values (vm/gor.h), plus one for slices
 * still running when the trace was written. */
enum { TR_END_YIELD, TR_END_BLOCKED, TR_END_DONE, TR_END_PANIC, TR_END_EXIT, TR_END_RUNNING };

/* One record: 32 bytes. a packs the goroutine id (<< 16), the slice end
 * (<< 8) and the kind. */
typedef struct TraceRec {
    int64_t ts;                  /* monotonic ns */
    uint64_t a;
    int64_t b;
    const void *p;
} TraceRec;

#define TR_KIND(r) ((int)((r)->a & 0xff))
#define TR_END(r) ((int)(((r)->a >> 8) & 0xff))
#define TR_G(r) ((int64_t)((r)->a >> 16))
#define TR_PACK(g, end, kind) (((uint64_t)(g) << 16) | ((uint64_t)(end) << 8) | (uint64_t)(kind))

/* A record with the thread it was recorded on, as handed to the writer. */
typedef struct TraceItem {
    int64_t ts;
    uint32_t seq;                /* order of gathering: ties keep it */
    int tid;
    const TraceRec *r;           /* the first record (of a pair: both) */
} TraceItem;

/* A thread's track. */
typedef struct TraceThread {
    int tid;                     /* worker id, or 1000 + n for other threads */
    const char *name;
} TraceThread;

typedef struct TraceData {
    TraceItem *items;            /* sorted by (ts, seq) */
    size_t nitems;
    TraceThread *threads;
    int nthreads;                /* tracks (workers first) */
    int workers;
    int64_t t0;                  /* the trace's start: ts 0 in the output */
    int64_t max_g;               /* largest goroutine id recorded */
    const char *program;
    bool truncated;
} TraceData;

/* Writes the Chrome trace event JSON of d to f. */
void trace_write_json(FILE *f, const TraceData *d);
/* Writes the page: the same JSON embedded in a viewer. */
void trace_write_html(FILE *f, const TraceData *d);

#endif
