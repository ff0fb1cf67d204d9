"""parallel: four fib(n) (or the third argument's number) computed in a
process pool (threads would share the GIL). The second argument is the
number of worker processes, by default the CPUs this process may use; the
harness runs it with 1 and with all."""
import os
import sys
from concurrent.futures import ProcessPoolExecutor


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    workers = (int(sys.argv[2]) if len(sys.argv) > 2
               else len(os.sched_getaffinity(0)))
    tasks = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    with ProcessPoolExecutor(workers) as pool:
        print(sum(pool.map(fib, [n] * tasks)))


if __name__ == "__main__":
    main()
