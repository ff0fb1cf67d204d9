/*
 * chan.h — channels and select, the only shared mutable objects of csp.
 *
 * A Chan lives outside every goroutine heap and is reference-counted by
 * the per-heap proxies (ObjChan) and in-flight messages that point to it;
 * it is freed when the last reference goes.
 *
 * Values cross a channel by deep copy: the sender copies into a message
 * heap; the receiver adopts the message's objects into its own heap.
 *
 * Operations return CHAN_OK (done; results written to out), CHAN_BLOCK (the
 * goroutine is parked: gor_run must return GOR_BLOCKED, and on resumption
 * the VM calls g->wait.complete to get the same results), or CHAN_PANIC
 * (vm_panic was called: "send on closed channel", ...).
 * A NULL Chan is the nil channel: send and receive block forever.
 */
#ifndef CSP_CHAN_H
#define CSP_CHAN_H

#include "vm/gor.h"

enum { CHAN_OK = 0, CHAN_BLOCK = 1, CHAN_PANIC = 2 };

Chan *chan_new(int64_t cap);
void chan_retain(Chan *c);
void chan_release(Chan *c);
int64_t chan_len(Chan *c);
int64_t chan_cap(Chan *c);

/* ch <- v */
int chan_send(Gor *g, Chan *c, Value v);
/* <-ch: out[0] = value (in g's heap), out[1] = ok (bool). */
int chan_recv(Gor *g, Chan *c, Value *out);
/* close(ch): panics "close of closed channel" / "close of nil channel". */
int chan_close(Gor *g, Chan *c);

/* One case of a select. */
typedef struct SelectCase {
    Chan *chan;                  /* NULL: a nil channel, never ready */
    bool is_send;
    Value send_value;            /* for a send case */
} SelectCase;

/* select: out[0] = INT index of the chosen case (-1: default), out[1] =
 * received value, out[2] = ok. With has_default it never blocks. n == 0
 * without default blocks forever ("select (no cases)"). */
int chan_select(Gor *g, SelectCase *cases, int n, bool has_default, Value *out);

#endif
