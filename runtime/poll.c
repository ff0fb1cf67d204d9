/*
 * poll.c — the poller thread: one epoll instance watching every socket
 * (edge-triggered) and a timerfd armed for the earliest timer.
 *
 * The thread is started on first use. It never runs goroutines: when a
 * descriptor becomes ready it calls the descriptor's callback, which does
 * the waiting goroutine's system call and readies the goroutine through the
 * global queue (stdlib/net.c); when the timerfd fires it runs the due
 * timers (timer.c). With nothing to do it sleeps in epoll_wait, so an idle
 * program burns no CPU.
 */
#include <errno.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "runtime/rt.h"
#include "runtime/rtint.h"

static int epfd = -1;
static int tfd = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void timer_event(PollSource *src, uint32_t events)
{
    (void)src;
    (void)events;
    uint64_t expirations;
    while (read(tfd, &expirations, sizeof expirations) < 0 && errno == EINTR)
        ;
    timer_run_due();
}

static PollSource timer_source = { timer_event };

/* Sources released while the poller may still hold them from a fetched
 * batch: freed after the batch (see poll_defer_free). */
static RtLock grave_lock;
static void **graveyard;
static size_t ngrave, capgrave;

void poll_defer_free(void *p)
{
    rt_lock(&grave_lock);
    if (ngrave == capgrave) {
        size_t cap = capgrave ? capgrave * 2 : 16;
        void **g = realloc(graveyard, cap * sizeof *g);
        if (!g) {
            rt_unlock(&grave_lock);
            return;                /* leak rather than risk a use after free */
        }
        graveyard = g;
        capgrave = cap;
    }
    graveyard[ngrave++] = p;
    rt_unlock(&grave_lock);
}

static void reap(void)
{
    rt_lock(&grave_lock);
    for (size_t i = 0; i < ngrave; i++)
        free(graveyard[i]);
    ngrave = 0;
    rt_unlock(&grave_lock);
}

static void *poller_main(void *arg)
{
    (void)arg;
    struct epoll_event evs[128];
    for (;;) {
        int n = epoll_wait(epfd, evs, 128, -1);
        for (int i = 0; i < n; i++) {
            PollSource *src = evs[i].data.ptr;
            src->event(src, evs[i].events);
        }
        /* A source in the graveyard left epoll before it got there, so
         * no later batch names it, and this batch is done with it. */
        reap();
    }
    return NULL;
}

static void start(void)
{
    epfd = epoll_create1(EPOLL_CLOEXEC);
    tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (epfd < 0 || tfd < 0) {
        perror("fatal error: epoll");
        _exit(2);
    }
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &timer_source };
    epoll_ctl(epfd, EPOLL_CTL_ADD, tfd, &ev);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, poller_main, NULL) != 0) {
        fputs("fatal error: cannot create poller thread\n", stderr);
        _exit(2);
    }
    pthread_attr_destroy(&attr);
}

void poll_arm_timer(int64_t deadline)
{
    pthread_once(&once, start);
    if (deadline <= 0)
        deadline = 1;              /* 0 would disarm */
    struct itimerspec its = { .it_value = { .tv_sec = deadline / 1000000000,
                                            .tv_nsec = deadline % 1000000000 } };
    timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

int poll_add(int fd, PollSource *src)
{
    pthread_once(&once, start);
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                              .data.ptr = src };
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

void poll_del(int fd)
{
    if (epfd >= 0)
        epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}
