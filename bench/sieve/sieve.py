"""sieve: the concurrent prime sieve, a chain of filter tasks joined by
queues of size 1; prints the n-th prime."""
import asyncio
import itertools
import sys


async def generate(ch):
    for i in itertools.count(2):
        await ch.put(i)


async def filter_(inq, out, prime):
    while True:
        i = await inq.get()
        if i % prime != 0:
            await out.put(i)


async def main(n):
    tasks = []
    ch = asyncio.Queue(1)
    tasks.append(asyncio.create_task(generate(ch)))
    prime = 0
    for _ in range(n):
        prime = await ch.get()
        ch1 = asyncio.Queue(1)
        tasks.append(asyncio.create_task(filter_(ch, ch1, prime)))
        ch = ch1
    print(prime)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000))
