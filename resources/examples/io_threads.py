"""I/O-bound work on threads: each task waits 50 ms (like a network call); the GIL is released."""
import time
from concurrent.futures import ThreadPoolExecutor


def wait(i):
    time.sleep(0.05)
    return i


if __name__ == "__main__":
    with ThreadPoolExecutor(max_workers=8) as ex:
        print(sum(ex.map(wait, range(32))))
