"""The guide's example: math.factorial over a list with multiprocessing.Pool.map.

Run it under CoreDuel to see processes use every core:
    coreduel-cli profile -r 3 -- python3 factorial_pool.py --vs -- python3 factorial_threadpool.py
"""
import math
import multiprocessing
import sys


def digits(n):
    # Like CoreDuel's factorial workload: the value is checked by its digit count and digit sum.
    s = str(math.factorial(n))
    return n, len(s), sum(map(int, s))


if __name__ == "__main__":
    sys.set_int_max_str_digits(0) if hasattr(sys, "set_int_max_str_digits") else None
    # Optional: the values as one comma-separated argument (the lessons' quick size).
    values = [int(v) for v in sys.argv[1].split(",")] if len(sys.argv) > 1 else [10000, 20000, 30000, 40000, 50000]
    with multiprocessing.Pool() as pool:
        for n, count, total in pool.map(digits, values):
            print(f"{n}!: {count} digits, digit sum {total}")
