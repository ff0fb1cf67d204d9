"""stream: n ints from a producer task to a consumer through a queue of
size 128; None marks the end."""
import asyncio
import sys


async def produce(ch, n):
    for i in range(n):
        await ch.put(i)
    await ch.put(None)


async def main(n):
    ch = asyncio.Queue(128)
    producer = asyncio.create_task(produce(ch, n))
    total = 0
    while (v := await ch.get()) is not None:
        total += v
    await producer
    print(total)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000))
