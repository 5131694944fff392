"""The batched analyses agree with the single-point solver: sweeps, region maps, tornado, Monte Carlo,
what-it-takes, and screening under uncertainty about a player's type."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import ScenarioError, load_scenario, loads_scenario, solve
from model.core.game import ONE, compile_game
from model.analyses.montecarlo import monte_carlo, wilson
from model.analyses.screening import offer_switches, screen
from model import one_way, region_map, tornado
from model.analyses.sweep import sweep
from model.analyses.thresholds import thresholds
from model.analyses.what_it_takes import plays, what_it_takes

from . import raw
from .conftest import ROOT, decision, outcome, payoff_game
from .strategies import scenarios

def _play(solution):
    return tuple((s.node, s.action) for s in solution.path if s.action)


def _snap(p, x):
    return float(np.clip(np.round(x / p.step) * p.step, p.min, p.max))


def test_sweep_equals_solve_on_random_points_ties_included():
    """Every point of one batched sweep matches solve() at that point: choices, path and utilities;
    and the random points must include enough ties to test the tie rule (counted here, in this test)."""
    checked = {"points": 0, "ties": 0}

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(scenarios(), st.randoms(use_true_random=False))
    def sweep_equals_solve(scenario, rnd):
        n = 12
        vary = {p.id: np.array([_snap(p, rnd.choice([p.min, p.max, p.default, rnd.uniform(p.min, p.max)]))
                                for _ in range(n)]) for p in scenario.parameters}
        result = sweep(scenario, vary=vary)
        game = compile_game(scenario)
        for j in range(n):
            point = {k: float(v[j]) for k, v in vary.items()}
            sol = solve(scenario, values=point)
            for r, node in enumerate(game.decisions):
                spec = scenario.node(game.node_ids[node])
                assert spec.actions[int(result.choice[r, j])].id == sol.choice_map[spec.id]
            assert sorted(result.paths[result.path[j]]) == sorted(_play(sol))
            assert np.allclose(result.root[:, j], [v for _, v in sol.payoffs], atol=1e-12)
            checked["points"] += 1
            checked["ties"] += bool(sol.ties)

    sweep_equals_solve()
    print(f"\n[sweep == solve] {checked['points']} points compared, {checked['ties']} with ties")
    # 200 examples give >= 1000 points and >= 50 ties; tests/mutation/run.py caps every test's examples
    # (to 25), so the counts scale with the examples this run allows
    allowed = sweep_equals_solve._hypothesis_internal_use_settings.max_examples
    assert checked["points"] >= 1000 * allowed // 200
    assert checked["ties"] >= 50 * allowed // 200


def test_rows_layout_and_dict_layout_agree(default_scenario):
    rng = np.random.default_rng(1)
    ws = [p for p in default_scenario.parameters if p.id.startswith("w_")]
    block = np.vstack([rng.uniform(p.min, p.max, 5000) for p in ws] + [np.ones(5000)])
    a = sweep(default_scenario, rows=(tuple(p.id for p in ws) + (ONE,), block))
    b = sweep(default_scenario, vary={p.id: block[j] for j, p in enumerate(ws)})
    assert np.array_equal(a.choice, b.choice) and np.array_equal(a.root, b.root)
    assert [a.paths[i] for i in a.path] == [b.paths[i] for i in b.path]


def test_sweep_refuses_values_outside_the_range(default_scenario):
    with pytest.raises(ScenarioError, match="parameters.p_detect"):
        sweep(default_scenario, vary={"p_detect": np.array([0.5, 1.5])})
    with pytest.raises(ScenarioError, match="parameters.w_us_mediator"):
        sweep(default_scenario, vary={"w_us_mediator": np.array([0.5, np.nan])})


def test_one_way_regions_change_exactly_at_the_thresholds(default_scenario):
    result = one_way(default_scenario, parameter="package", points=401)
    cuts = sorted({t.value for t in result.thresholds if t.path_changes})
    # at package = 0 exactly there is nothing to share, so the US's answer to a rejection is a tie
    # there: a change at the end of the range, not a threshold inside it
    changes = [(result.xs[j], result.xs[j + 1]) for j in range(1, len(result.xs) - 2)
               if result.path[j] != result.path[j + 1]]
    assert len(changes) == len(cuts) == 2
    for (x0, x1), c in zip(changes, cuts):
        assert x0 <= c <= x1


def test_region_map_cells_match_solve(default_scenario):
    m = region_map(default_scenario, x="p_detect", y="w_il_deterrence", points=50)
    rng = np.random.default_rng(2)
    for _ in range(40):
        i, j = rng.integers(0, 50, 2)
        sol = solve(default_scenario, values={"p_detect": float(m.xs[j]), "w_il_deterrence": float(m.ys[i])})
        assert sorted(m.paths[m.path[i, j]]) == sorted(_play(sol))
    assert sorted(m.paths[m.current_path]) == sorted(_play(solve(default_scenario)))


def test_tornado_bars_are_the_ends_of_each_range(default_scenario):
    t = tornado(default_scenario)
    assert len(t.bars) == len(default_scenario.parameters)
    swings = [max(abs(s) for s in b.swing) for b in t.bars]
    assert swings == sorted(swings, reverse=True)
    for bar in t.bars[:6]:
        lo = solve(default_scenario, values={bar.parameter: bar.low})
        hi = solve(default_scenario, values={bar.parameter: bar.high})
        assert np.allclose(bar.utility_low, [v for _, v in lo.payoffs])
        assert np.allclose(bar.utility_high, [v for _, v in hi.payoffs])
        now = _play(solve(default_scenario))
        assert bar.changes_outcome == (sorted(_play(lo)) != sorted(now) or sorted(_play(hi)) != sorted(now))


def test_monte_carlo_is_seeded_and_its_shares_and_intervals_are_sound(default_scenario):
    a = monte_carlo(default_scenario, draws=20_000, seed=7)
    b = monte_carlo(default_scenario, draws=20_000, seed=7)
    c = monte_carlo(default_scenario, draws=20_000, seed=8)
    assert a.counts == b.counts and a.paths == b.paths
    assert a.counts != c.counts
    assert sum(a.counts) == 20_000 and list(a.counts) == sorted(a.counts, reverse=True)
    for share, lo, hi in zip(a.shares, a.ci_low, a.ci_high):
        assert lo <= share <= hi
    assert all(0 <= i.first_order <= 1 for i in a.importance)


def test_monte_carlo_counts_match_solve_on_the_same_draws(default_scenario):
    mc = monte_carlo(default_scenario, draws=300, seed=3, keep_samples=True)
    for j in range(0, 300, 10):
        point = {name: float(mc.samples[k, j]) for k, name in enumerate(mc.parameters)}
        assert sorted(mc.paths[mc.path[j]]) == sorted(_play(solve(default_scenario, values=point)))


def test_monte_carlo_spread_and_dirichlet_draws_stay_in_range(default_scenario):
    mc = monte_carlo(default_scenario, draws=5_000, seed=1, mode="spread", spread=0.1, concentration=30.0,
                     keep_samples=True)
    for k, name in enumerate(mc.parameters):
        p = default_scenario.parameter(name)
        row = mc.samples[k]
        assert row.min() >= p.min and row.max() <= p.max
        if not name.startswith("w_"):
            width = 0.1 * (p.max - p.min)
            assert row.min() >= p.default - width - 1e-12 and row.max() <= p.default + width + 1e-12


def _one_lever(t: float, second: bool = False):
    """P takes "go" when it is worth more than "stay". "go" pays a (plus c with ``second``), "stay" pays t;
    b, d (and c without ``second``) reach only Q's payoffs, never P's choice. Parameters are listed b, a, c, d, so the
    lever a has a neighbour on each side."""
    params = {k: {"label": k, "default": 0.5, "min": 0.0, "max": 1.0, "step": 0.05} for k in ("b", "a", "c", "d")}
    return payoff_game({"p": "P", "q": "Q"}, "choose", {
        "choose": decision("p", ("go", "went"), ("stay", "stayed")),
        "went": outcome("a + c" if second else "a", "b"),
        "stayed": outcome(t, "c - d"),
    }, parameters=params)


def test_monte_carlo_credits_the_one_parameter_that_decides_the_outcome():
    """Known answer: with a ~ U(0, 1) and "go" exactly when a > 0.4, a alone explains all the variance
    of "go happens" (first-order index 1; the bins' edges fall on 0.4, so the estimate is exact) and
    corr(a, go) = sqrt(3 t (1 - t)) = sqrt(0.72); b, c and d explain nothing."""
    mc = monte_carlo(_one_lever(0.4), draws=20_000, seed=4)
    assert mc.words[0] == "P: go" and mc.shares[0] == pytest.approx(0.6, abs=0.02)
    by = {i.parameter: i for i in mc.importance}
    assert set(by) == {"a", "b", "c", "d"}
    ranked = [(i.parameter, round(i.first_order, 3)) for i in mc.importance]
    assert mc.importance[0].parameter == "a", f"a alone decides the outcome; the importances say {ranked}"
    assert by["a"].first_order == pytest.approx(1.0, abs=1e-9)
    assert by["a"].correlation == pytest.approx(np.sqrt(0.72), abs=0.02)
    for other in "bcd":
        assert by[other].first_order < 0.01 and abs(by[other].correlation) < 0.03, by[other]


def test_monte_carlo_splits_the_credit_between_two_parameters_that_add_up():
    """Known answer: "go" exactly when a + c > 1 (a, c ~ U(0, 1)): E[go | a] = a, so each of a and c
    explains Var(a) / Var(go) = (1/12) / (1/4) = 1/3 of the variance (1/3 x (1 - 1/20^2) with 20 bins),
    corr = 2 sqrt(1/12); b and d nothing."""
    mc = monte_carlo(_one_lever(1.0, second=True), draws=40_000, seed=5)
    by = {i.parameter: i for i in mc.importance}
    ranked = [(i.parameter, round(i.first_order, 3)) for i in mc.importance]
    assert {i.parameter for i in mc.importance[:2]} == {"a", "c"}, f"a and c decide; the importances say {ranked}"
    for lever in "ac":
        assert by[lever].first_order == pytest.approx(1 / 3 * (1 - 1 / 400), abs=0.02), by[lever]
        assert abs(by[lever].correlation) == pytest.approx(2 * np.sqrt(1 / 12), abs=0.02), by[lever]
    for other in "bd":
        assert by[other].first_order < 0.01 and abs(by[other].correlation) < 0.03, by[other]


def test_wilson_interval_textbook_value():
    lo, hi = wilson(50, 100)
    assert lo == pytest.approx(0.4038, abs=1e-4) and hi == pytest.approx(0.5962, abs=1e-4)


def test_what_it_takes_with_one_weight_is_the_distance_to_its_threshold(default_scenario):
    target = (("us_offer", "conditional"), ("israel_answers", "accept"), ("israel_keeps_pledge", "break"),
              ("us_responds", "tolerate"))
    # with the credibility cost of tolerating alone the cut-off stops being credible, but the US then
    # makes no offer
    r = what_it_takes(default_scenario, target=target, unlocked=["tolerate_credibility_cost"])
    assert not r.feasible and "No change" in r.sentence
    target = (("us_offer", "conditional"), ("israel_answers", "reject"), ("us_after_reject", "withhold"),
              ("israel_after_withholding", "operate"))
    r = what_it_takes(default_scenario, target=target, unlocked=["w_il_deterrence"])
    (t,) = [t for t in thresholds(default_scenario, parameters=["w_il_deterrence"]) if t.node == "israel_answers"]
    assert r.feasible and r.method.startswith("linear program")
    (name, old, new), = r.changes
    assert name == "w_il_deterrence" and new == pytest.approx(t.value, abs=1e-4)
    assert r.distance == pytest.approx(abs(t.value - old), abs=1e-4)
    assert sorted(_play(solve(default_scenario, values={"w_il_deterrence": new}))) == sorted(target)


def test_what_it_takes_exact_answers_check_out_and_beat_random_search(default_scenario):
    rng = np.random.default_rng(5)
    weights = [p.id for p in default_scenario.parameters if p.id.startswith("w_")]
    for target in plays(default_scenario):
        r = what_it_takes(default_scenario, target=target, unlocked=weights)
        if not r.feasible:
            continue
        point = {**default_scenario.values, **r.new_values}
        assert sorted(_play(solve(default_scenario, values=point))) == sorted(target)
        # no random point that plays the target is closer (in units of the ranges)
        block = np.vstack([rng.uniform(0, 1, 3000) for _ in weights] + [np.ones(3000)])
        res = sweep(default_scenario, rows=(tuple(weights) + (ONE,), block))
        hit = [k for k, p in enumerate(res.paths) if sorted(p) == sorted(target)]
        now = np.array([default_scenario.values[w] for w in weights])[:, None]
        dist = np.abs(block[:-1] - now).sum(axis=0)
        if hit:
            assert r.distance <= dist[np.isin(res.path, hit)].min() + 1e-6


def test_what_it_takes_search_route_for_a_probability(default_scenario):
    target = (("us_offer", "no_offer"), ("israel_without_offer", "operate"))
    r = what_it_takes(default_scenario, target=target, unlocked=["p_detect"])
    assert r.feasible and r.method.startswith("search")
    assert r.new_values["p_detect"] == pytest.approx(0.2766, abs=2e-3)  # G / L, see the monitoring claim


def test_what_it_takes_refuses_a_target_that_is_not_a_play(default_scenario):
    with pytest.raises(ScenarioError, match="target"):
        what_it_takes(default_scenario, target=(("us_offer", "conditional"),), unlocked=["p_detect"])


@pytest.fixture(scope="module")
def uncertain():
    """The screening preset: the US offers first, so the prior is its belief and ``screen`` applies
    (a game where it moves after an informed move is refused: tests/test_screening_types_and_offers.py)."""
    return load_scenario(ROOT / "scenarios" / "screening.toml")


def test_screening_with_a_certain_type_is_plain_backward_induction(uncertain):
    for prior, w in ((1.0, 1.0), (0.0, 0.5)):
        s = screen(uncertain, values={"p_high": prior})
        plain = solve(replace(uncertain, uncertainty=None), values={"w_il_deterrence": w, "p_high": prior})
        assert s.chosen == plain.choice_map["us_offer"]
        sure = next(t for t in s.types if t.prior == 1.0)
        assert sorted(sure.play) == sorted(_play(plain))
        assert s.expected_utility[0] == pytest.approx(dict(plain.payoffs)["us"])


def test_screening_offer_values_are_prior_weighted(uncertain):
    s = screen(uncertain)
    for offer in s.offers:
        per_type = []
        for t in uncertain.uncertainty.types:
            w = dict(t.values)["w_il_deterrence"]
            sol = solve(replace(uncertain, uncertainty=None), values={"w_il_deterrence": w})
            per_type.append(sol.choice("us_offer").value(offer.action))
        prior = [t.prior for t in s.types]
        assert offer.expected == pytest.approx(float(np.dot(prior, per_type)))
    limited = next(o for o in s.offers if o.action == "limited")
    assert limited.screens and "screens" in s.sentence


def _play_after(doc: dict, sol, start: str) -> list[tuple[str, str]]:
    """The decisions (node, action) reached from ``start`` when every side follows ``sol``'s choices,
    through every chance branch with a positive probability, read off the raw document."""
    out, stack = [], [start]
    while stack:
        nid = stack.pop()
        node = doc["nodes"][nid]
        if node["kind"] == "decision":
            action = sol.choice_map[nid]
            out.append((nid, action))
            stack.append(next(a["next"] for a in node["actions"] if a["id"] == action))
        elif node["kind"] == "chance":
            stack += [b["next"] for b in node["branches"] if sol.probabilities(nid)[b["id"]] > 0]
    return sorted(out)


@pytest.mark.parametrize("p_high", [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
def test_an_offer_screens_exactly_when_the_types_answer_it_differently(uncertain, p_high):
    """Each type's answer to each offer comes from plain backward induction at that type's values,
    independently of ``screen``; an offer every type answers alike does not screen, and the sentence
    says "screens" only when the chosen offer does."""
    doc = raw.read(ROOT / "scenarios" / "screening.toml")
    s = screen(uncertain, values={"p_high": p_high})
    per_type = [solve(replace(uncertain, uncertainty=None), values={"p_high": p_high, **dict(t.values)})
                for t in uncertain.uncertainty.types]
    for offer in s.offers:
        start = next(a["next"] for a in doc["nodes"][s.node]["actions"] if a["id"] == offer.action)
        answers = {tuple(_play_after(doc, sol, start)) for sol in per_type}
        assert offer.screens == (len(answers) > 1), (
            f"{offer.action!r}: screens={offer.screens}, but the types' own answers are {sorted(answers)}")
    chosen = next(o for o in s.offers if o.action == s.chosen)
    assert ("screens" in s.sentence) == chosen.screens, s.sentence
    assert any(not o.screens for o in s.offers), "the negative case is exercised"


def test_types_that_do_not_differ_are_refused(uncertain):
    """Two types with the same values could never be screened: the file is refused, naming the type."""
    text = (ROOT / "scenarios" / "screening.toml").read_text().replace(
        "values = { w_il_deterrence = 1.0 }", "values = { w_il_deterrence = 0.7 }").replace(
        "values = { w_il_deterrence = 0.5 }", "values = { w_il_deterrence = 0.7 }")
    with pytest.raises(ScenarioError, match="changes nothing") as err:
        loads_scenario(text, name="twins.toml")
    assert "uncertainty.types.low_weight.values" in str(err.value)


def test_screening_needs_an_uncertainty_section(default_scenario):
    with pytest.raises(ScenarioError, match="uncertainty"):
        screen(default_scenario)


SCREENING = (ROOT / "scenarios" / "screening.toml").read_text()
UNCERTAINTY_START = "\n[uncertainty]\n"


def _with_uncertainty(block: str) -> str:
    """screening.toml with its [uncertainty] section (and the claims after it, which name its types) replaced."""
    assert SCREENING.count(UNCERTAINTY_START) == 1
    return SCREENING.split(UNCERTAINTY_START)[0] + "\n" + block


def _types(a: str, b: str | None, *, prior_a="0.5", prior_b="0.5", player="israel") -> str:
    out = (f'[uncertainty]\nplayer = "{player}"\n'
           f'[uncertainty.types.a]\nlabel = "A"\nprior = {prior_a}\nvalues = {{ {a} }}\n')
    if b is not None:
        out += f'[uncertainty.types.b]\nlabel = "B"\nprior = {prior_b}\nvalues = {{ {b} }}\n'
    return out


def test_the_bad_section_tests_start_from_a_section_that_loads():
    """The base of the refusals below: the same block with good values loads, with its two types."""
    s = loads_scenario(_with_uncertainty(_types("w_il_deterrence = 0.9", "w_il_deterrence = 0.1")), name="u.toml")
    assert [t.id for t in s.uncertainty.types] == ["a", "b"] and s.uncertainty.player == "israel"


@pytest.mark.parametrize("block, field, words", [
    (_types("w_il_deterrence = 0.9", "w_il_deterrence = 0.1", player="nobody"), "uncertainty.player", "unknown player"),
    (_types("w_il_deterrence = 0.9", "w_il_deterrence = 0.1", prior_a="0.6", prior_b="0.6"), "uncertainty.types",
     "sum to 1"),
    # another player's weight (the US's), a prior's parameter: neither is the informed side's
    (_types("w_us_sharing = 0.9", "w_us_sharing = 0.1"), "uncertainty.types.a.values.w_us_sharing",
     "only change parameters"),
    (_types("p_high = 0.9", "p_high = 0.1", prior_a='"p_high"', prior_b='"1 - p_high"'),
     "uncertainty.types.a.values.p_high", "only change parameters"),
    (_types("w_il_deterrence = 1.9", "w_il_deterrence = 0.1"), "uncertainty.types.a.values.w_il_deterrence",
     "outside the range"),
    (_types("w_il_deterrence = 0.9", "nothing_here = 0.1"), "uncertainty.types.b.values.nothing_here",
     "unknown parameter"),
    (_types("w_il_deterrence = 0.9", None, prior_a="1.0"), "uncertainty.types", "at least 2"),
])
def test_bad_uncertainty_sections_are_refused_naming_the_field(block, field, words):
    with pytest.raises(ScenarioError) as err:
        loads_scenario(_with_uncertainty(block), name="u.toml")
    assert field in str(err.value) and words in str(err.value)


def test_offer_switches_are_where_the_best_offer_changes(uncertain):
    (w,) = offer_switches(uncertain, parameter="p_high")
    assert (w.below, w.above) == ("limited", "full")
    assert w.value == pytest.approx(0.375, abs=1e-6)  # -0.2 - 0.8 p = -0.5 (screening.toml's worked numbers)
    assert screen(uncertain, values={"p_high": w.value - 1e-6}).chosen == "limited"
    assert screen(uncertain, values={"p_high": w.value + 1e-6}).chosen == "full"
