"""loop: a counted loop summing i % 7; measures the bare interpreter loop."""
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000_000
    total = 0
    for i in range(n):
        total += i % 7
    print(total)


if __name__ == "__main__":
    main()
