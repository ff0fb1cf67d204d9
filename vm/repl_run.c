/*
 * repl_run.c — running REPL inputs on the scheduler.
 *
 * The scheduler runs without a main goroutine (sched_set_hooks): its
 * workers run the goroutines started at the prompt while the REPL thread
 * reads lines. Each input runs in a goroutine of its own, the *input
 * goroutine*, and the REPL thread waits for it on a self-pipe that the
 * scheduler's hooks and the SIGINT handler write to.
 *
 * Share-nothing holds for the session too: its variables live in a heap
 * of the session's own (Session.heap). An input's closure, made there with
 * the session's boxes, is deep-copied into the input goroutine by gor_new;
 * when the input ends, the `ended` hook (on the input's worker, the owner
 * of its heap) copies the closure, hence every box, back into a fresh heap
 * that replaces the session's. The copies cost time in proportion to the
 * session's data, paid once per input.
 *
 * How an input ends (R.cur, guarded by R.lock, is the input running now;
 * whoever takes it off R.cur finishes the input, exactly once):
 *   - it returns or panics: the `ended` hook copies the session out and
 *     prints the panic report;
 *   - it deadlocks: the `asleep` hook finds every goroutine asleep and
 *     nothing pending while the input waits. Nothing runs then, so it
 *     copies the session out of the parked input, prints the deadlock
 *     report and abandons the goroutine (interrupted, so that it dies
 *     quietly if anything ever wakes it);
 *   - Ctrl-C: the input is interrupted (gor_interrupt: it panics
 *     `interrupted` at its next time slice or wake-up, and ends as above).
 *     When it has not ended after GRACE_MS, or at a second Ctrl-C, it is
 *     abandoned: the session keeps the variables as they were before the
 *     input, and the goroutine dies when it next wakes.
 * A panic in any other goroutine is reported and the REPL goes on;
 * os.exit in any goroutine ends the process (rt_exit_hook puts the
 * terminal back first: libedit may have it in its own mode).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/rtint.h"
#include "runtime/sched.h"
#include "vm/repl_int.h"
#include "vm/vm.h"

#define GRACE_MS 500             /* an interrupted input's time to unwind before it is abandoned */

/* An input goroutine (g->repl). Freed by the `ended` hook. */
typedef struct Input {
    Gor *g;
    ObjFunc *fn;                 /* its closure, in g's heap: the boxes as g sees them */
    bool interrupted;            /* Ctrl-C or deadlock: a later panic of g is not news */
} Input;

enum { IN_RUNNING, IN_DONE, IN_ASLEEP };

static struct {
    pthread_mutex_t lock;        /* guards everything here */
    Input *cur;                  /* the input running now; NULL when none */
    int state;                   /* an IN_* of the last input started */
    Heap out;                    /* the session copied out of the finished input */
    ObjFunc *out_fn;             /* its closure, in `out` */
} R = { .lock = PTHREAD_MUTEX_INITIALIZER };

int repl_wake_fd[2] = { -1, -1 };
volatile sig_atomic_t repl_sigint;

static void notify(void) {
    char c = 'x';
    ssize_t n = write(repl_wake_fd[1], &c, 1);
    (void)n;                     /* a full pipe has wake-ups pending already */
}

/* R.lock held, in taken off R.cur, its goroutine not running. */
static void copy_out(Input *in) {
    heap_init(&R.out);
    Value src = OBJ_VAL(VAL_FUNC, in->fn), dst;
    heap_copy_values(&R.out, &src, &dst, 1);
    R.out_fn = AS_FUNC(dst);
}

static void report_panic(Gor *g) {
    rt_flush_stdout();
    gor_report_panic(g, stderr);
    fflush(stderr);
}

static bool hook_ended(Gor *g, int status) {
    Input *in = g->repl;
    if (!in) {
        if (status == GOR_PANIC) report_panic(g);
        return true;
    }
    pthread_mutex_lock(&R.lock);
    bool current = R.cur == in;
    if (current) {
        R.cur = NULL;
        copy_out(in);
        if (status == GOR_PANIC) report_panic(g);
        R.state = IN_DONE;
    }
    pthread_mutex_unlock(&R.lock);
    if (current) notify();
    else if (status == GOR_PANIC && !in->interrupted) report_panic(g);
    free(in);
    return true;
}

static bool hook_asleep(void) {
    pthread_mutex_lock(&R.lock);
    Input *in = R.cur;
    if (in && sched_asleep()) {
        /* Nothing runs or can wake the input: its heap holds still. */
        R.cur = NULL;
        in->interrupted = true;
        gor_interrupt(in->g);
        copy_out(in);
        rt_flush_stdout();
        fputs("all goroutines are asleep - deadlock!\n\n", stderr);
        sched_dump_all(stderr);
        fflush(stderr);
        R.state = IN_ASLEEP;
        pthread_mutex_unlock(&R.lock);
        notify();
        return true;
    }
    pthread_mutex_unlock(&R.lock);
    return true;
}

static const SchedHooks hooks = { hook_ended, hook_asleep };

void repl_run_init(int threads) {
    if (pipe(repl_wake_fd) != 0) {
        perror("csp: pipe");
        exit(1);
    }
    for (int i = 0; i < 2; i++) {
        fcntl(repl_wake_fd[i], F_SETFL, fcntl(repl_wake_fd[i], F_GETFL) | O_NONBLOCK);
        fcntl(repl_wake_fd[i], F_SETFD, FD_CLOEXEC);
    }
    /* SIGINT is for the REPL thread: the workers (and the threads they
     * start) inherit a mask that blocks it. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    sched_set_hooks(&hooks);
    sched_init(threads);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drain(void) {
    char buf[64];
    while (read(repl_wake_fd[0], buf, sizeof buf) > 0) {
    }
}

/* The session's closure for p: its boxes, with new ones (nil) for the
 * names p introduced. */
static ObjFunc *session_closure(Session *s, Proto *p) {
    if (s->nboxnames > s->nboxes) {
        s->boxes = realloc(s->boxes, (size_t)s->nboxnames * sizeof *s->boxes);
        for (int i = s->nboxes; i < s->nboxnames; i++) s->boxes[i] = box_new(&s->heap, NIL_VAL);
        s->nboxes = s->nboxnames;
    }
    ObjFunc *f = func_new(&s->heap, p, (uint32_t)p->ncaps);
    for (int i = 0; i < p->ncaps; i++) f->boxes[i] = s->boxes[i];
    return f;
}

/* The session becomes the copy the input left in R.out. */
static void adopt(Session *s) {
    heap_free_all(&s->heap);
    s->heap = R.out;
    heap_init(&R.out);
    for (uint32_t i = 0; i < R.out_fn->nboxes && (int)i < s->nboxes; i++)
        s->boxes[i] = R.out_fn->boxes[i];
    R.out_fn = NULL;
}

void repl_run(Session *s, Proto *p) {
    ObjFunc *f = session_closure(s, p);
    Gor *g = gor_new(NULL, OBJ_VAL(VAL_FUNC, f), NULL, 0, NULL, 0);
    Input *in = calloc(1, sizeof *in);
    in->g = g;
    in->fn = AS_FUNC(g->stack[0]);
    g->repl = in;
    drain();
    repl_sigint = 0;
    pthread_mutex_lock(&R.lock);
    R.cur = in;
    R.state = IN_RUNNING;
    pthread_mutex_unlock(&R.lock);
    sched_ready(g);

    int64_t deadline = -1;       /* after a Ctrl-C: when to abandon the input */
    bool abandoned = false;
    for (;;) {
        int timeout = -1;
        if (deadline >= 0) {
            int64_t left = deadline - now_ms();
            timeout = left > 0 ? (int)left : 0;
        }
        struct pollfd pfd = { .fd = repl_wake_fd[0], .events = POLLIN };
        poll(&pfd, 1, timeout);
        drain();
        pthread_mutex_lock(&R.lock);
        if (R.state != IN_RUNNING) {
            pthread_mutex_unlock(&R.lock);
            break;
        }
        if (repl_sigint > 0) {
            /* The terminal echoed ^C: what follows starts a line. */
            fputc('\n', stderr);
            /* While R.cur is in, its goroutine lives. */
            if (deadline < 0) {
                in->interrupted = true;
                gor_interrupt(in->g);
                deadline = now_ms() + GRACE_MS;
            } else {
                deadline = 0;    /* a second Ctrl-C: do not wait */
            }
            repl_sigint = 0;
        }
        if (deadline >= 0 && now_ms() >= deadline) {
            R.cur = NULL;        /* the goroutine frees `in` when it ends */
            abandoned = true;
            pthread_mutex_unlock(&R.lock);
            break;
        }
        pthread_mutex_unlock(&R.lock);
    }
    if (abandoned) {
        rt_flush_stdout();
        fputs("interrupted\n", stderr);
    } else {
        adopt(s);
    }
    rt_flush_stdout();
}
