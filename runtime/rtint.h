/*
 * rtint.h — interfaces between the files of runtime/ and the stdlib
 * modules built on them (time, io, net, runtime). Not for the VM.
 */
#ifndef CSP_RTINT_H
#define CSP_RTINT_H

#include <stdio.h>

#include "runtime/chan.h"
#include "runtime/trace.h"

/* --- provided by the VM (vm/gor.c) --- */
/* Prints `panic: MESSAGE`, a blank line and g's traceback to out. */
void gor_report_panic(Gor *g, FILE *out);

/* --- out.c --- */
/* True for the one caller that may end the process; others must hang. */
bool rt_claim_exit(void);
_Noreturn void rt_hang(void);
/* Takes the output lock for good and flushes stdout (then stderr). */
void rt_end_output(void);
/* Set when buffered output waited long enough: workers then call
 * rt_flush_if_due at their next schedule. */
extern _Atomic bool rt_flush_due;
void rt_flush_if_due(void);

/* --- sched.c --- */
/* Prints every goroutine, in id order, as in a deadlock dump. Only when
 * no worker runs a goroutine (all idle or stopped). */
void sched_dump_all(FILE *out);

/* --- chan.c --- */
/* A send from outside any goroutine (timers): never blocks. Delivers the
 * value (and the objects of `msg`, if any, which it takes over) to a
 * waiting receiver or the buffer and returns true; false when the channel
 * is full or closed (msg is left to the caller). */
bool chan_send_nowait(Chan *c, Value v, Heap *msg);
/* A runtime thread's place in a channel's send queue. */
typedef struct ChanExtWaiter {
    ChanWaiter w;                /* first; w.g == NULL marks it external */
    Value value;                 /* the message */
    Heap heap;
    bool ok;                     /* true: delivered; false: the channel was closed */
    /* Called by whoever completed the send, after filling ok. */
    void (*notify)(struct ChanExtWaiter *x);
} ChanExtWaiter;
/* A send from a runtime thread that may wait: when the channel is full, x
 * (notify set) is queued with the message and notify is called once a
 * receiver took the value or the channel was closed. Returns 1 when
 * delivered at once, 0 when closed (msg left to the caller), -1 when
 * queued. With x NULL it never waits: -1 when full, msg left to the caller. */
int chan_send_external(Chan *c, Value v, Heap *msg, ChanExtWaiter *x);
/* close from a runtime thread; false when it was closed already. */
bool chan_close_runtime(Chan *c);
/* The reference count, for timers that stop once nobody else holds their channel. */
int64_t chan_refs(Chan *c);

/* --- timer.c --- */
typedef struct Timer Timer;
/* time.sleep: parks g for ns nanoseconds (g must be running). */
void timer_sleep(Gor *g, int64_t ns);
/* time.after / time.tick: a timer that sends the wall clock into c after
 * ns and then (period > 0) every period; c is retained by the timer. */
void timer_start_chan(Chan *c, int64_t ns, int64_t period);

/* Calls fn on the poller thread after ns (a chore of the runtime: not a
 * pending timer for deadlock detection). */
void timer_start_fn(int64_t ns, void (*fn)(void));
/* Called by the poller thread when the earliest deadline passed. */
void timer_run_due(void);

/* --- poll.c --- */
/* Something the poller watches. `event` runs on the poller thread with
 * the epoll event bits; it must not block. Embed it first in a larger
 * struct to carry context. */
typedef struct PollSource {
    void (*event)(struct PollSource *src, uint32_t events);
} PollSource;
/* Watches fd (edge-triggered, in and out) until poll_del; 0 or -1. */
int poll_add(int fd, PollSource *src);
void poll_del(int fd);
/* Frees p (a released PollSource's owner) once the poller cannot be
 * handling an event of it any more. */
void poll_defer_free(void *p);
/* Arms the timer wake-up for a monotonic deadline (timer.c, lock held). */
void poll_arm_timer(int64_t deadline_mono_ns);

#endif
