"""pingpong: n round trips between two asyncio tasks. asyncio has no
unbuffered channel; a queue of size 1 per direction is the closest."""
import asyncio
import sys


async def ponger(ping, pong):
    while (v := await ping.get()) is not None:
        await pong.put(v + 1)


async def main(n):
    ping, pong = asyncio.Queue(1), asyncio.Queue(1)
    task = asyncio.create_task(ponger(ping, pong))
    total = 0
    for i in range(n):
        await ping.put(i)
        total += await pong.get()
    await ping.put(None)
    await task
    print(total)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
