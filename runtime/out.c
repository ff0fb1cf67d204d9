/*
 * out.c — standard output and error, and ending the process.
 *
 * Every print call hands its whole text to rt_write_stdout, which appends
 * it under one lock: output of two calls never interleaves. When stdout is
 * a terminal each call is written at once; otherwise it is collected in a
 * buffer written out when full, when every worker goes idle (so a program
 * that sleeps or waits shows its output), and at exit. stderr is never
 * buffered.
 *
 * Ending the process: rt_exit takes the output lock and never gives it
 * back, flushes, and calls _exit. A goroutine that prints while another
 * ends the program therefore blocks until the process is gone, and nothing
 * is printed after a panic report or a deadlock dump.
 */
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/rt.h"
#include "runtime/rtint.h"
#include "runtime/sched.h"

#define OUT_BUF_SIZE (64 * 1024)    /* one pipe's worth: a full buffer is one write */
#define OUT_DELAY_NS 50000000       /* buffered output is written within 50 ms */

static struct {
    RtLock lock;
    int mode;                     /* 0 not yet decided, 1 terminal, 2 buffered */
    bool flush_armed;             /* a flush timer is pending */
    size_t len;
    char buf[OUT_BUF_SIZE];
} out;

static RtLock err_lock;
static _Atomic int exit_claimed;

/* Writes all of buf to fd, retrying partial writes and interruptions. A
 * descriptor left non-blocking by someone else is waited on with poll. */
static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            poll(&p, 1, -1);
        } else {
            return;               /* closed or broken: the text is lost, as in Go */
        }
    }
}

/* out.lock must be held. */
static void flush_locked(void)
{
    if (out.len > 0) {
        write_all(1, out.buf, out.len);
        out.len = 0;
    }
}

_Atomic bool rt_flush_due;

/* On the poller thread, which must not block on a full pipe (timers and
 * sockets wait on it): the next worker to schedule writes. */
static void delayed_flush(void)
{
    atomic_store_explicit(&rt_flush_due, true, memory_order_relaxed);
}

void rt_flush_if_due(void)
{
    if (!atomic_exchange(&rt_flush_due, false))
        return;
    rt_lock(&out.lock);
    out.flush_armed = false;
    flush_locked();
    rt_unlock(&out.lock);
}

void rt_write_stdout(const char *buf, size_t len)
{
    rt_lock(&out.lock);
    if (__builtin_expect(out.mode == 0, 0))
        out.mode = isatty(1) ? 1 : 2;
    if (out.mode == 1) {
        write_all(1, buf, len);
    } else if (out.len + len <= OUT_BUF_SIZE) {
        memcpy(out.buf + out.len, buf, len);
        out.len += len;
        if (!out.flush_armed) {
            out.flush_armed = true;
            timer_start_fn(OUT_DELAY_NS, delayed_flush);
        }
    } else {
        flush_locked();
        if (len >= OUT_BUF_SIZE) {
            write_all(1, buf, len);
        } else {
            memcpy(out.buf, buf, len);
            out.len = len;
        }
    }
    rt_unlock(&out.lock);
}

void rt_flush_stdout(void)
{
    rt_lock(&out.lock);
    flush_locked();
    rt_unlock(&out.lock);
    rt_flush_if_due();
}

void rt_write_stderr(const char *buf, size_t len)
{
    rt_lock(&err_lock);
    write_all(2, buf, len);
    rt_unlock(&err_lock);
}

void (*rt_exit_hook)(void);

bool rt_claim_exit(void)
{
    int expected = 0;
    if (!atomic_compare_exchange_strong(&exit_claimed, &expected, 1))
        return false;
    if (rt_exit_hook)
        rt_exit_hook();
    return true;
}

_Noreturn void rt_hang(void)
{
    for (;;)
        pause();
}

void rt_end_output(void)
{
    rt_lock(&out.lock);           /* held until the process ends */
    flush_locked();
    trace_close();
    fflush(stderr);
}

_Noreturn void rt_exit(int code)
{
    if (!rt_claim_exit())
        rt_hang();                /* another thread is ending the process */
    rt_end_output();
    _exit(code);
}
