"""spawn_memory: n asyncio tasks, each blocked on a queue that never gets a
value; the harness reads the peak RSS. Prints how many tasks are alive."""
import asyncio
import sys


async def waiter(ready, block):
    await ready.put(True)
    await block.get()


async def main(n):
    ready, block = asyncio.Queue(1), asyncio.Queue(1)
    tasks = [asyncio.create_task(waiter(ready, block)) for _ in range(n)]
    for _ in range(n):
        await ready.get()
    print(len(asyncio.all_tasks()) - 1)
    # Cancel in the order the tasks blocked: each then leaves the front of
    # the queue's waiter list, where asyncio.run's own clean-up (any order)
    # would make the shutdown quadratic.
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
