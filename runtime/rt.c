/*
 * rt.c — futex, the runtime lock's slow path, per-thread random numbers.
 */
#include "runtime/rt.h"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

void rt_futex_wait(_Atomic uint32_t *addr, uint32_t val)
{
    syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

void rt_futex_wake(_Atomic uint32_t *addr, int n)
{
    syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

/* Contended lock: spin a little while the word looks free, then mark it
 * "held with sleepers" (2) and sleep until an unlock wakes us. Whoever
 * takes the lock through the exchange leaves it at 2, so its unlock wakes
 * the next sleeper: no wake-up is lost. */
void rt_lock_slow(RtLock *l)
{
    for (int i = 0; i < 64; i++) {
        rt_cpu_relax();
        uint32_t c = 0;
        if (atomic_load_explicit(&l->v, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_weak_explicit(&l->v, &c, 1, memory_order_acquire,
                                                  memory_order_relaxed))
            return;
    }
    while (atomic_exchange_explicit(&l->v, 2, memory_order_acquire) != 0)
        rt_futex_wait(&l->v, 2);
}

static _Thread_local uint64_t rng_state;
static _Atomic uint64_t rng_seed_counter = 0x9e3779b97f4a7c15ull;

uint64_t rt_rand(void)
{
    uint64_t x = rng_state;
    if (__builtin_expect(x == 0, 0)) {
        /* Seed from the clock and a per-thread counter: distinct per thread. */
        x = (uint64_t)rt_mono_ns() ^
            atomic_fetch_add_explicit(&rng_seed_counter, 0x9e3779b97f4a7c15ull,
                                      memory_order_relaxed);
        if (x == 0)
            x = 1;
    }
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dull;
}

/* Contended spinlock: wait (reading only, so the line stays shared) until
 * it looks free, pausing first and then yielding, and try again. */
void rt_spin_slow(RtSpin *l)
{
    for (int i = 0;; i++) {
        while (atomic_load_explicit(&l->v, memory_order_relaxed)) {
            if (i++ < 200)
                rt_cpu_relax();
            else
                sched_yield();
        }
        if (!atomic_exchange_explicit(&l->v, 1, memory_order_acquire))
            return;
    }
}
