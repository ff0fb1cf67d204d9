"""maps: n int keys inserted then summed; n/5 string keys counted twice."""
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    m = {}
    for i in range(n):
        m[i] = i
    total = 0
    for v in m.values():
        total += v

    counts = {}
    for _ in range(2):
        for i in range(n // 5):
            k = "k" + str(i)
            counts[k] = counts.get(k, 0) + 1
    print(total, len(counts), sum(counts.values()))


if __name__ == "__main__":
    main()
