/*
 * trace_sched.c — CSP_SCHEDTRACE=MS: one line of scheduler state on
 * standard error every MS milliseconds, in the spirit of Go's
 * GODEBUG=schedtrace:
 *
 *   SCHED 105ms: threads=2 busy=1 spinning=0 idle=1 runqueue=0 [3 0]
 *       goroutines=16 running=1 runnable=3 waiting=12 timers=12 io=0
 *
 * (one line). threads: workers; busy: workers running a goroutine (neither
 * parked nor looking for work); spinning: looking for work; idle: parked.
 * runqueue: the global queue; [...]: each worker's own run queue. The
 * goroutine counts: running = busy workers, runnable = every queue,
 * waiting = the rest (blocked on a channel, a select, a sleep or I/O).
 * timers and io: armed timers and outstanding I/O operations.
 *
 * The figures are read without stopping anything, so they are a moment's
 * picture, not a consistent snapshot. The printer is a thread of its own
 * that sleeps between lines; the process ends without waiting for it.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime/rt.h"
#include "runtime/sched.h"
#include "runtime/trace.h"

#define MAX_LISTED 64              /* workers whose queues are listed one by one */

static int64_t period_ms;
static int64_t start_ns;

static void print_line(void)
{
    SchedStats st;
    int64_t local[MAX_LISTED];
    sched_stats(&st, local, MAX_LISTED);
    char line[256 + MAX_LISTED * 8];
    size_t n = 0;
    int busy = st.threads - st.idle - st.spinning;
    if (busy < 0)
        busy = 0;
    int64_t runnable = st.global_runq;
    n += (size_t)snprintf(line + n, sizeof line - n,
                          "SCHED %lldms: threads=%d busy=%d spinning=%d idle=%d runqueue=%lld [",
                          (long long)((rt_mono_ns() - start_ns) / 1000000), st.threads, busy,
                          st.spinning, st.idle, (long long)st.global_runq);
    int listed = st.threads < MAX_LISTED ? st.threads : MAX_LISTED;
    for (int i = 0; i < listed; i++) {
        runnable += local[i];
        n += (size_t)snprintf(line + n, sizeof line - n, i ? " %lld" : "%lld",
                              (long long)local[i]);
    }
    if (st.threads > listed)
        n += (size_t)snprintf(line + n, sizeof line - n, " ...");
    int64_t waiting = st.goroutines - busy - runnable;
    if (waiting < 0)
        waiting = 0;
    snprintf(line + n, sizeof line - n,
             "] goroutines=%lld running=%d runnable=%lld waiting=%lld timers=%lld io=%lld\n",
             (long long)st.goroutines, busy, (long long)runnable, (long long)waiting,
             (long long)st.timers, (long long)st.io);
    rt_write_stderr(line, strlen(line));
}

static void *printer_main(void *arg)
{
    (void)arg;
    struct timespec ts = { .tv_sec = period_ms / 1000, .tv_nsec = period_ms % 1000 * 1000000 };
    for (;;) {
        nanosleep(&ts, NULL);
        print_line();
    }
    return NULL;
}

void trace_init_workers(int nthreads)
{
    (void)nthreads;
    const char *s = getenv("CSP_SCHEDTRACE");
    if (!s || !*s)
        return;
    char *end;
    long long ms = strtoll(s, &end, 10);
    if (*end != '\0' || ms <= 0)
        return;
    period_ms = ms;
    start_ns = rt_mono_ns();
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* SIGQUIT belongs to the scheduler's signal thread: not ours to take. */
    sigset_t quit, old;
    sigemptyset(&quit);
    sigaddset(&quit, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &quit, &old);
    if (pthread_create(&t, &attr, printer_main, NULL) != 0)
        fputs("csp: CSP_SCHEDTRACE: cannot start the printer thread\n", stderr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
}
