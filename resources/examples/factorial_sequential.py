"""The same work as factorial_pool.py with no pool at all: the baseline for the speedups."""
import math
import sys


def digits(n):
    s = str(math.factorial(n))
    return n, len(s), sum(map(int, s))


if __name__ == "__main__":
    sys.set_int_max_str_digits(0) if hasattr(sys, "set_int_max_str_digits") else None
    # Optional: the values as one comma-separated argument (the lessons' quick size).
    values = [int(v) for v in sys.argv[1].split(",")] if len(sys.argv) > 1 else [10000, 20000, 30000, 40000, 50000]
    for n, count, total in map(digits, values):
        print(f"{n}!: {count} digits, digit sum {total}")
