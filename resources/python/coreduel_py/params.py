"""Workload parameters: a port of coreduel::ParamValues (core/workloads/params.cpp).

The engine sends every parameter as text, defaults filled in and already validated; the
standalone `check` command gets them from the command line, so the same declarations and
checks are applied here. Values are parsed the way the C++ parses them (std::from_chars for
integers, std::stod for numbers) so that both sides build the same tasks from the same text.
"""

import math
import re

INT, DOUBLE, INT_LIST, STRING, PATH = "int", "double", "int-list", "string", "path"

# std::from_chars(int64): an optional '-', then decimal digits; nothing else (no '+', no spaces).
_INT_RE = re.compile(r"-?[0-9]+\Z")
# std::stod: leading spaces, then a decimal or hexadecimal float. Python's float() accepts more
# ('1_000', trailing spaces), so the text is matched first.
_DOUBLE_RE = re.compile(
    r"[ \t\n\v\f\r]*[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    r"|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?)\Z"
)


class InvalidArgument(ValueError):
    """A parameter (or a combination of them) the workload cannot run with."""


class ParamSpec:
    __slots__ = ("name", "kind", "default", "min", "max")

    def __init__(self, name, kind, default, lo=0.0, hi=0.0):
        self.name, self.kind, self.default, self.min, self.max = name, kind, default, lo, hi


def _parse_int(text):
    if not _INT_RE.match(text):
        return None
    v = int(text)
    return v if -(2**63) <= v < 2**63 else None


def _parse_double(text):
    if not _DOUBLE_RE.match(text):
        return None
    t = text.strip()
    v = float.fromhex(t) if "x" in t.lower() else float(t)
    return v if math.isfinite(v) else None


def _split_list(text):
    # std::getline splitting: "a,b," gives ["a", "b", ""], "" gives [].
    return text.split(",") if text else []


def _format_number(v):
    if v == math.floor(v) and abs(v) < 1e18:
        return str(int(v))
    return "%g" % v


class ParamValues:
    """Every declared parameter as text (defaults filled in), with typed getters."""

    def __init__(self, workload, specs, given):
        self._workload = workload
        self._specs = {s.name: s for s in specs}
        for name in given:
            if name not in self._specs:
                allowed = ", ".join(s.name for s in specs) or "none"
                raise InvalidArgument(
                    "%s: unknown parameter '%s' (allowed: %s)" % (workload, name, allowed)
                )
        self._values = {}
        for s in specs:
            text = given.get(s.name, s.default)
            self._validate(s, text)
            self._values[s.name] = text

    def _validate(self, s, text):
        where = "%s: parameter '%s'" % (self._workload, s.name)
        span = "%s to %s" % (_format_number(s.min), _format_number(s.max))

        def check_range(v, shown):
            if v < s.min or v > s.max:
                raise InvalidArgument("%s must be from %s (got %s)" % (where, span, shown))

        if s.kind == INT:
            v = _parse_int(text)
            if v is None:
                raise InvalidArgument("%s must be an integer from %s (got '%s')" % (where, span, text))
            check_range(float(v), text)
        elif s.kind == DOUBLE:
            v = _parse_double(text)
            if v is None:
                raise InvalidArgument("%s must be a number from %s (got '%s')" % (where, span, text))
            check_range(v, text)
        elif s.kind == INT_LIST:
            parts = _split_list(text)
            if not parts:
                raise InvalidArgument("%s must be a comma-separated list of integers" % where)
            for p in parts:
                v = _parse_int(p)
                if v is None:
                    raise InvalidArgument(
                        "%s must be a comma-separated list of integers from %s (got '%s')"
                        % (where, span, p)
                    )
                check_range(float(v), p)

    def get_int(self, name):
        return _parse_int(self._values[name])

    def get_double(self, name):
        return _parse_double(self._values[name])

    def get_int_list(self, name):
        return [_parse_int(p) for p in _split_list(self._values[name])]

    def get_string(self, name):
        return self._values[name]

    def all(self):
        return dict(self._values)
