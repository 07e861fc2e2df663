#!/usr/bin/env python3
"""The ported workloads against checksums printed by the C++ engine
(`coreduel-cli run -w W -m sequential -p ... --json`, runs[0].checksum), plus the codec and
protocol round trips. Standard library only: python3 -m unittest discover -s tests
"""

import multiprocessing
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from coreduel_py import codec, protocol, workloads  # noqa: E402
from coreduel_py.checksum import Checksum  # noqa: E402

# (workload, params, checksum from coreduel-cli 2026-05, summary it printed)
ENGINE = [
    ("primes", {"end": "200000"}, "a0e19a4fca9497af", "17984 primes in [0, 200000)"),
    ("primes", {"start": "1000003", "end": "1100000", "tasks": "37"}, "e690d2f82c34801b", None),
    ("primes", {"start": "5", "end": "12", "tasks": "7"}, "c21d94f5b224d440", "3 primes in [5, 12)"),
    ("primes", {"start": "100", "end": "300000", "tasks": "1000"}, "3be3910567a445ee", None),
    ("mandelbrot", {"width": "40", "height": "30", "max_iter": "100"}, "f5f26732c642043b",
     "40x30 pixels, 30586 iterations in total"),
    ("mandelbrot", {"width": "1", "height": "1", "max_iter": "1"}, "ba0da463d963558a", None),
    ("mandelbrot", {"width": "7", "height": "3", "max_iter": "5000"}, "8d50c679d86494c5", None),
    ("factorial", {"values": "0,1,2,3,20,21,100,4300,5000"}, "f2a8313e3b9715b6", None),
    ("square", {"count": "1000"}, "db35bc8f15eefc9e", None),
    ("square", {"count": "1"}, "7191fe80a34ae061", None),
    ("sleep", {"tasks": "3", "ms": "0.3333333"}, "5538fbcb22450180", None),
    ("sleep", {"tasks": "2", "ms": "0"}, "a5c0e21ca828572e", None),
    ("fileio", {"tasks": "3", "kib": "4"}, "d2eb4771aea9e7fb", None),
    ("fileio", {"tasks": "3", "kib": "1"}, "8bea38854938cc6d", None),
    ("amdahl", {"units": "2", "serial": "25", "tasks": "1"}, "f038a49773ca53ce", None),
    ("amdahl", {"units": "3", "serial": "50", "tasks": "1"}, "f038a49773ca53ce", None),
    ("amdahl", {"units": "5", "serial": "10", "tasks": "2"}, "e73f2a404eca3d42", None),
    ("counter", {"tasks": "3", "increments": "7", "mode": "unlocked"}, "3777f1147746360b", None),
    ("counter", {"tasks": "3", "increments": "7", "mode": "locked"}, "3777f1147746360b", None),
    ("counter", {"tasks": "3", "increments": "7", "mode": "shared-memory"}, "3777f1147746360b", None),
    ("fault", {"mode": "none"}, "205be864a7e7c42e", "8 tasks, none failed"),
    ("fault", {"mode": "none", "tasks": "20", "task": "19", "work_ms": "0"}, "7568ffbe93fe508d", None),
    # The probe's delays are moved out before the checksum (take_measurements), as the engine does.
    ("convoy", {"pings": "5", "every_ms": "1", "end": "20000", "tasks": "4"}, "5593e0b470a3b708",
     "5 pings answered beside 2262 primes in [0, 20000)"),
]


def run_sequential(name, params):
    w = workloads.create(name, params)
    w.prepare()
    try:
        w.shared_state(multiprocessing.get_context("fork"))
        w.begin_run("sequential")
        w.serial_part(lambda: False)
        results = [w.compute(w.encode_task(i)) for i in range(w.task_count())]
    finally:
        w.cleanup()
    w.take_measurements(results)
    c = Checksum()
    for r in results:
        c.add_bytes(r)
    return c.hex(), w.summarize(results)


class EngineChecksums(unittest.TestCase):
    def test_all(self):
        for name, params, want, summary in ENGINE:
            with self.subTest(workload=name, params=params):
                got, text = run_sequential(name, params)
                self.assertEqual(got, want)
                if summary is not None:
                    self.assertEqual(text, summary)


class ChecksumSpans(unittest.TestCase):
    def reference(self, data):
        # The C++ loop, byte by byte.
        c = Checksum()
        c.add(len(data))
        word, n = 0, 0
        for b in data:
            word = ((word << 8) | b) & 0xFFFFFFFFFFFFFFFF
            n += 1
            if n == 8:
                c.add(word)
                word, n = 0, 0
        if n:
            c.add(word)
        return c.value()

    def test_add_bytes_matches_byte_loop(self):
        for size in (0, 1, 7, 8, 9, 15, 16, 17, 1000, 4099):
            data = bytes((i * 37 + size) & 0xFF for i in range(size))
            c = Checksum()
            c.add_bytes(data)
            self.assertEqual(c.value(), self.reference(data), size)


class Codec(unittest.TestCase):
    def test_round_trip(self):
        data = codec.ByteWriter().u8(7).u32(2**32 - 1).u64(-1).i64(-5).f64(0.1).str("päth").take()
        r = codec.ByteReader(data)
        self.assertEqual((r.u8(), r.u32(), r.u64(), r.i64(), r.f64(), r.str()),
                         (7, 2**32 - 1, 2**64 - 1, -5, 0.1, "päth"))
        self.assertTrue(r.at_end())
        with self.assertRaises(codec.DecodeError):
            r.u32()


class Frames(unittest.TestCase):
    def test_result_round_trip(self):
        f = protocol.result(5, 1, 123, 456, 10, 20, 7, 21, b"abc")
        self.assertEqual(f[4], protocol.RESULT)
        self.assertEqual(int.from_bytes(f[:4], "little"), len(f) - 4)
        self.assertEqual(protocol.decode_result(f[5:]), (5, 1, 123, 456, 10, 20, 7, 21, b"abc"))

    def test_hello_json_without_json_module(self):
        import json

        info = {"a": 'q"\\\n\x01é😀', "b": [1, 2.5, None, True, False], "c": {}}
        self.assertEqual(json.loads(protocol._plain_json(info)), info)


if __name__ == "__main__":
    unittest.main()
