"""The same waits on worker processes: they scale too, but pay start-up and memory for nothing."""
import time
from multiprocessing import Pool


def wait(i):
    time.sleep(0.05)
    return i


if __name__ == "__main__":
    with Pool(8) as pool:
        print(sum(pool.map(wait, range(32))))
