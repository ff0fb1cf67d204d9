/*
 * trace_json.c — the recorded trace as Chrome trace event JSON (the
 * format chrome://tracing, Perfetto and speedscope open).
 *
 * One process (pid 1); one thread track per worker ("worker N", tid N)
 * and one per other thread that recorded something (tid 1000 and up: the
 * main thread, the poller with the timers, I/O threads). Events:
 *
 *   X  cat "run"    a slice a goroutine ran: name "gID FUNC", args g,
 *                   func, end (yield, blocked, done, panic, exit,
 *                   running) and, when blocked, reason
 *   X  cat "gc"     a collection inside a goroutine's slice: args g,
 *                   before, after (heap bytes)
 *   i  cat "go"     a goroutine created: args g, func, creator (0 for
 *                   main), at (FILE:LINE of the go statement)
 *   i  cat "block"  a goroutine parked: args g, reason (at its slice's end)
 *   i  cat "wake"   a goroutine woken: args g, by (0: a runtime thread)
 *   s/f cat "wake"  a flow from the waker's slice to the woken goroutine's
 *                   next slice (bp "e"); only when a goroutine woke another
 *   i  cat "timer"  a timer fired: args kind (sleep, after, tick), g
 *   M               process_name, thread_name, thread_sort_index
 *
 * ts and dur are microseconds from the start of the trace, with three
 * decimals (the nanoseconds the clock gave). otherData carries the counts
 * a reader may want to check: threads, goroutines, truncated.
 *
 * The records are in time order (trace.c sorts them); the wake-to-slice
 * flows are matched here: a wake-up of g leaves a pending flow on g that
 * g's next slice ends.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/traceint.h"

typedef struct Out {
    FILE *f;
    size_t n;
    bool first;                  /* no event written yet */
    char buf[1 << 16];
} Out;

static void out_flush(Out *o)
{
    if (o->n) {
        fwrite(o->buf, 1, o->n, o->f);
        o->n = 0;
    }
}

static inline void out_room(Out *o, size_t k)
{
    if (o->n + k > sizeof o->buf)
        out_flush(o);
}

static __attribute__((noinline)) void out_big(Out *o, const char *s, size_t k)
{
    out_flush(o);
    fwrite(s, 1, k, o->f);
}

static inline void out_mem(Out *o, const char *s, size_t k)
{
    if (__builtin_expect(k > sizeof o->buf / 2, 0)) {
        out_big(o, s, k);
        return;
    }
    out_room(o, k);
    memcpy(o->buf + o->n, s, k);
    o->n += k;
}

static void out_raw(Out *o, const char *s)
{
    out_mem(o, s, strlen(s));
}

/* A string literal: its length is known at compile time. */
#define OUT_LIT(o, lit) out_mem(o, lit, sizeof lit - 1)

static void out_int(Out *o, int64_t v)
{
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    char tmp[24];
    int k = 24;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    while (u >= 100) {
        unsigned d = (unsigned)(u % 100) * 2;
        u /= 100;
        tmp[--k] = pairs[d + 1];
        tmp[--k] = pairs[d];
    }
    if (u >= 10) {
        tmp[--k] = pairs[u * 2 + 1];
        tmp[--k] = pairs[u * 2];
    } else {
        tmp[--k] = (char)('0' + u);
    }
    if (v < 0)
        tmp[--k] = '-';
    out_mem(o, tmp + k, (size_t)(24 - k));
}

/* Nanoseconds as microseconds with three decimals. */
static void out_us(Out *o, int64_t ns)
{
    if (ns < 0) {
        OUT_LIT(o, "-");
        ns = -ns;
    }
    out_int(o, ns / 1000);
    int frac = (int)(ns % 1000);
    out_room(o, 4);
    o->buf[o->n++] = '.';
    o->buf[o->n++] = (char)('0' + frac / 100);
    o->buf[o->n++] = (char)('0' + frac / 10 % 10);
    o->buf[o->n++] = (char)('0' + frac % 10);
}

/* A JSON string. '<' is escaped too, so that the JSON can sit inside an
 * HTML <script> element unchanged. */
static void out_str_body(Out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    while (s && *s) {
        size_t k = 0;
        for (;;) {
            unsigned char c = (unsigned char)s[k];
            if (c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == 0x7f)
                break;
            k++;
        }
        if (k) {
            out_mem(o, s, k);
            s += k;
            continue;
        }
        unsigned char c = (unsigned char)*s++;
        out_room(o, 6);
        if (c == '"' || c == '\\') {
            o->buf[o->n++] = '\\';
            o->buf[o->n++] = (char)c;
        } else {
            memcpy(o->buf + o->n, "\\u00", 4);
            o->n += 4;
            o->buf[o->n++] = hex[c >> 4];
            o->buf[o->n++] = hex[c & 15];
        }
    }
}

static void out_str(Out *o, const char *s)
{
    OUT_LIT(o, "\"");
    out_str_body(o, s);
    OUT_LIT(o, "\"");
}

/* `{"name":` — the caller writes the name, then ev_fields. */
static void ev_begin(Out *o)
{
    if (o->first)
        OUT_LIT(o, "\n{\"name\":");
    else
        OUT_LIT(o, ",\n{\"name\":");
    o->first = false;
}

/* `,"ph":PH,"cat":CAT,"pid":1,"tid":TID,"ts":TS` (no cat when NULL, no ts
 * when negative). */
static void ev_fields(Out *o, const char *ph, const char *cat, int tid, int64_t ts)
{
    OUT_LIT(o, ",\"ph\":\"");
    out_raw(o, ph);
    OUT_LIT(o, "\"");
    if (cat) {
        OUT_LIT(o, ",\"cat\":\"");
        out_raw(o, cat);
        OUT_LIT(o, "\"");
    }
    OUT_LIT(o, ",\"pid\":1,\"tid\":");
    out_int(o, tid);
    if (ts >= 0) {
        OUT_LIT(o, ",\"ts\":");
        out_us(o, ts);
    }
}

/* `{"name":NAME,"ph":PH,...`: an event up to its own fields. */
static void ev_open(Out *o, const char *name, const char *ph, const char *cat, int tid,
                    int64_t ts)
{
    ev_begin(o);
    out_str(o, name);
    ev_fields(o, ph, cat, tid, ts);
}

/* An instant on a thread: ev_open plus "s":"t"; the caller writes args. */
static void instant(Out *o, const char *name, const char *cat, int tid, int64_t ts)
{
    ev_open(o, name, "i", cat, tid, ts);
    OUT_LIT(o, ",\"s\":\"t\"");
}

static const char *end_name(int end)
{
    switch (end) {
    case TR_END_YIELD: return "yield";
    case TR_END_BLOCKED: return "blocked";
    case TR_END_DONE: return "done";
    case TR_END_PANIC: return "panic";
    case TR_END_EXIT: return "exit";
    default: return "running";
    }
}

static void metadata(Out *o, const TraceData *d)
{
    ev_open(o, "process_name", "M", NULL, 0, -1);
    OUT_LIT(o, ",\"args\":{\"name\":");
    out_str(o, d->program);
    OUT_LIT(o, "}}");
    for (int i = 0; i < d->nthreads; i++) {
        ev_open(o, "thread_name", "M", NULL, d->threads[i].tid, -1);
        OUT_LIT(o, ",\"args\":{\"name\":");
        out_str(o, d->threads[i].name);
        OUT_LIT(o, "}}");
        ev_open(o, "thread_sort_index", "M", NULL, d->threads[i].tid, -1);
        OUT_LIT(o, ",\"args\":{\"sort_index\":");
        out_int(o, i);
        OUT_LIT(o, "}}");
    }
}

void trace_write_json(FILE *f, const TraceData *d)
{
    Out *o = malloc(sizeof *o);
    if (!o)
        return;
    o->f = f;
    o->n = 0;
    o->first = true;
    size_t ng = (size_t)d->max_g + 1;
    const char **fn = calloc(ng, sizeof *fn);      /* each goroutine's function */
    int64_t *flow = calloc(ng, sizeof *flow);      /* a pending wake flow's id */
    int64_t nflows = 0, created = 0;

    /* A wake-up gets a flow only when its goroutine runs again: mark,
     * walking backwards, the wake-ups that a later slice follows. */
    uint8_t *has_next = calloc(ng, 1);
    uint8_t *flows = calloc(d->nitems / 8 + 1, 1);
    if (has_next && flows) {
        for (size_t i = d->nitems; i-- > 0;) {
            const TraceRec *r = d->items[i].r;
            int64_t g = TR_G(r);
            if (TR_KIND(r) == TR_SLICE)
                has_next[g] = 1;
            else if (TR_KIND(r) == TR_WAKE && has_next[g])
                flows[i / 8] |= (uint8_t)(1u << (i % 8));
        }
    }

    OUT_LIT(o, "{\"traceEvents\":[");
    metadata(o, d);
    for (size_t i = 0; i < d->nitems; i++) {
        const TraceItem *it = &d->items[i];
        const TraceRec *r = it->r;
        int64_t g = TR_G(r);
        const char *gfn = fn && g >= 0 && (size_t)g < ng && fn[g] ? fn[g] : "?";
        int64_t ts = r->ts - d->t0;
        switch (TR_KIND(r)) {
        case TR_CREATE: {
            const TraceRec *loc = r + 1;
            created++;
            if (fn)
                fn[g] = r->p;
            instant(o, "go", "go", it->tid, ts);
            OUT_LIT(o, ",\"args\":{\"g\":");
            out_int(o, g);
            OUT_LIT(o, ",\"func\":");
            out_str(o, r->p);
            OUT_LIT(o, ",\"creator\":");
            out_int(o, r->b);
            if (loc->p) {
                OUT_LIT(o, ",\"at\":\"");
                out_str_body(o, loc->p);
                OUT_LIT(o, ":");
                out_int(o, loc->b);
                OUT_LIT(o, "\"");
            }
            OUT_LIT(o, "}}");
            break;
        }
        case TR_SLICE: {
            int end = TR_END(r);
            if (flow && flow[g]) {
                ev_open(o, "wake", "f", "wake", it->tid, ts);
                OUT_LIT(o, ",\"bp\":\"e\",\"id\":");
                out_int(o, flow[g]);
                OUT_LIT(o, "}");
                flow[g] = 0;
            }
            ev_begin(o);
            OUT_LIT(o, "\"g");
            out_int(o, g);
            OUT_LIT(o, " ");
            out_str_body(o, gfn);
            OUT_LIT(o, "\"");
            ev_fields(o, "X", "run", it->tid, ts);
            OUT_LIT(o, ",\"dur\":");
            out_us(o, r->b - r->ts);
            OUT_LIT(o, ",\"args\":{\"g\":");
            out_int(o, g);
            OUT_LIT(o, ",\"func\":");
            out_str(o, gfn);
            OUT_LIT(o, ",\"end\":\"");
            out_raw(o, end_name(end));
            OUT_LIT(o, "\"");
            if (end == TR_END_BLOCKED) {
                OUT_LIT(o, ",\"reason\":");
                out_str(o, r->p ? r->p : "?");
            }
            OUT_LIT(o, "}}");
            if (end == TR_END_BLOCKED) {
                instant(o, "block", "block", it->tid, r->b - d->t0);
                OUT_LIT(o, ",\"args\":{\"g\":");
                out_int(o, g);
                OUT_LIT(o, ",\"reason\":");
                out_str(o, r->p ? r->p : "?");
                OUT_LIT(o, "}}");
            }
            break;
        }
        case TR_WAKE:
            instant(o, "wake", "wake", it->tid, ts);
            OUT_LIT(o, ",\"args\":{\"g\":");
            out_int(o, g);
            OUT_LIT(o, ",\"by\":");
            out_int(o, r->b);
            OUT_LIT(o, "}}");
            if (r->b != 0 && r->b != g && flow && flows && (flows[i / 8] >> (i % 8) & 1)) {
                flow[g] = ++nflows;
                ev_open(o, "wake", "s", "wake", it->tid, ts);
                OUT_LIT(o, ",\"id\":");
                out_int(o, nflows);
                OUT_LIT(o, "}");
            }
            break;
        case TR_GC: {
            const TraceRec *bytes = r + 1;
            ev_open(o, "GC", "X", "gc", it->tid, ts);
            OUT_LIT(o, ",\"dur\":");
            out_us(o, r->b - r->ts);
            OUT_LIT(o, ",\"args\":{\"g\":");
            out_int(o, g);
            OUT_LIT(o, ",\"before\":");
            out_int(o, bytes->b);
            OUT_LIT(o, ",\"after\":");
            out_int(o, (int64_t)(uintptr_t)bytes->p);
            OUT_LIT(o, "}}");
            break;
        }
        case TR_TIMER:
            instant(o, "timer", "timer", it->tid, ts);
            OUT_LIT(o, ",\"args\":{\"kind\":\"");
            out_raw(o, g ? "sleep" : r->b > 0 ? "tick" : "after");
            OUT_LIT(o, "\"");
            if (g) {
                OUT_LIT(o, ",\"g\":");
                out_int(o, g);
            }
            OUT_LIT(o, "}}");
            break;
        }
    }
    OUT_LIT(o, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"format\":\"csp trace 1\",\"threads\":");
    out_int(o, d->workers);
    OUT_LIT(o, ",\"goroutines\":");
    out_int(o, created);
    OUT_LIT(o, ",\"truncated\":");
    out_raw(o, d->truncated ? "true" : "false");
    OUT_LIT(o, "}}\n");
    out_flush(o);
    free(fn);
    free(flow);
    free(has_next);
    free(flows);
    free(o);
}
