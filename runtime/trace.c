/*
 * trace.c — `csp --trace OUT.json`: a scheduler trace in Chrome's trace
 * event format (load it in chrome://tracing or ui.perfetto.dev).
 *
 * Each worker is a thread row; each slice a goroutine ran is a complete
 * event ("ph":"X") named after the goroutine, with how the slice ended
 * (yield, blocked and the wait reason, done, panic, exit). Workers record
 * into their own buffers without locks; a full buffer, and all buffers at
 * exit, are written under the trace lock. Tracing costs two clock reads
 * per slice, and nothing when it is off.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rt.h"
#include "runtime/rtint.h"
#include "vm/gor.h"

#define TRACE_BUF 8192             /* events per worker between writes */

typedef struct TraceEvent {
    int64_t gid;
    int64_t start, end;            /* monotonic ns */
    const char *reason;            /* the wait reason when blocked */
    uint8_t status;                /* a GorStatus */
} TraceEvent;

typedef struct TraceBuf {
    _Atomic uint32_t count;        /* events committed */
    TraceEvent ev[TRACE_BUF];
} TraceBuf;

bool sched_tracing;
static FILE *trace_file;
static RtLock trace_lock;
static TraceBuf **bufs;
static int nbufs;
static int64_t t0;
static bool first_event = true;

static const char *status_name(uint8_t st)
{
    switch (st) {
    case GOR_YIELD: return "yield";
    case GOR_BLOCKED: return "blocked";
    case GOR_DONE: return "done";
    case GOR_PANIC: return "panic";
    default: return "exit";
    }
}

bool sched_trace_open(const char *path)
{
    trace_file = fopen(path, "w");
    if (!trace_file)
        return false;
    t0 = rt_mono_ns();
    fputs("{\"traceEvents\":[\n", trace_file);
    sched_tracing = true;
    return true;
}

/* Called once the worker count is known. */
void trace_init_workers(int n)
{
    if (!sched_tracing)
        return;
    bufs = calloc((size_t)n, sizeof *bufs);
    for (int i = 0; i < n && bufs; i++)
        bufs[i] = calloc(1, sizeof(TraceBuf));
    nbufs = n;
    for (int i = 0; i < n; i++) {
        fprintf(trace_file,
                "%s{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,"
                "\"args\":{\"name\":\"worker %d\"}}",
                first_event ? "" : ",\n", i, i);
        first_event = false;
    }
}

/* trace_lock held. */
static void write_events(TraceBuf *b, uint32_t n, int tid)
{
    for (uint32_t i = 0; i < n; i++) {
        TraceEvent *e = &b->ev[i];
        fprintf(trace_file,
                "%s{\"name\":\"g%" PRId64 "\",\"cat\":\"run\",\"ph\":\"X\",\"pid\":1,\"tid\":%d,"
                "\"ts\":%.3f,\"dur\":%.3f,\"args\":{\"end\":\"%s\"",
                first_event ? "" : ",\n", e->gid, tid, (double)(e->start - t0) / 1000.0,
                (double)(e->end - e->start) / 1000.0, status_name(e->status));
        if (e->status == GOR_BLOCKED && e->reason)
            fprintf(trace_file, ",\"reason\":\"%s\"", e->reason);
        fputs("}}", trace_file);
        first_event = false;
    }
}

void trace_slice(int worker, Gor *g, int64_t start, int64_t end, int status)
{
    if (!bufs || worker < 0 || worker >= nbufs || !bufs[worker])
        return;
    TraceBuf *b = bufs[worker];
    uint32_t n = atomic_load_explicit(&b->count, memory_order_relaxed);
    if (n == TRACE_BUF) {
        rt_lock(&trace_lock);
        write_events(b, n, worker);
        atomic_store_explicit(&b->count, 0, memory_order_release);
        rt_unlock(&trace_lock);
        n = 0;
    }
    TraceEvent *e = &b->ev[n];
    e->gid = g->id;
    e->start = start;
    e->end = end;
    e->status = (uint8_t)status;
    e->reason = status == GOR_BLOCKED ? g->wait.reason : NULL;
    atomic_store_explicit(&b->count, n + 1, memory_order_release);
}

/* At exit: everything recorded so far, then the closing bracket. The lock
 * is kept: a worker with a full buffer waits until the process is gone. */
void trace_close(void)
{
    if (!sched_tracing || !trace_file)
        return;
    rt_lock(&trace_lock);
    for (int i = 0; i < nbufs; i++)
        if (bufs && bufs[i])
            write_events(bufs[i], atomic_load_explicit(&bufs[i]->count, memory_order_acquire), i);
    fputs("\n],\"displayTimeUnit\":\"ns\"}\n", trace_file);
    fclose(trace_file);
    trace_file = NULL;
}
