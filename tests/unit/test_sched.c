/*
 * test_sched.c — the scheduler, channels, select, timers and deadlock
 * detection, driven by fake goroutines (test_sched_fake.h) without the VM.
 *
 * Every scenario runs in a forked child (the runtime ends its process), with
 * 1, 2 and 8 worker threads and under CSP_SCHEDSTRESS=1; the parent checks
 * the exit status, and stderr/stdout where the scenario says so. A child
 * that hangs (a lost wake-up) is killed by an alarm and reported.
 *
 *   gcc -std=c11 -D_GNU_SOURCE -O2 -pthread -I. tests/unit/test_sched.c runtime/\*.c
 *   ./a.out [-q] [scenario...]
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/test_sched_fake.h"

static bool quick;

#define FAIL(...)                                                      \
    do {                                                               \
        fprintf(stderr, "CHECK FAILED %s:%d: ", __FILE__, __LINE__);   \
        fprintf(stderr, __VA_ARGS__);                                  \
        fputc('\n', stderr);                                           \
        fflush(stderr);                                                \
        _exit(1);                                                      \
    } while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)

static Gor *go_with(FakeStep step, Chan *c0, Chan *c1, Chan *c2, int64_t n)
{
    Gor *g = fake_new(step);
    Fake *f = FAKE(g);
    f->c[0] = c0;
    f->c[1] = c1;
    f->c[2] = c2;
    f->n = n;
    sched_ready(g);
    return g;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* ping-pong: unbuffered hand-off in both directions                      */

static int64_t N_PINGPONG = 200000;

static GorStatus echo(Gor *g, Fake *f)
{
    PT_BEGIN
    for (;;) {
        T_RECV(f->c[0]);
        if (!f->out[1].as.b)
            break;
        T_SEND(f->c[1], INT_VAL(f->out[0].as.i + 1));
    }
    PT_END
}

static GorStatus pingpong_main(Gor *g, Fake *f)
{
    PT_BEGIN
    f->c[0] = chan_new(0);
    f->c[1] = chan_new(0);
    go_with(echo, f->c[0], f->c[1], NULL, 0);
    for (f->i = 0; f->i < N_PINGPONG; f->i++) {
        T_SEND(f->c[0], INT_VAL(f->i));
        T_RECV(f->c[1]);
        CHECK(f->out[0].as.i == f->i + 1, "got %lld want %lld", (long long)f->out[0].as.i,
              (long long)f->i + 1);
        f->sum += f->out[0].as.i;
    }
    chan_close(g, f->c[0]);
    CHECK(f->sum == N_PINGPONG * (N_PINGPONG + 1) / 2, "sum %lld", (long long)f->sum);
    PT_END
}

/* ------------------------------------------------------------------ */
/* buffered FIFO and close draining                                       */

static GorStatus producer(Gor *g, Fake *f)
{
    PT_BEGIN
    for (f->i = 0; f->i < f->n; f->i++) {
        T_SEND(f->c[0], INT_VAL(f->i));
    }
    chan_close(g, f->c[0]);
    PT_END
}

static GorStatus fifo_main(Gor *g, Fake *f)
{
    PT_BEGIN
    f->c[0] = chan_new(16);
    CHECK(chan_cap(f->c[0]) == 16, "cap");
    go_with(producer, f->c[0], NULL, NULL, 100000);
    for (f->i = 0;; f->i++) {
        T_RECV(f->c[0]);
        if (!f->out[1].as.b)
            break;
        CHECK(f->out[0].as.i == f->i, "fifo: got %lld want %lld", (long long)f->out[0].as.i,
              (long long)f->i);
    }
    CHECK(f->i == 100000, "count %lld", (long long)f->i);
    /* A closed channel keeps its buffered values. */
    f->c[1] = chan_new(3);
    T_SEND(f->c[1], INT_VAL(1));
    T_SEND(f->c[1], INT_VAL(2));
    CHECK(chan_len(f->c[1]) == 2, "len");
    chan_close(g, f->c[1]);
    T_RECV(f->c[1]);
    CHECK(f->out[0].as.i == 1 && f->out[1].as.b, "drain 1");
    T_RECV(f->c[1]);
    CHECK(f->out[0].as.i == 2 && f->out[1].as.b, "drain 2");
    T_RECV(f->c[1]);
    CHECK(IS_NIL(f->out[0]) && !f->out[1].as.b, "drained");
    T_RECV(f->c[1]);
    CHECK(IS_NIL(f->out[0]) && !f->out[1].as.b, "drained again");
    PT_END
}

/* ------------------------------------------------------------------ */
/* many producers and consumers                                           */

enum { MP_PRODUCERS = 8, MP_CONSUMERS = 4, MP_EACH = 20000 };
static _Atomic int64_t mp_count;

static GorStatus mp_producer(Gor *g, Fake *f)
{
    PT_BEGIN
    for (f->i = 0; f->i < MP_EACH; f->i++) {
        T_SEND(f->c[0], INT_VAL(f->i));
    }
    T_SEND(f->c[1], INT_VAL(1));
    PT_END
}

static GorStatus mp_consumer(Gor *g, Fake *f)
{
    PT_BEGIN
    for (;;) {
        T_RECV(f->c[0]);
        if (!f->out[1].as.b)
            break;
        f->sum += f->out[0].as.i;
        f->k++;
    }
    atomic_fetch_add(&mp_count, f->k);
    T_SEND(f->c[1], INT_VAL(f->sum));
    PT_END
}

static GorStatus mp_main(Gor *g, Fake *f)
{
    PT_BEGIN
    for (f->j = 0; f->j < 2; f->j++) {
        f->c[0] = chan_new(f->j == 0 ? 0 : 7);
        f->c[1] = chan_new(0);
        f->c[2] = chan_new(0);
        for (f->i = 0; f->i < MP_PRODUCERS; f->i++)
            go_with(mp_producer, f->c[0], f->c[1], NULL, 0);
        for (f->i = 0; f->i < MP_CONSUMERS; f->i++)
            go_with(mp_consumer, f->c[0], f->c[2], NULL, 0);
        for (f->i = 0; f->i < MP_PRODUCERS; f->i++) {
            T_RECV(f->c[1]);
        }
        chan_close(g, f->c[0]);
        f->sum = 0;
        for (f->i = 0; f->i < MP_CONSUMERS; f->i++) {
            T_RECV(f->c[2]);
            f->sum += f->out[0].as.i;
        }
        CHECK(atomic_exchange(&mp_count, 0) == MP_PRODUCERS * MP_EACH, "count");
        CHECK(f->sum == (int64_t)MP_PRODUCERS * MP_EACH * (MP_EACH - 1) / 2, "sum %lld",
              (long long)f->sum);
    }
    PT_END
}

/* ------------------------------------------------------------------ */
/* close wakes blocked receivers; panics                                  */

static GorStatus close_waiter(Gor *g, Fake *f)
{
    PT_BEGIN
    T_RECV(f->c[0]);
    T_SEND(f->c[1], BOOL_VAL(f->out[1].as.b));
    PT_END
}

static GorStatus close_main(Gor *g, Fake *f)
{
    PT_BEGIN
    f->c[0] = chan_new(0);
    f->c[1] = chan_new(0);
    for (f->i = 0; f->i < 10; f->i++)
        go_with(close_waiter, f->c[0], f->c[1], NULL, 0);
    T_SLEEP(5000000);
    chan_close(g, f->c[0]);
    for (f->i = 0; f->i < 10; f->i++) {
        T_RECV(f->c[1]);
        CHECK(!f->out[0].as.b, "receiver woken by close got ok=true");
    }
    PT_END
}

static GorStatus send_closed_main(Gor *g, Fake *f)
{
    PT_BEGIN
    f->c[0] = chan_new(1);
    chan_close(g, f->c[0]);
    T_SEND(f->c[0], INT_VAL(1));
    FAIL("send on closed channel did not panic");
    PT_END
}

static GorStatus close_closed_main(Gor *g, Fake *f)
{
    PT_BEGIN
    f->c[0] = chan_new(0);
    chan_close(g, f->c[0]);
    if (chan_close(g, f->c[0]) == CHAN_PANIC)
        return GOR_PANIC;
    FAIL("close of closed channel did not panic");
    PT_END
}

static GorStatus close_nil_main(Gor *g, Fake *f)
{
    PT_BEGIN
    if (chan_close(g, NULL) == CHAN_PANIC)
        return GOR_PANIC;
    FAIL("close of nil channel did not panic");
    PT_END
}

static GorStatus blocked_sender(Gor *g, Fake *f)
{
    PT_BEGIN
    T_SEND(f->c[0], INT_VAL(1));
    FAIL("blocked sender resumed normally after close");
    PT_END
}

static GorStatus close_sender_main(Gor *g, Fake *f)
{
    PT_BEGIN
    f->c[0] = chan_new(0);
    go_with(blocked_sender, f->c[0], NULL, NULL, 0);
    T_SLEEP(5000000);
    chan_close(g, f->c[0]);
    T_SLEEP(2000000000);
    FAIL("no panic");
    PT_END
}

/* ------------------------------------------------------------------ */
/* select                                                                 */

static GorStatus select_fair_main(Gor *g, Fake *f)
{
    static SelectCase cases[3];
    static int64_t counts[3];
    PT_BEGIN
    f->c[0] = chan_new(1);
    f->c[1] = chan_new(1);
    cases[0] = (SelectCase){ .chan = f->c[0] };
    cases[1] = (SelectCase){ .chan = NULL };                 /* nil: never ready */
    cases[2] = (SelectCase){ .chan = f->c[1] };
    for (f->i = 0; f->i < 20000; f->i++) {
        if (chan_len(f->c[0]) == 0) {
            T_SEND(f->c[0], INT_VAL(0));
        }
        if (chan_len(f->c[1]) == 0) {
            T_SEND(f->c[1], INT_VAL(2));
        }
        T_SELECT(cases, 3, false);
        int64_t idx = f->out[0].as.i;
        CHECK(idx == 0 || idx == 2, "select chose %lld", (long long)idx);
        CHECK(f->out[1].as.i == idx && f->out[2].as.b, "value/ok of case %lld", (long long)idx);
        counts[idx]++;
    }
    CHECK(counts[0] > 9000 && counts[2] > 9000, "unfair: %lld vs %lld", (long long)counts[0],
          (long long)counts[2]);
    /* Default when nothing is ready. */
    if (chan_len(f->c[0]) > 0) {
        T_RECV(f->c[0]);
    }
    if (chan_len(f->c[1]) > 0) {
        T_RECV(f->c[1]);
    }
    T_SELECT(cases, 3, true);
    CHECK(f->out[0].as.i == -1, "default not taken");
    /* A send case on a buffered channel with room. */
    cases[0] = (SelectCase){ .chan = f->c[0], .is_send = true, .send_value = INT_VAL(7) };
    T_SELECT(cases, 1, true);
    CHECK(f->out[0].as.i == 0, "send case not taken");
    T_RECV(f->c[0]);
    CHECK(f->out[0].as.i == 7, "sent value");
    /* A receive case on a closed channel fires with ok == false. */
    chan_close(g, f->c[1]);
    cases[0] = (SelectCase){ .chan = f->c[1] };
    T_SELECT(cases, 1, false);
    CHECK(f->out[0].as.i == 0 && !f->out[2].as.b, "closed case");
    PT_END
}

/* Selects racing selects: senders choose among two channels by select,
 * receivers choose among the same two by select; every value must arrive
 * and every goroutine finish (a lost wake-up hangs the test). */
enum { RS_SENDERS = 16, RS_RECEIVERS = 8, RS_EACH = 4000 };

static GorStatus rs_sender(Gor *g, Fake *f)
{
    PT_BEGIN
    for (f->i = 0; f->i < RS_EACH; f->i++) {
        if (f->k == 0 && f->i % 3 == 0) {
            T_SEND(f->c[f->i % 2], INT_VAL(1));
        } else {
            {
                SelectCase cs[2] = { { .chan = f->c[0], .is_send = true, .send_value = INT_VAL(1) },
                                     { .chan = f->c[1], .is_send = true, .send_value = INT_VAL(1) } };
                memcpy(f->p, cs, sizeof cs);
            }
            T_SELECT((SelectCase *)f->p, 2, false);
        }
    }
    T_SEND(f->c[2], INT_VAL(0));
    PT_END
}

static GorStatus rs_receiver(Gor *g, Fake *f)
{
    PT_BEGIN
    for (f->i = 0; f->i < RS_SENDERS * RS_EACH / RS_RECEIVERS; f->i++) {
        if (f->k == 1 && f->i % 5 == 0) {
            T_RECV(f->c[f->i % 2]);
        } else {
            {
                SelectCase cs[2] = { { .chan = f->c[0] }, { .chan = f->c[1] } };
                memcpy(f->p, cs, sizeof cs);
            }
            T_SELECT((SelectCase *)f->p, 2, false);
            CHECK(f->out[1].as.i == 1, "select received %lld", (long long)f->out[1].as.i);
        }
        f->sum++;
    }
    T_SEND(f->c[2], INT_VAL(f->sum));
    PT_END
}

static GorStatus race_main(Gor *g, Fake *f)
{
    PT_BEGIN
    /* j: buffering (0: unbuffered) and which side also uses plain
     * operations (both sides at once could deadlock legitimately). */
    for (f->j = 0; f->j < 4; f->j++) {
        f->c[0] = chan_new(f->j / 2);
        f->c[1] = chan_new(f->j / 2 * 3);
        f->c[2] = chan_new(0);
        for (f->i = 0; f->i < RS_SENDERS; f->i++) {
            Gor *s = fake_new(rs_sender);
            FAKE(s)->c[0] = f->c[0], FAKE(s)->c[1] = f->c[1], FAKE(s)->c[2] = f->c[2];
            FAKE(s)->k = f->j % 2;
            FAKE(s)->p = calloc(2, sizeof(SelectCase));
            sched_ready(s);
        }
        for (f->i = 0; f->i < RS_RECEIVERS; f->i++) {
            Gor *r = fake_new(rs_receiver);
            FAKE(r)->c[0] = f->c[0], FAKE(r)->c[1] = f->c[1], FAKE(r)->c[2] = f->c[2];
            FAKE(r)->k = f->j % 2;
            FAKE(r)->p = calloc(2, sizeof(SelectCase));
            sched_ready(r);
        }
        f->sum = 0;
        for (f->i = 0; f->i < RS_SENDERS + RS_RECEIVERS; f->i++) {
            T_RECV(f->c[2]);
            f->sum += f->out[0].as.i;
        }
        CHECK(f->sum == RS_SENDERS * RS_EACH, "received %lld", (long long)f->sum);
    }
    PT_END
}

/* ------------------------------------------------------------------ */
/* a million goroutines blocked on one channel                            */

static int64_t N_MILLION = 1000000;

static _Atomic int64_t million_blocked;

static GorStatus million_child(Gor *g, Fake *f)
{
    PT_BEGIN
    atomic_fetch_add(&million_blocked, 1);
    T_RECV(f->c[0]);
    T_SEND(f->c[1], INT_VAL(1));
    PT_END
}

static GorStatus million_main(Gor *g, Fake *f)
{
    static double start;
    PT_BEGIN
    start = now_s();
    f->c[0] = chan_new(0);
    f->c[1] = chan_new(0);
    for (f->i = 0; f->i < N_MILLION; f->i++) {
        go_with(million_child, f->c[0], f->c[1], NULL, 0);
        T_SAFEPOINT
    }
    while (atomic_load(&million_blocked) < N_MILLION) {
        T_SLEEP(1000000);
    }
    T_SLEEP(10000000);
    {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        fprintf(stderr, "  [%lld goroutines blocked after %.3f s, max RSS %ld MiB]\n",
                (long long)sched_num_goroutines(), now_s() - start, ru.ru_maxrss / 1024);
    }
    chan_close(g, f->c[0]);
    for (f->i = 0; f->i < N_MILLION; f->i++) {
        T_RECV(f->c[1]);
    }
    for (f->k = 0; f->k < 1000 && sched_num_goroutines() > 1; f->k++) {
        T_SLEEP(1000000);
    }
    CHECK(sched_num_goroutines() == 1, "goroutines left: %lld", (long long)sched_num_goroutines());
    PT_END
}

/* ------------------------------------------------------------------ */
/* work spreads over the workers                                          */

static _Atomic uint64_t thread_mask;
static int64_t N_SPIN = 30000000;

static GorStatus spinner(Gor *g, Fake *f)
{
    PT_BEGIN
    for (f->i = 0; f->i < f->n; f->i++) {
        f->sum = f->sum * 31 + f->i;
        if ((f->i & 255) == 0) {
            f->k |= (int64_t)(1ull << (sched_thread_id() & 63));
            T_SAFEPOINT
        }
    }
    atomic_fetch_or(&thread_mask, (uint64_t)f->k);
    T_SEND(f->c[0], INT_VAL(f->sum));
    PT_END
}

static GorStatus parallel_main(Gor *g, Fake *f)
{
    PT_BEGIN
    f->c[0] = chan_new(0);
    for (f->i = 0; f->i < 4; f->i++)
        go_with(spinner, f->c[0], NULL, NULL, N_SPIN);
    for (f->i = 0; f->i < 4; f->i++) {
        T_RECV(f->c[0]);
    }
    if (sched_num_threads() > 1 && !sched_stress)
        CHECK(__builtin_popcountll(atomic_load(&thread_mask)) >= 2,
              "4 goroutines ran on one thread of %d", sched_num_threads());
    PT_END
}

/* ------------------------------------------------------------------ */
/* preemption: a goroutine that never blocks cannot starve main           */

static GorStatus forever(Gor *g, Fake *f)
{
    PT_BEGIN
    for (;;) {
        T_SAFEPOINT
    }
    PT_END
}

static GorStatus preempt_main(Gor *g, Fake *f)
{
    PT_BEGIN
    go_with(forever, NULL, NULL, NULL, 0);
    go_with(forever, NULL, NULL, NULL, 0);
    f->c[0] = chan_new(0);
    f->c[1] = chan_new(0);
    go_with(echo, f->c[0], f->c[1], NULL, 0);
    for (f->i = 0; f->i < 2000; f->i++) {
        T_SEND(f->c[0], INT_VAL(f->i));
        T_RECV(f->c[1]);
    }
    T_SLEEP(1000000);
    PT_END
}

/* ------------------------------------------------------------------ */
/* deadlock                                                               */

static GorStatus deadlock_main(Gor *g, Fake *f)
{
    PT_BEGIN
    f->c[0] = chan_new(0);
    T_RECV(f->c[0]);
    FAIL("received from nobody");
    PT_END
}

static GorStatus nil_sender(Gor *g, Fake *f)
{
    PT_BEGIN
    T_SEND(NULL, INT_VAL(1));
    PT_END
}

static GorStatus empty_select(Gor *g, Fake *f)
{
    PT_BEGIN
    T_SELECT(NULL, 0, false);
    PT_END
}

static GorStatus late_blocker(Gor *g, Fake *f)
{
    PT_BEGIN
    T_SLEEP(50000000);
    for (;;) {
        {
            SelectCase cs[2] = { { .chan = f->c[0], .is_send = true, .send_value = INT_VAL(1) },
                                 { .chan = f->c[1] } };
            memcpy(f->p, cs, sizeof cs);
        }
        T_SELECT((SelectCase *)f->p, 2, false);
        CHECK(f->out[0].as.i == 1 && f->out[1].as.i == 5, "late_blocker got case %lld",
              (long long)f->out[0].as.i);
    }
    PT_END
}

static GorStatus deadlock2_main(Gor *g, Fake *f)
{
    PT_BEGIN
    f->c[0] = chan_new(0);
    f->c[1] = chan_new(0);
    go_with(nil_sender, NULL, NULL, NULL, 0);
    go_with(empty_select, NULL, NULL, NULL, 0);
    {
        Gor *l = go_with(late_blocker, f->c[0], f->c[1], NULL, 0);
        FAKE(l)->p = calloc(2, sizeof(SelectCase));
    }
    T_SEND(f->c[1], INT_VAL(5));   /* late_blocker takes it after its sleep */
    f->c[2] = chan_new(0);
    T_RECV(f->c[2]);
    FAIL("received from nobody");
    PT_END
}

static GorStatus sleeping_main(Gor *g, Fake *f)
{
    PT_BEGIN
    T_SLEEP(30000000);             /* alone and asleep: not a deadlock */
    PT_END
}

/* ------------------------------------------------------------------ */
/* timers                                                                 */

static int64_t N_SLEEPERS = 100000;

static GorStatus sleeper(Gor *g, Fake *f)
{
    PT_BEGIN
    T_SLEEP(f->n);
    T_SEND(f->c[0], INT_VAL(1));
    PT_END
}

static GorStatus timers_main(Gor *g, Fake *f)
{
    static double start;
    PT_BEGIN
    start = now_s();
    f->c[0] = chan_new(1024);
    for (f->i = 0; f->i < N_SLEEPERS; f->i++)
        go_with(sleeper, f->c[0], NULL, NULL, 1000000 + (int64_t)rt_randn(50000000));
    for (f->i = 0; f->i < N_SLEEPERS; f->i++) {
        T_RECV(f->c[0]);
    }
    {
        double t = now_s() - start;
        CHECK(t >= 0.045 && t < 3.0, "%lld sleepers took %.3f s", (long long)N_SLEEPERS, t);
    }
    /* time.after */
    start = now_s();
    f->c[1] = chan_new(1);
    timer_start_chan(f->c[1], 20000000, 0);
    T_RECV(f->c[1]);
    CHECK(f->out[0].as.i > 1600000000000000000LL, "after sent %lld", (long long)f->out[0].as.i);
    CHECK(now_s() - start >= 0.019, "after fired early");
    /* time.tick */
    start = now_s();
    f->c[2] = chan_new(1);
    timer_start_chan(f->c[2], 5000000, 5000000);
    for (f->i = 0; f->i < 5; f->i++) {
        T_RECV(f->c[2]);
    }
    CHECK(now_s() - start >= 0.024, "ticks came early");
    PT_END
}

/* ------------------------------------------------------------------ */
/* output: one write per call, nothing lost at exit                       */

static GorStatus writer(Gor *g, Fake *f)
{
    PT_BEGIN
    for (f->i = 0; f->i < 1000; f->i++) {
        char line[128];
        int len = snprintf(line, sizeof line, "writer %03lld line %04lld %s\n", (long long)f->n,
                           (long long)f->i, "abcdefghijklmnopqrstuvwxyz0123456789");
        rt_write_stdout(line, (size_t)len);
        T_SAFEPOINT
    }
    T_SEND(f->c[0], INT_VAL(1));
    PT_END
}

static GorStatus output_main(Gor *g, Fake *f)
{
    PT_BEGIN
    f->c[0] = chan_new(0);
    for (f->i = 0; f->i < 50; f->i++)
        go_with(writer, f->c[0], NULL, NULL, f->i);
    for (f->i = 0; f->i < 50; f->i++) {
        T_RECV(f->c[0]);
    }
    PT_END
}

static bool check_output(const char *out, size_t len)
{
    size_t lines = 0;
    const char *p = out;
    while (p < out + len) {
        const char *nl = memchr(p, '\n', (size_t)(out + len - p));
        if (!nl)
            return false;
        if (nl - p != 57 || strncmp(p, "writer ", 7) != 0 || !strstr(p, "xyz0123456789"))
            return false;
        lines++;
        p = nl + 1;
    }
    return lines == 50 * 1000;
}

/* ------------------------------------------------------------------ */
/* SIGQUIT dump                                                           */

static GorStatus quit_main(Gor *g, Fake *f)
{
    PT_BEGIN
    f->c[0] = chan_new(0);
    go_with(close_waiter, f->c[0], f->c[0], NULL, 0);
    T_SLEEP(10000000);
    kill(getpid(), SIGQUIT);
    for (;;) {
        T_YIELD
    }
    PT_END
}

/* ------------------------------------------------------------------ */
/* the driver                                                             */

typedef struct Scenario {
    const char *name;
    FakeStep main;
    int status;                  /* expected exit status */
    const char *err1, *err2;     /* expected in stderr */
    bool check_stdout;
    bool once;                   /* only with the default threads (slow) */
} Scenario;

static const Scenario scenarios[] = {
    { "pingpong", pingpong_main, 0, NULL, NULL, false, false },
    { "fifo", fifo_main, 0, NULL, NULL, false, false },
    { "mpmc", mp_main, 0, NULL, NULL, false, false },
    { "close", close_main, 0, NULL, NULL, false, false },
    { "send_closed", send_closed_main, 2, "panic: send on closed channel", NULL, false, false },
    { "close_closed", close_closed_main, 2, "panic: close of closed channel", NULL, false, false },
    { "close_nil", close_nil_main, 2, "panic: close of nil channel", NULL, false, false },
    { "close_sender", close_sender_main, 2, "panic: send on closed channel", "goroutine 2 [running]", false, false },
    { "select", select_fair_main, 0, NULL, NULL, false, false },
    { "select_race", race_main, 0, NULL, NULL, false, false },
    { "parallel", parallel_main, 0, NULL, NULL, false, false },
    { "preempt", preempt_main, 0, NULL, NULL, false, false },
    { "deadlock", deadlock_main, 2,
      "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n", NULL,
      false, false },
    { "deadlock2", deadlock2_main, 2,
      "deadlock!\n\ngoroutine 1 [chan receive]:\n  fake at test.csp:1\n\n"
      "goroutine 2 [chan send (nil chan)]:\n  fake at test.csp:1\n  created by fake at test.csp:1\n\n"
      "goroutine 3 [select (no cases)]:",
      "goroutine 4 [select]:", false, false },
    { "sleeping", sleeping_main, 0, NULL, NULL, false, false },
    { "timers", timers_main, 0, NULL, NULL, false, false },
    { "output", output_main, 0, NULL, NULL, true, false },
    { "sigquit", quit_main, 2, "SIGQUIT: quit\n\ngoroutine 1 [", "goroutine 2 [chan receive]", false, false },
    { "million", million_main, 0, NULL, NULL, false, true },
};

static char *read_all_fd(int fd, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n == cap)
            buf = realloc(buf, cap *= 2);
        ssize_t r = read(fd, buf + n, cap - n);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf = realloc(buf, n + 1);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static bool run_one(const Scenario *sc, int threads, bool stress)
{
    int errpipe[2], outpipe[2];
    if (pipe(errpipe) != 0 || pipe(outpipe) != 0)
        return false;
    double start = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(errpipe[1], 2);
        dup2(outpipe[1], 1);
        close(errpipe[0]);
        close(outpipe[0]);
        if (stress)
            setenv("CSP_SCHEDSTRESS", "1", 1);
        alarm(60);
        sched_init(threads);
        sched_main(fake_new(sc->main));
    }
    close(errpipe[1]);
    close(outpipe[1]);
    /* Read both pipes without deadlocking on a full one: stdout first is
     * fine because stderr output is small. */
    size_t outlen, errlen;
    char *out = read_all_fd(outpipe[0], &outlen);
    char *err = read_all_fd(errpipe[0], &errlen);
    int status;
    waitpid(pid, &status, 0);
    close(errpipe[0]);
    close(outpipe[0]);
    double took = now_s() - start;
    const char *problem = NULL;
    char buf[128];
    if (WIFSIGNALED(status)) {
        snprintf(buf, sizeof buf, "killed by signal %d%s", WTERMSIG(status),
                 WTERMSIG(status) == SIGALRM ? " (hang)" : "");
        problem = buf;
    } else if (WEXITSTATUS(status) != sc->status) {
        snprintf(buf, sizeof buf, "exit status %d, want %d", WEXITSTATUS(status), sc->status);
        problem = buf;
    } else if (strstr(err, "Sanitizer")) {
        problem = "sanitizer report";
    } else if (sc->err1 && !strstr(err, sc->err1)) {
        problem = "stderr lacks the expected text";
    } else if (sc->err2 && !strstr(err, sc->err2)) {
        problem = "stderr lacks the expected text (2)";
    } else if (sc->check_stdout && !check_output(out, outlen)) {
        problem = "stdout lost or interleaved lines";
    }
    printf("%s %-13s threads=%d%s  %.3f s\n", problem ? "FAIL" : "ok  ", sc->name, threads,
           stress ? " stress" : "       ", took);
    if (problem) {
        printf("     %s\n", problem);
        printf("     stderr: %.2000s\n", err);
    } else if (!quick && errlen > 0 && sc->status == 0) {
        printf("%s", err);
    }
    fflush(stdout);
    free(out);
    free(err);
    return problem == NULL;
}

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-q") == 0) {
        quick = true;
        first = 2;
    }
    if (quick) {
        N_PINGPONG = 20000;
        N_MILLION = 100000;
        N_SLEEPERS = 10000;
        N_SPIN = 3000000;
    }
    int pass = 0, fail = 0;
    static const int thread_counts[] = { 1, 2, 8 };
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        const Scenario *sc = &scenarios[i];
        if (argc > first) {
            bool wanted = false;
            for (int a = first; a < argc; a++)
                wanted |= strcmp(argv[a], sc->name) == 0;
            if (!wanted)
                continue;
        }
        for (int t = 0; t < 3; t++) {
            if (sc->once && t != 1)
                continue;
            run_one(sc, thread_counts[t], false) ? pass++ : fail++;
        }
        if (!sc->once)
            run_one(sc, 2, true) ? pass++ : fail++;
    }
    printf("%d passed, %d failed\n", pass, fail);
    return fail ? 1 : 0;
}
