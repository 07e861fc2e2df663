"""A user's Python function as a workload: load its module, find the function, read the inputs.

The module is imported from its file under its own name (the file's stem), with its folder
appended to sys.path, so that the function and any class of the module pickle by reference
and a spawned pool worker imports the same file, as multiprocessing does for a script. Its
top level runs; what is under `if __name__ == "__main__":` does not.

Inputs (`inputs=SPEC`):
  * a Python literal list or tuple: "[10000, 20000, 30000]";
  * a file: a path ending in .json holds one JSON list; any other file holds one Python
    literal per line (blank lines and lines starting with # are skipped);
  * a name in the module: a list, tuple or other iterable is taken as it is, a callable is
    called with no arguments and what it returns (a list, a generator...) is taken.

`probe_main` is what the engine runs once before an experiment (see python_function.cpp):
it checks all of this and writes the inputs, pickled, for the engine to send as tasks.
Every problem is one line on stderr and exit status 2.
"""

import ast
import hashlib
import importlib.util
import json
import os
import pickle
import struct
import sys

from .params import InvalidArgument

PICKLE_PROTOCOL = 4  # every Python 3 the runner supports reads it


class UserCodeError(InvalidArgument):
    """The user's file, function or inputs cannot be used: one line that says why."""


def file_facts(path):
    """(size in bytes, sha256 hex) of the file."""
    with open(path, "rb") as f:
        data = f.read()
    return len(data), hashlib.sha256(data).hexdigest()


def _main_guarded_names(path):
    """Names defined under `if __name__ == "__main__":` in the file."""
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read(), path)
    except (SyntaxError, ValueError, OSError):
        return set()
    names = set()
    for node in tree.body:
        if not isinstance(node, ast.If):
            continue
        test = ast.dump(node.test)
        if "__name__" not in test or "__main__" not in test:
            continue
        for sub in ast.walk(node):
            if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(sub.name)
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.add(sub.id)
    return names


def load_module(path):
    """Imports the file as the module named by its stem (once per process)."""
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise UserCodeError("python: file %s does not exist" % path)
    if not path.endswith(".py"):
        raise UserCodeError("python: %s is not a Python file (.py)" % path)
    name = os.path.basename(path)[:-3]
    have = sys.modules.get(name)
    if have is not None:
        if os.path.abspath(getattr(have, "__file__", "") or "") == path:
            return have
        raise UserCodeError(
            "python: %s is named like the module '%s' that Python already has (%s): rename "
            "the file" % (path, name, getattr(have, "__file__", None) or "built in"))
    folder = os.path.dirname(path)
    try:
        other = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        other = None
    if other is not None and other.origin and os.path.abspath(other.origin) != path:
        raise UserCodeError(
            "python: %s is named like the module '%s' that Python already has (%s): a pool "
            "worker would import that one; rename the file" % (path, name, other.origin))
    if folder not in sys.path:
        sys.path.append(folder)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as e:
        del sys.modules[name]
        if isinstance(e, KeyboardInterrupt):
            raise
        raise UserCodeError("python: importing %s raised %s%s" % (
            path, _one_line(e), _where(e, path)))
    return module


def _one_line(e):
    text = ("%s: %s" % (type(e).__name__, e)).rstrip(": ")
    return " ".join(text.split())


def _where(e, path):
    """' (line N)' for the user's file's deepest frame in the traceback."""
    import traceback

    line = None
    for frame in traceback.extract_tb(e.__traceback__):
        if os.path.abspath(frame.filename) == path:
            line = frame.lineno
    if isinstance(e, SyntaxError) and e.lineno:
        line = e.lineno
    return " (line %d)" % line if line else ""


def find_function(module, name):
    path = module.__file__
    fn = getattr(module, name, None)
    if fn is None:
        if name in _main_guarded_names(path):
            raise UserCodeError(
                "python: %s is defined under `if __name__ == \"__main__\":` in %s, which does "
                "not run when the file is imported (as pool workers import it): move it to the "
                "top level" % (name, path))
        found = sorted(k for k, v in vars(module).items()
                       if callable(v) and not k.startswith("_")
                       and getattr(v, "__module__", None) == module.__name__)
        raise UserCodeError("python: %s has no function '%s' (it has: %s)" % (
            path, name, ", ".join(found) or "none"))
    if not callable(fn):
        raise UserCodeError("python: '%s' in %s is a %s, not a function" % (
            name, path, type(fn).__name__))
    return fn


def why_not_sendable(fn, name):
    """None, or why multiprocessing cannot send `fn` to a pool worker (it pickles functions by
    module and qualified name)."""
    qual = getattr(fn, "__qualname__", "")
    if getattr(fn, "__name__", "") == "<lambda>":
        return ("python: '%s' is a lambda, which multiprocessing cannot send to a worker "
                "process (it pickles functions by name): define it with def at the top level "
                "of the file" % name)
    if "<locals>" in qual:
        return ("python: '%s' is %s, a function defined inside another (a closure), which "
                "multiprocessing cannot send to a worker process: define it at the top level "
                "of the file" % (name, qual))
    try:
        back = pickle.loads(pickle.dumps(fn, PICKLE_PROTOCOL))
    except Exception as e:
        return ("python: '%s' cannot be sent to a worker process: pickling it raised %s" % (
            name, _one_line(e)))
    if back is not fn:
        return ("python: '%s' cannot be sent to a worker process: it pickles as %s.%s, which "
                "is another object" % (name, getattr(fn, "__module__", "?"), qual))
    return None


def resolve_inputs(module, spec):
    """The list of inputs that `spec` names (see the module's docstring)."""
    text = spec.strip()
    if not text:
        raise UserCodeError("python: parameter 'inputs' is required: a list such as "
                            "\"[1, 2, 3]\", a file of inputs, or a name in the module")
    if text[0] in "[(":
        try:
            values = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError) as e:
            raise UserCodeError("python: inputs %s is not a Python literal list: %s" % (
                _clip(text), _one_line(e)))
        if not isinstance(values, (list, tuple)):
            raise UserCodeError("python: inputs %s is a %s, not a list" % (
                _clip(text), type(values).__name__))
        return list(values)
    if text.isidentifier():
        if not hasattr(module, text):
            if os.path.exists(text):
                return _read_file(text)
            if text in _main_guarded_names(module.__file__):
                raise UserCodeError(
                    "python: inputs '%s' is set under `if __name__ == \"__main__\":` in %s, "
                    "which does not run when the file is imported: give the list itself, e.g. "
                    "-p inputs=\"[1, 2, 3]\"" % (text, module.__file__))
            raise UserCodeError("python: inputs '%s' is neither a file nor a name in %s" % (
                text, module.__file__))
        return _from_name(module, text)
    return _read_file(text)


def _clip(text, n=60):
    return text if len(text) <= n else text[:n] + "..."


def _from_name(module, name):
    obj = getattr(module, name)
    what = "%s in %s" % (name, module.__file__)
    if callable(obj):
        try:
            obj = obj()
        except Exception as e:
            raise UserCodeError("python: calling %s() for the inputs raised %s" % (
                what, _one_line(e)))
        what = "what %s() returned" % name
    if isinstance(obj, (str, bytes, dict)):
        raise UserCodeError("python: inputs %s is a %s; give a list of inputs" % (
            what, type(obj).__name__))
    try:
        return list(obj)
    except TypeError:
        raise UserCodeError("python: inputs %s is a %s, which is not iterable" % (
            what, type(obj).__name__))
    except Exception as e:
        raise UserCodeError("python: reading the inputs from %s raised %s" % (what, _one_line(e)))


def _read_file(path):
    if not os.path.isfile(path):
        raise UserCodeError("python: inputs file %s does not exist" % path)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise UserCodeError("python: inputs file %s cannot be read: %s" % (path, _one_line(e)))
    if path.endswith(".json"):
        try:
            values = json.loads(text)
        except ValueError as e:
            raise UserCodeError("python: inputs file %s is not JSON: %s" % (path, e))
        if not isinstance(values, list):
            raise UserCodeError("python: inputs file %s holds a JSON %s, not a list" % (
                path, type(values).__name__))
        return values
    values = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            values.append(ast.literal_eval(line))
        except (ValueError, SyntaxError, MemoryError, RecursionError) as e:
            raise UserCodeError("python: inputs file %s, line %d: %s is not a Python literal "
                                "(%s)" % (path, number, _clip(line), _one_line(e)))
    return values


def pickle_inputs(values):
    """Each input pickled: how it travels to the interpreter and its pool workers."""
    out = []
    for i, v in enumerate(values):
        try:
            out.append(pickle.dumps(v, PICKLE_PROTOCOL))
        except Exception as e:
            raise UserCodeError("python: input %d (a %s) cannot be pickled, and every input "
                                "travels to the interpreter as a pickle (as Pool.map sends "
                                "it): %s" % (i, type(v).__name__, _one_line(e)))
    return out


def probe_main(argv):
    """argv: file, function, inputs. Writes to stdout one JSON line (tasks, file size and
    sha256, why the function cannot go to a process or null), then each input's pickle as
    u32 length + bytes. Exit status 0, or 2 with one line on stderr."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # the module's own prints go to stderr, never into our answer
    try:
        path, name, spec = argv
        path = os.path.abspath(path)
        if not os.path.isfile(path):
            raise UserCodeError("python: file %s does not exist" % path)
        size, sha = file_facts(path)
        module = load_module(path)
        fn = find_function(module, name)
        values = resolve_inputs(module, spec)
        if not values:
            raise UserCodeError("python: inputs %s make no tasks (an empty list)" % _clip(spec))
        blobs = pickle_inputs(values)
        head = {"tasks": len(blobs), "file_bytes": size, "file_sha256": sha,
                "not_sendable": why_not_sendable(fn, name)}
        out.write(json.dumps(head).encode() + b"\n")
        for b in blobs:
            out.write(struct.pack("<I", len(b)) + b)
        out.flush()
    except UserCodeError as e:
        sys.stderr.write(" ".join(str(e).split()) + "\n")
        sys.stderr.flush()
        os._exit(2)
    except Exception as e:  # a bug of ours, or the module's exit: still one line
        sys.stderr.write("python: checking %s failed: %s\n" % (argv, _one_line(e)))
        sys.stderr.flush()
        os._exit(2)
    os._exit(0)
