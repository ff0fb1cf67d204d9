/*
 * rt.h — small primitives shared by the runtime's files: a futex-based
 * lock, futex park/wake, a per-thread random generator, the monotonic
 * clock. Private to runtime/ and the stdlib modules that sit on it.
 */
#ifndef CSP_RT_H
#define CSP_RT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#define rt_cpu_relax() __builtin_ia32_pause()
#else
#define rt_cpu_relax() atomic_signal_fence(memory_order_seq_cst)
#endif

/* Sleeps while *addr == val (or until woken spuriously). */
void rt_futex_wait(_Atomic uint32_t *addr, uint32_t val);
/* Wakes up to n threads sleeping on addr. */
void rt_futex_wake(_Atomic uint32_t *addr, int n);

/* A mutex of one word: 0 free, 1 held, 2 held with sleepers. The
 * uncontended path is one compare-and-swap to lock and one exchange to
 * unlock; a contended locker spins briefly (critical sections in the
 * runtime are a few dozen instructions) and then sleeps on the futex, so a
 * lock holder that the OS preempted does not make others burn CPU. */
typedef struct RtLock {
    _Atomic uint32_t v;
} RtLock;

#define RT_LOCK_INIT { 0 }

void rt_lock_slow(RtLock *l);

static inline void rt_lock(RtLock *l)
{
    uint32_t c = 0;
    if (__builtin_expect(atomic_compare_exchange_strong_explicit(
            &l->v, &c, 1, memory_order_acquire, memory_order_relaxed), 1))
        return;
    rt_lock_slow(l);
}

static inline bool rt_trylock(RtLock *l)
{
    uint32_t c = 0;
    return atomic_compare_exchange_strong_explicit(&l->v, &c, 1, memory_order_acquire,
                                                   memory_order_relaxed);
}

static inline void rt_unlock(RtLock *l)
{
    if (__builtin_expect(atomic_exchange_explicit(&l->v, 0, memory_order_release) == 2, 0))
        rt_futex_wake(&l->v, 1);
}

/* The channel lock: a spinlock whose unlock is a plain store, so a lock
 * and unlock pair costs one atomic read-modify-write instead of two (a
 * quarter of the cost of a buffered send). Only for critical sections of
 * a few dozen instructions that never block or wake anyone.
 * A contended locker spins a little, then yields its CPU, so that a
 * holder the OS preempted (more workers than cores) gets to finish. */
typedef struct RtSpin {
    _Atomic uint32_t v;          /* 0 free, 1 held */
} RtSpin;
void rt_spin_slow(RtSpin *l);
static inline void rt_spin_lock(RtSpin *l)
{
    if (__builtin_expect(!atomic_exchange_explicit(&l->v, 1, memory_order_acquire), 1))
        return;
    rt_spin_slow(l);
}
static inline void rt_spin_unlock(RtSpin *l)
{
    atomic_store_explicit(&l->v, 0, memory_order_release);
}

/* Monotonic clock in nanoseconds (for timers) and wall clock (time.now). */
static inline int64_t rt_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int64_t rt_wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A fast per-thread random number (xorshift64*), seeded per thread. */
uint64_t rt_rand(void);
/* Uniform in [0, n), n > 0. */
static inline uint32_t rt_randn(uint32_t n)
{
    return (uint32_t)(((rt_rand() >> 32) * (uint64_t)n) >> 32);
}

#endif
