"""strings: join n words into one string (~10 MB for the default n), split
it again and count one word."""
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_300_000
    parts = []
    for i in range(n):
        parts.append("word" + str(i % 1000))
    s = " ".join(parts)
    words = s.split(" ")
    print(len(s), len(words), words.count("word42"))


if __name__ == "__main__":
    main()
