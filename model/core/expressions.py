"""Whitelisted arithmetic of named parameters: numbers, names, + - * /, parentheses, min, max.

Grammar (recursive descent, bounded length and depth; never ``eval``)::

    expr  := term (("+" | "-") term)*
    term  := unary (("*" | "/") unary)*
    unary := ("-" | "+") unary | atom
    atom  := NUMBER | NAME | ("min" | "max") "(" expr ("," expr)* ")" | "(" expr ")"

A parsed expression is a tree of tuples: ``("num", x)``, ``("name", id)``, ``("neg", a)``,
``("add" | "sub" | "mul" | "div", a, b)``, ``("min" | "max", (a, b, ...))``. It evaluates on
Python floats or on numpy arrays of any shape (a batch of parameter points) alike.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..errors import ScenarioError

MAX_LENGTH = 500
MAX_DEPTH = 40
MAX_NUMBER = 1e12
ALLOWED = "allowed: numbers up to 1e12, parameter names, + - * /, parentheses, min(...), max(...)"
FUNCTIONS = ("min", "max")

_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/(),]))"
)

Tree = tuple
Value = float | np.ndarray


def _tokens(source: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        m = _TOKEN.match(source, pos)
        if m is None:
            bad = source[pos:].lstrip()[:1]
            raise ScenarioError(f"unexpected character {bad!r} in expression {source!r}; {ALLOWED}")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.toks = _tokens(source)
        self.i = 0

    def fail(self, what: str) -> ScenarioError:
        return ScenarioError(f"{what} in expression {self.source!r}; {ALLOWED}")

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, text: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] == text:
            self.i += 1
            return True
        return False

    def parse(self) -> Tree:
        if not self.toks:
            raise ScenarioError("empty expression; write a number, a parameter name or arithmetic of them")
        tree = self.expr(0)
        if self.peek() is not None:
            raise self.fail(f"unexpected {self.peek()[1]!r}")
        return tree

    def expr(self, depth: int) -> Tree:
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels")
        tree = self.term(depth)
        while True:
            if self.take("+"):
                tree = ("add", tree, self.term(depth))
            elif self.take("-"):
                tree = ("sub", tree, self.term(depth))
            else:
                return tree

    def term(self, depth: int) -> Tree:
        tree = self.unary(depth)
        while True:
            if self.take("*"):
                tree = ("mul", tree, self.unary(depth))
            elif self.take("/"):
                tree = ("div", tree, self.unary(depth))
            else:
                return tree

    def unary(self, depth: int) -> Tree:
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels")
        if self.take("-"):
            return ("neg", self.unary(depth + 1))
        if self.take("+"):
            return self.unary(depth + 1)
        return self.atom(depth)

    def atom(self, depth: int) -> Tree:
        tok = self.peek()
        if tok is None:
            raise self.fail("unexpected end")
        kind, text = tok
        self.i += 1
        if kind == "num":
            value = float(text)
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                raise self.fail(f"number {text} is too large")
            return ("num", value)
        if kind == "name":
            if text in FUNCTIONS:
                if not self.take("("):
                    raise self.fail(f"{text} must be followed by '('")
                args = [self.expr(depth + 1)]
                while self.take(","):
                    args.append(self.expr(depth + 1))
                if not self.take(")"):
                    raise self.fail(f"missing ')' after the arguments of {text}")
                return (text, tuple(args))
            return ("name", text)
        if text == "(":
            tree = self.expr(depth + 1)
            if not self.take(")"):
                raise self.fail("missing ')'")
            return tree
        raise self.fail(f"unexpected {text!r}")


def parse(source: str) -> Tree:
    """Parse ``source`` into an expression tree, or raise ScenarioError saying what is wrong."""
    if not isinstance(source, str):
        raise ScenarioError(f"an expression must be text, not {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise ScenarioError(f"expression is {len(source)} characters long; at most {MAX_LENGTH} are allowed")
    return _Parser(source).parse()


def names(tree: Tree) -> frozenset[str]:
    """The parameter names an expression tree refers to."""
    kind = tree[0]
    if kind == "num":
        return frozenset()
    if kind == "name":
        return frozenset([tree[1]])
    if kind in FUNCTIONS:
        return frozenset().union(*(names(a) for a in tree[1]))
    return frozenset().union(*(names(a) for a in tree[1:]))


def evaluate(tree: Tree, env: Mapping[str, Value]) -> Value:
    """Evaluate a tree with parameter values (floats or same-shaped arrays). Division by zero gives inf."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "name":
        return env[tree[1]]
    if kind == "neg":
        return -evaluate(tree[1], env)
    if kind in FUNCTIONS:
        vals = [evaluate(a, env) for a in tree[1]]
        fn = np.minimum if kind == "min" else np.maximum
        out = vals[0]
        for v in vals[1:]:
            out = fn(out, v)
        return out
    a, b = evaluate(tree[1], env), evaluate(tree[2], env)
    if kind == "add":
        return a + b
    if kind == "sub":
        return a - b
    if kind == "mul":
        return a * b
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.divide(a, b)


def compile_tree(tree: Tree) -> Callable[[Mapping[str, Value]], Value]:
    """A closure equivalent to ``evaluate(tree, env)``, with constant sub-trees folded."""
    kind = tree[0]
    if not names(tree):
        const = float(evaluate(tree, {}))
        return lambda env: const
    if kind == "name":
        key = tree[1]
        return lambda env: env[key]
    if kind == "neg":
        f = compile_tree(tree[1])
        return lambda env: -f(env)
    if kind in FUNCTIONS:
        fs = [compile_tree(a) for a in tree[1]]
        reduce_fn = np.minimum if kind == "min" else np.maximum

        def call(env):
            out = fs[0](env)
            for f in fs[1:]:
                out = reduce_fn(out, f(env))
            return out

        return call
    f, g = compile_tree(tree[1]), compile_tree(tree[2])
    if kind == "add":
        return lambda env: f(env) + g(env)
    if kind == "sub":
        return lambda env: f(env) - g(env)
    if kind == "mul":
        return lambda env: f(env) * g(env)

    def div(env):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.divide(f(env), g(env))

    return div


def affine_in(tree: Tree, name: str, env: Mapping[str, float]) -> tuple[float, float] | None:
    """``(c0, c1)`` with ``tree == c0 + c1 * name`` for the other parameters at ``env``, or None.

    Structural: a product of two factors that both mention ``name``, a division by something that
    mentions it, or ``min``/``max`` over it are not affine, whatever the numbers.
    """
    if name not in names(tree):
        return float(evaluate(tree, env)), 0.0
    kind = tree[0]
    if kind == "name":
        return 0.0, 1.0
    if kind == "neg":
        inner = affine_in(tree[1], name, env)
        return None if inner is None else (-inner[0], -inner[1])
    if kind in FUNCTIONS:
        return None
    a, b = affine_in(tree[1], name, env), affine_in(tree[2], name, env)
    if a is None or b is None:
        return None
    if kind == "add":
        return a[0] + b[0], a[1] + b[1]
    if kind == "sub":
        return a[0] - b[0], a[1] - b[1]
    if kind == "mul":
        if name in names(tree[1]) and name in names(tree[2]):
            return None
        return a[0] * b[0], a[1] * b[0] + a[0] * b[1]
    if name in names(tree[2]) or b[0] == 0.0:  # div
        return None
    return a[0] / b[0], a[1] / b[0]


def format_number(x: float) -> str:
    """The shortest text that reads back as the same float (``repr``)."""
    return repr(float(x))


@dataclass(frozen=True)
class Expr:
    """A number or an expression of parameters, as written in a scenario file.

    ``source`` is the text (for a plain number, its repr); ``number`` is set when the file gave a
    plain number, so writing the file back keeps numbers as numbers.
    """

    source: str
    number: float | None = None
    tree: Tree = field(default=None, compare=False, repr=False, hash=False)

    @staticmethod
    def of(value: float | int | str) -> "Expr":
        if isinstance(value, bool):
            raise ScenarioError("expected a number or an expression, not true/false")
        if isinstance(value, (int, float)):
            x = float(value)
            if not math.isfinite(x):
                raise ScenarioError(f"{value!r} is not a finite number; NaN and infinity are not allowed")
            return Expr(format_number(x), x, ("num", x))
        if isinstance(value, str):
            return Expr(value, None, parse(value))
        raise ScenarioError(f"expected a number or an expression, not {type(value).__name__}")

    @cached_property
    def names(self) -> frozenset[str]:
        return names(self.tree)

    def value(self, env: Mapping[str, Value]) -> Value:
        return evaluate(self.tree, env)

    def to_data(self) -> float | str:
        return self.number if self.number is not None else self.source
