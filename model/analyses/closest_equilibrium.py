"""Which perfect Bayesian equilibrium a whole prediction is closest to (Predict & reveal with private types).

A prediction is one answer per question; an equilibrium is one answer per question too. The prediction is
scored as a whole against each equilibrium (how many of its answers that equilibrium plays) and the best match
is reported: the equilibrium with the most answers in common, the lowest-numbered on a tie. Answers that
some equilibrium plays but no single one plays together *mix* equilibria: no equilibrium makes them all, and
the page says so. Pure functions of the picks, used by the Predict & reveal page and tested through it.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNT_WORDS = {2: "two", 3: "three", 4: "four"}


def numbers(ks: list[int]) -> str:
    """"equilibrium 2", "equilibria 1 and 3", "equilibria 1, 2 and 3"."""
    if len(ks) == 1:
        return f"equilibrium {ks[0]}"
    return "equilibria " + ", ".join(map(str, ks[:-1])) + f" and {ks[-1]}"


@dataclass(frozen=True)
class Match:
    """A whole prediction against every equilibrium (numbered from 1)."""

    best: int  # the equilibrium with the most answers in common (the lowest-numbered on a tie)
    right: int  # how many answers it plays
    also: tuple[int, ...]  # the other equilibria that match as many
    asked: int  # questions
    made: int  # answers given
    mixed: tuple[tuple[int, tuple[int, ...]], ...]  # when the answers mix equilibria: (equilibrium, question indices)


def closest(picks: list[list[str]], guesses: list[str | None]) -> Match:
    """``picks[i][k]``: equilibrium k+1's action at question i; ``guesses[i]``: the answer (None: none)."""
    n_eq = len(picks[0]) if picks else 1
    hits = [sum(g is not None and p[k] == g for p, g in zip(picks, guesses)) for k in range(n_eq)]
    best = max(range(n_eq), key=lambda k: (hits[k], -k))
    also = tuple(k + 1 for k in range(n_eq) if k != best and hits[k] == hits[best])
    # answers some equilibrium plays and some does not: the ones that can tell equilibria apart
    telling = [i for i, (p, g) in enumerate(zip(picks, guesses)) if g in p and set(p) != {g}]
    mixed: tuple = ()
    if not any(all(picks[i][k] == guesses[i] for i in telling) for k in range(n_eq)):
        owner = {i: best if picks[i][best] == guesses[i] else picks[i].index(guesses[i]) for i in telling}
        mixed = tuple((k + 1, tuple(i for i in telling if owner[i] == k)) for k in sorted(set(owner.values())))
    return Match(best=best + 1, right=hits[best], also=also, asked=len(guesses),
                 made=sum(g is not None for g in guesses), mixed=mixed)


def score_line(m: Match, *, several: bool) -> str:
    """"3 of 4 predictions correct" with one equilibrium; with several, "2 of 4 predictions match equilibrium 1
    (equilibrium 2 matches as many; 1 not made)"."""
    notes = []
    if several and m.also:
        notes.append(f"{numbers(list(m.also))} match{'es' if len(m.also) == 1 else ''} as many")
    if m.made < m.asked:
        notes.append(f"{m.asked - m.made} not made")
    head = (f"{m.right} of {m.asked} predictions match equilibrium {m.best}" if several
            else f"{m.right} of {m.asked} predictions correct")
    return head + (f" ({'; '.join(notes)})" if notes else "")


def mix_sentence(m: Match, answers: list[str]) -> str:
    """One sentence when the answers mix equilibria ("" when they do not); ``answers[i]``: question i's answer
    in a few words ("“Quiche” for “Weak”")."""
    if not m.mixed:
        return ""
    n = len(m.mixed)
    parts = [_and([answers[i] for i in qs]) + f" as in equilibrium {k}" for k, qs in m.mixed]
    return (f"Your answers mix {COUNT_WORDS.get(n, str(n))} equilibria ({'; '.join(parts)}): no single equilibrium "
            "plays them all, so together they are not an equilibrium.")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"
