"""The same work as factorial_pool.py on a thread pool: the GIL lets one thread compute at a time."""
import math
import sys
from multiprocessing.pool import ThreadPool


def digits(n):
    s = str(math.factorial(n))
    return n, len(s), sum(map(int, s))


if __name__ == "__main__":
    sys.set_int_max_str_digits(0) if hasattr(sys, "set_int_max_str_digits") else None
    # Optional: the values as one comma-separated argument (the lessons' quick size).
    values = [int(v) for v in sys.argv[1].split(",")] if len(sys.argv) > 1 else [10000, 20000, 30000, 40000, 50000]
    with ThreadPool() as pool:
        for n, count, total in pool.map(digits, values):
            print(f"{n}!: {count} digits, digit sum {total}")
