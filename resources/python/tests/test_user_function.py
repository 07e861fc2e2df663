#!/usr/bin/env python3
"""The python workload's runtime side: the canonical digest (a table of known values, which
must come out the same under every interpreter) and how a user's module, function and inputs
are read. Standard library only; run by ctest (python_function_unit) and by hand:
    python3 -m unittest discover -s resources/python/tests -p test_user_function.py
Any interpreter from 3.6 on gives the same digests (run this file with each);
python_function_test.cpp checks a whole run's checksum under COREDUEL_TEST_PYTHONS too.
"""

import os
import pickle
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from coreduel_py import digest, user_function  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests",
                        "fixtures", "python_function")

# (the value as Python source, its digest): frozen, never to be regenerated. A change here means
# that results recorded before can no longer be compared with new ones.
KNOWN = [
    ('None', "8ce86a6ae65d3692e7305e2c58ac62eebd97d3d943e093f577da25c36988246b"),
    ('True', "e632b7095b0bf32c260fa4c539e9fd7b852d0de454e9be26f24d0d6f91d069d3"),
    ('False', "f67ab10ad4e4c53121b6a5fe4da9c10ddee905b978d3788d2723d7bfacbe28a9"),
    ('0', "24f20dbb8de53c0833c89b542b4aab6f6a7bbb73f1de3aacccf226a806741a1e"),
    ('1', "44ebd1bf5a7f0d80ea9f34890b0de4cd4550413c8bb9067011c5be0872b13705"),
    ('-1', "e0b4c39d32e7c9a6b4ba764b42d4d22314210dd25de03c4def5243ee629cd154"),
    ('255', "097e282856316e64d71d2c4c0ea19a3afbfa39b9311454d3f3d9a093bb6f0c3c"),
    ('256', "983768d8aa8fab7c057a61df5e2be42470813c6de1a2a902ce5f494c1bbebe36"),
    ('2**64', "382a4b70d60392707574b0d2034ed028315f1fe1992eda816d78e4e3788a4923"),
    ('-(2**70)', "47d71ba45530f3b797f8524f6f637ca56ca38cee6643f4300dbc9a7721ce7546"),
    ('0.1', "bac2c1b22ae6f95b5c059b7c009ccd020d3183f1efca409cab14f9149ff5e7b7"),
    ('-0.0', "f947e89c7178117fe2699c3520a091366985ed237b29698631ecf5a71c69314b"),
    ("float('inf')", "77acdddf24413450b0680b2b1a545696fc90e78bdca265166a57d34c3c1c39c0"),
    ("float('nan')", "1648c1484df653c39bc889233a5ca1bc7064f52a8c5c263f36bbe78950208f95"),
    ('1+2j', "acb77b48bead66f351d9e6cd9484aeb82ab15beaaa908e9a79fa818ac0f2c576"),
    ("''", "76ca65fa532efea2d73e4cb2775f96cfb650d5c8c9dbb78594a01f4cf8bb3bfe"),
    ("'h\\xe9llo'", "405b3ed3f540e228f6358fcb87709553aa473c316dd90b38cb4b424da3ea3f37"),
    ("'\\udcff'", "fd6e66531ee5ed883d46a521439ec15f679890b1dd46473fca7141cb5afb62cc"),
    ("b''", "899b80c8dc11d5c2a65d67a4c3b6f3bebd2a1e990a9f79ac3d3c380533bb7c08"),
    ("b'\\x00\\xff'", "fbc3f7aff29fa2899d772c7405432058630ff59650d4eeeda67e2b6192f4201a"),
    ("bytearray(b'ab')", "0f722ba11bf19ee72b21044e614da8dc07af99e4d3be54d40718d7c4a36f09bb"),
    ('()', "036464a71961a53a6a8204a971fb78743a38723d0f00e5e2ab3c84ce38457290"),
    ('[]', "63d63c64950f7d33cf10e33ecc46a9d76de68153d6c143b450c94aeb1c59479c"),
    ('(1,)', "fb65666b516cf393014273146b8e83743a50defba958dafa23d1daccbf3c4cbb"),
    ('[1, [2, (3,)]]', "70772bbc4878170ee945c66b549d0c06c6d2dd9d145c2c35142fed761caa3e15"),
    ('{}', "5a3590fbe3ffbfe0a65167de3111dcd0cde5e8025d0fc5db3aec6ee0f4cedcfb"),
    ("{'b': 1, 'a': 2}", "20cb36e3f021f00f9d48bcd131d8a151274d577ce99df8f7a3ab39415dde7158"),
    ("{2: 'x', 'a': None}", "0221ddd9e9305e565942791d18d98edff27f716db202c4efe4b9bb297d9abf25"),
    ('{1, 2, 3}', "81849da4e8a5e983b525a3fa7b47bc4eae9f072822da78fd9e370ae4d76ae33d"),
    ('frozenset()', "621fa5ae7c7175722ebd90f9606b313d322286877f18371bf3ceccff63ab7676"),
    ("[1, 1.0, True, '1', b'1']", "b757e11597626447f43ba937959fb28f51bbd24f1767f287ef07728506ac3c6d"),
]


class DigestTest(unittest.TestCase):
    def test_known_digests(self):
        for source, expected in KNOWN:
            with self.subTest(value=source):
                self.assertEqual(digest.digest(eval(source)).hex(), expected)

    def test_equal_values_equal_digests(self):
        a = {"x": [1, 2.5, "s"], "y": (None, b"b")}
        b = {"y": (None, b"b"), "x": [1, 2.5, "s"]}  # another insertion order
        self.assertEqual(digest.digest(a), digest.digest(b))
        self.assertEqual(digest.digest({3, 1, 2}), digest.digest({2, 3, 1}))
        self.assertEqual(digest.digest(bytearray(b"ab")), digest.digest(b"ab"))
        self.assertEqual(digest.digest(10 ** 5000), digest.digest(pow(10, 5000)))  # no str(): past 4300 digits it fails

    def test_types_are_kept_apart(self):
        values = [1, 1.0, True, "1", b"1", (1,), [1], {1}, {1: None}, 1 + 0j]
        self.assertEqual(len({digest.digest(v) for v in values}), len(values))
        self.assertNotEqual(digest.digest([1, 2]), digest.digest([[1], 2]))
        self.assertNotEqual(digest.digest(["ab", "c"]), digest.digest(["a", "bc"]))

    def test_subclasses_encode_as_their_base(self):
        import collections
        import enum

        class Colour(enum.IntEnum):
            RED = 1

        Point = collections.namedtuple("Point", "x y")
        self.assertEqual(digest.digest(Colour.RED), digest.digest(1))
        self.assertEqual(digest.digest(Point(1, 2)), digest.digest((1, 2)))

    def test_unknown_types_are_named(self):
        with self.assertRaises(digest.CanonicalError) as c:
            digest.digest({"a": [1, object()]})
        self.assertIn("the result['a'][1] is of type object", str(c.exception))
        cyclic = []
        cyclic.append(cyclic)
        with self.assertRaises(digest.CanonicalError) as c:
            digest.digest(cyclic)
        self.assertIn("refers to itself", str(c.exception))


class UserFunctionTest(unittest.TestCase):
    def setUp(self):
        self.path = os.path.abspath(os.path.join(FIXTURES, "user_code.py"))
        self.module = user_function.load_module(self.path)

    def test_inputs_from_literal_file_and_name(self):
        r = user_function.resolve_inputs
        self.assertEqual(r(self.module, "[1, (2, 'x')]"), [1, (2, "x")])
        self.assertEqual(r(self.module, "INPUTS"), [4, 5, 6])
        self.assertEqual(r(self.module, "make_inputs"), [3, 6, 9, 12, 15, 18])
        self.assertEqual(r(self.module, os.path.join(FIXTURES, "inputs.txt")), [1, (2, "two"), [3]])
        self.assertEqual(r(self.module, os.path.join(FIXTURES, "inputs.json")), [1, 2, 3, 4])
        for bad in ("[1, 2", "nothing_like_this", os.path.join(FIXTURES, "bad_inputs.txt"), "{1: 2}"):
            with self.subTest(spec=bad), self.assertRaises(user_function.UserCodeError):
                r(self.module, bad)

    def test_functions_that_cannot_go_to_a_process(self):
        why = user_function.why_not_sendable
        self.assertIsNone(why(self.module.square, "square"))
        self.assertIn("is a lambda", why(self.module.triple, "triple"))
        self.assertIn("closure", why(self.module.add_two, "add_two"))
        with self.assertRaises(user_function.UserCodeError) as c:
            user_function.find_function(self.module, "guarded")
        self.assertIn('__name__ == "__main__"', str(c.exception))

    def test_unpicklable_inputs_are_named(self):
        with self.assertRaises(user_function.UserCodeError) as c:
            user_function.pickle_inputs(self.module.UNPICKLABLE)
        self.assertIn("input 1 (a lock) cannot be pickled", str(c.exception))
        self.assertEqual(pickle.loads(user_function.pickle_inputs([7])[0]), 7)


if __name__ == "__main__":
    unittest.main()
