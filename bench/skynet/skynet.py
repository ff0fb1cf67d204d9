"""skynet: a 10-ary tree of asyncio tasks with n leaves; each inner node
gathers and sums its children's results."""
import asyncio
import sys


async def skynet(num, size, div):
    if size == 1:
        return num
    sub = size // div
    results = await asyncio.gather(
        *(skynet(num + i * sub, sub, div) for i in range(div)))
    return sum(results)


async def main(n):
    print(await skynet(0, n, 10))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
