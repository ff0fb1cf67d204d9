"""ring: 503 asyncio tasks in a ring pass a token n times; prints the id
(1..503) of the task that receives it last."""
import asyncio
import sys

WORKERS = 503


async def worker(ident, inq, out, done):
    while True:
        t = await inq.get()
        if t == 0:
            await done.put(ident)
            return
        await out.put(t - 1)


async def main(n):
    done = asyncio.Queue(1)
    first = asyncio.Queue(1)
    inq = first
    tasks = []
    for ident in range(1, WORKERS + 1):
        out = asyncio.Queue(1) if ident < WORKERS else first
        tasks.append(asyncio.create_task(worker(ident, inq, out, done)))
        inq = out
    await first.put(n)
    print(await done.get())


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000))
