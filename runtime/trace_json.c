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

static void out_raw(Out *o, const char *s)
{
    size_t k = strlen(s);
    if (k > sizeof o->buf) {
        out_flush(o);
        fwrite(s, 1, k, o->f);
        return;
    }
    out_room(o, k);
    memcpy(o->buf + o->n, s, k);
    o->n += k;
}

static void out_int(Out *o, int64_t v)
{
    char tmp[24];
    int k = 0;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    out_room(o, (size_t)k + 1);
    if (v < 0)
        o->buf[o->n++] = '-';
    while (k)
        o->buf[o->n++] = tmp[--k];
}

/* Nanoseconds as microseconds with three decimals. */
static void out_us(Out *o, int64_t ns)
{
    if (ns < 0) {
        out_raw(o, "-");
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
static void out_str(Out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    out_room(o, 1);
    o->buf[o->n++] = '"';
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        out_room(o, 6);
        if (c == '"' || c == '\\') {
            o->buf[o->n++] = '\\';
            o->buf[o->n++] = (char)c;
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f) {
            memcpy(o->buf + o->n, "\\u00", 4);
            o->n += 4;
            o->buf[o->n++] = hex[c >> 4];
            o->buf[o->n++] = hex[c & 15];
        } else {
            o->buf[o->n++] = (char)c;
        }
    }
    out_room(o, 1);
    o->buf[o->n++] = '"';
}

/* `{"name":NAME,"ph":PH,"pid":1,"tid":TID` (and cat, ts when given). */
static void ev_open(Out *o, const char *name, const char *ph, const char *cat, int tid,
                    int64_t ts)
{
    out_raw(o, o->first ? "\n{\"name\":" : ",\n{\"name\":");
    o->first = false;
    out_str(o, name);
    out_raw(o, ",\"ph\":\"");
    out_raw(o, ph);
    out_raw(o, "\"");
    if (cat) {
        out_raw(o, ",\"cat\":\"");
        out_raw(o, cat);
        out_raw(o, "\"");
    }
    out_raw(o, ",\"pid\":1,\"tid\":");
    out_int(o, tid);
    if (ts >= 0) {
        out_raw(o, ",\"ts\":");
        out_us(o, ts);
    }
}

/* An instant on a thread: ev_open plus "s":"t"; the caller writes args. */
static void instant(Out *o, const char *name, const char *cat, int tid, int64_t ts)
{
    ev_open(o, name, "i", cat, tid, ts);
    out_raw(o, ",\"s\":\"t\"");
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
    out_raw(o, ",\"args\":{\"name\":");
    out_str(o, d->program);
    out_raw(o, "}}");
    for (int i = 0; i < d->nthreads; i++) {
        ev_open(o, "thread_name", "M", NULL, d->threads[i].tid, -1);
        out_raw(o, ",\"args\":{\"name\":");
        out_str(o, d->threads[i].name);
        out_raw(o, "}}");
        ev_open(o, "thread_sort_index", "M", NULL, d->threads[i].tid, -1);
        out_raw(o, ",\"args\":{\"sort_index\":");
        out_int(o, i);
        out_raw(o, "}}");
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
    char name[160];

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

    out_raw(o, "{\"traceEvents\":[");
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
            out_raw(o, ",\"args\":{\"g\":");
            out_int(o, g);
            out_raw(o, ",\"func\":");
            out_str(o, r->p);
            out_raw(o, ",\"creator\":");
            out_int(o, r->b);
            if (loc->p) {
                snprintf(name, sizeof name, "%s:%lld", (const char *)loc->p, (long long)loc->b);
                out_raw(o, ",\"at\":");
                out_str(o, name);
            }
            out_raw(o, "}}");
            break;
        }
        case TR_SLICE: {
            int end = TR_END(r);
            if (flow && flow[g]) {
                ev_open(o, "wake", "f", "wake", it->tid, ts);
                out_raw(o, ",\"bp\":\"e\",\"id\":");
                out_int(o, flow[g]);
                out_raw(o, "}");
                flow[g] = 0;
            }
            snprintf(name, sizeof name, "g%lld %s", (long long)g, gfn);
            ev_open(o, name, "X", "run", it->tid, ts);
            out_raw(o, ",\"dur\":");
            out_us(o, r->b - r->ts);
            out_raw(o, ",\"args\":{\"g\":");
            out_int(o, g);
            out_raw(o, ",\"func\":");
            out_str(o, gfn);
            out_raw(o, ",\"end\":\"");
            out_raw(o, end_name(end));
            out_raw(o, "\"");
            if (end == TR_END_BLOCKED) {
                out_raw(o, ",\"reason\":");
                out_str(o, r->p ? r->p : "?");
            }
            out_raw(o, "}}");
            if (end == TR_END_BLOCKED) {
                instant(o, "block", "block", it->tid, r->b - d->t0);
                out_raw(o, ",\"args\":{\"g\":");
                out_int(o, g);
                out_raw(o, ",\"reason\":");
                out_str(o, r->p ? r->p : "?");
                out_raw(o, "}}");
            }
            break;
        }
        case TR_WAKE:
            instant(o, "wake", "wake", it->tid, ts);
            out_raw(o, ",\"args\":{\"g\":");
            out_int(o, g);
            out_raw(o, ",\"by\":");
            out_int(o, r->b);
            out_raw(o, "}}");
            if (r->b != 0 && r->b != g && flow && flows && (flows[i / 8] >> (i % 8) & 1)) {
                flow[g] = ++nflows;
                ev_open(o, "wake", "s", "wake", it->tid, ts);
                out_raw(o, ",\"id\":");
                out_int(o, nflows);
                out_raw(o, "}");
            }
            break;
        case TR_GC: {
            const TraceRec *bytes = r + 1;
            ev_open(o, "GC", "X", "gc", it->tid, ts);
            out_raw(o, ",\"dur\":");
            out_us(o, r->b - r->ts);
            out_raw(o, ",\"args\":{\"g\":");
            out_int(o, g);
            out_raw(o, ",\"before\":");
            out_int(o, bytes->b);
            out_raw(o, ",\"after\":");
            out_int(o, (int64_t)(uintptr_t)bytes->p);
            out_raw(o, "}}");
            break;
        }
        case TR_TIMER:
            instant(o, "timer", "timer", it->tid, ts);
            out_raw(o, ",\"args\":{\"kind\":\"");
            out_raw(o, g ? "sleep" : r->b > 0 ? "tick" : "after");
            out_raw(o, "\"");
            if (g) {
                out_raw(o, ",\"g\":");
                out_int(o, g);
            }
            out_raw(o, "}}");
            break;
        }
    }
    out_raw(o, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"format\":\"csp trace 1\",\"threads\":");
    out_int(o, d->workers);
    out_raw(o, ",\"goroutines\":");
    out_int(o, created);
    out_raw(o, ",\"truncated\":");
    out_raw(o, d->truncated ? "true" : "false");
    out_raw(o, "}}\n");
    out_flush(o);
    free(fn);
    free(flow);
    free(has_next);
    free(flows);
    free(o);
}
