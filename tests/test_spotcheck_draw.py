"""The random draw as a pure function (P2 随机抽查): reproducible, and its constraints hold."""

import itertools

import pytest

from inspections.draw import Candidate, DrawError, PoolMember, draw_size, run_draw

VILLAGES = [1, 2, 3, 4]


def population(n=40):
    return [Candidate(business_id=100 + i, village_id=VILLAGES[i % 4]) for i in range(n)]


def pool(n=6):
    # One inspector per village for the first four, then department staff with no village.
    return [PoolMember(user_id=10 + i, village_id=VILLAGES[i] if i < 4 else None) for i in range(n)]


def test_same_inputs_same_result_in_any_input_order():
    first = run_draw(candidates=population(), pool=pool(), seed=20090701, size=12)
    shuffled = run_draw(
        candidates=list(reversed(population())), pool=list(reversed(pool())), seed=20090701, size=12
    )
    assert first.as_data() == shuffled.as_data()
    assert first.as_data() != run_draw(candidates=population(), pool=pool(), seed=1, size=12).as_data()


@pytest.mark.parametrize("seed", range(20))
def test_no_inspector_in_own_village_and_no_repeated_team(seed):
    # Each business has 5 eligible inspectors (C(5,2) = 10 teams), so 10 pairs never need a repeat.
    result = run_draw(candidates=population(), pool=pool(), seed=seed, size=10)
    villages = {c.business_id: c.village_id for c in population()}
    homes = {m.user_id: m.village_id for m in pool()}
    teams = [frozenset(p.inspector_ids) for p in result.pairs]
    assert len(set(teams)) == len(teams)
    for p in result.pairs:
        assert len(p.inspector_ids) == 2
        assert all(homes[i] != villages[p.business_id] for i in p.inspector_ids)
        assert not p.own_village and not p.repeated_team
    assert len({p.business_id for p in result.pairs}) == 10


def test_work_is_spread():
    result = run_draw(candidates=population(), pool=pool(), seed=5, size=12)
    load = {}
    for p in result.pairs:
        for i in p.inspector_ids:
            load[i] = load.get(i, 0) + 1
    assert max(load.values()) - min(load.values()) <= 2


def test_own_village_only_when_unavoidable_and_flagged():
    # Two inspectors, both from village 1; a business in village 1 must still be checked.
    members = [PoolMember(1, 1), PoolMember(2, 1)]
    result = run_draw(candidates=[Candidate(500, 1)], pool=members, seed=3, size=1)
    assert result.pairs[0].own_village
    # With a third inspector from elsewhere, a team of one goes from outside.
    members.append(PoolMember(3, 2))
    solo = run_draw(candidates=[Candidate(500, 1)], pool=members, seed=3, size=1, team_size=1)
    assert solo.pairs[0].inspector_ids == (3,) and not solo.pairs[0].own_village


def test_repeated_team_only_when_every_team_was_used_and_flagged():
    members = [PoolMember(1, None), PoolMember(2, None), PoolMember(3, None)]  # only 3 teams of two
    result = run_draw(candidates=population(5), pool=members, seed=9, size=5)
    flags = [p.repeated_team for p in result.pairs]
    assert flags[:3] == [False, False, False] and all(flags[3:])
    teams = [frozenset(p.inspector_ids) for p in result.pairs[:3]]
    assert set(teams) == {frozenset(c) for c in itertools.combinations([1, 2, 3], 2)}


def test_draw_larger_than_population_is_refused():
    with pytest.raises(DrawError, match="超过符合条件的经营单位数（40 家）"):
        run_draw(candidates=population(), pool=pool(), seed=1, size=41)
    with pytest.raises(DrawError, match="超过符合条件的经营单位数"):
        draw_size(population=3, count=4)


def test_pool_smaller_than_a_team_is_refused():
    with pytest.raises(DrawError, match="检查人员库只有 1 人"):
        run_draw(candidates=population(), pool=[PoolMember(1, None)], seed=1, size=1)


def test_size_from_percentage_rounds_up():
    assert draw_size(population=41, percentage=10) == 5
    assert draw_size(population=41, count=7) == 7
    with pytest.raises(DrawError, match="二选一"):
        draw_size(population=41, count=3, percentage=10)
    with pytest.raises(DrawError, match="0 到 100%"):
        draw_size(population=41, percentage=150)


# --- issue 22: each boundary of the draw on both sides, each refusal in full (mutation testing) -----------


def refusal(call, **kwargs) -> str:
    with pytest.raises(DrawError) as caught:
        call(**kwargs)
    return str(caught.value)


def test_recorded_draw_data_has_the_keys_a_re_run_is_compared_on():
    # P2: a recorded draw is re-run and compared through as_data(); its keys are the record's format.
    members = [PoolMember(1, 1), PoolMember(2, 1)]
    data = run_draw(candidates=[Candidate(500, 1)], pool=members, seed=3, size=1).as_data()
    assert data == [{"business": 500, "inspectors": [1, 2], "own_village": True, "repeated_team": False}]


def test_size_refusals_name_the_problem_in_full():
    # P2: the clerk sees the whole sentence; a count or a percentage, one of the two.
    assert refusal(draw_size, population=41, count=3, percentage=10) == "请填写抽取数量或抽取比例（二选一）。"
    assert refusal(draw_size, population=41) == "请填写抽取数量或抽取比例（二选一）。"
    assert refusal(draw_size, population=41, percentage=150) == "抽取比例应在 0 到 100% 之间。"
    assert refusal(draw_size, population=41, count=0) == "抽取数量至少为 1。"
    assert refusal(draw_size, population=3, count=4) == (
        "抽取数量（4 家）超过符合条件的经营单位数（3 家），请调整条件或数量。"
    )


def test_percentage_boundaries_on_both_sides():
    # P2 随机抽查: a share strictly above 0 and at most 100%, rounded up.
    assert refusal(draw_size, population=41, percentage=0) == "抽取比例应在 0 到 100% 之间。"
    assert refusal(draw_size, population=41, percentage=-5) == "抽取比例应在 0 到 100% 之间。"
    assert draw_size(population=41, percentage=0.5) == 1  # any share above 0 draws at least one
    assert draw_size(population=41, percentage=1) == 1
    assert draw_size(population=101, percentage=100) == 101  # 100% is the whole population
    assert refusal(draw_size, population=41, percentage=100.5) == "抽取比例应在 0 到 100% 之间。"
    assert draw_size(population=200, percentage=10) == 20  # exact: no rounding up past a whole number
    assert draw_size(population=201, percentage=10) == 21


def test_count_boundaries_on_both_sides():
    # P2: at least one, at most the whole population.
    assert refusal(draw_size, population=41, count=0) == "抽取数量至少为 1。"
    assert refusal(draw_size, population=41, count=-1) == "抽取数量至少为 1。"
    assert draw_size(population=41, count=1) == 1
    assert draw_size(population=41, count=41) == 41
    assert refusal(draw_size, population=41, count=42).startswith("抽取数量（42 家）超过")


def test_team_size_and_pool_refusals_in_full():
    # P2 双随机: a team has at least one inspector, and the pool must fill one team.
    assert refusal(run_draw, candidates=population(), pool=pool(), seed=1, size=1, team_size=0) == (
        "每组检查人员至少 1 人。"
    )
    solo = run_draw(candidates=population(), pool=pool(), seed=1, size=3, team_size=1)
    assert [len(p.inspector_ids) for p in solo.pairs] == [1, 1, 1]
    assert not any(p.repeated_team for p in solo.pairs)  # one inspector is never "the same team again"
    assert refusal(run_draw, candidates=population(), pool=[PoolMember(1, None)], seed=1, size=1) == (
        "检查人员库只有 1 人，不足每组 2 人。"
    )
    exact = run_draw(candidates=population(), pool=pool(2), seed=1, size=1)  # pool == team: allowed
    assert exact.pairs[0].inspector_ids == (10, 11)
    assert refusal(run_draw, candidates=population(3), pool=pool(), seed=1, size=4) == (
        "抽取数量（4 家）超过符合条件的经营单位数（3 家），请调整条件或数量。"
    )
    whole = run_draw(candidates=population(3), pool=pool(), seed=1, size=3)  # size == population: allowed
    assert sorted(p.business_id for p in whole.pairs) == [100, 101, 102]


def test_a_repeated_team_is_a_full_team_of_the_least_loaded():
    # P2 constraint 2 gives way only when every team was used, and the team sent is still a whole team.
    members = [PoolMember(1, None), PoolMember(2, None), PoolMember(3, None)]
    result = run_draw(candidates=population(5), pool=members, seed=9, size=5)
    assert all(len(p.inspector_ids) == 2 for p in result.pairs)
    load = {1: 0, 2: 0, 3: 0}
    for p in result.pairs:
        for i in p.inspector_ids:
            load[i] += 1
    assert sorted(load.values()) == [3, 3, 4]  # 10 places spread over 3 inspectors


def test_the_enumeration_cap_sends_the_least_loaded_team_as_a_repeat():
    # P2: teams are enumerated up to a cap (20,002 combinations); past it the least-loaded team goes again,
    # flagged, rather than searching on. A pool of 202 has 20,301 teams.
    from inspections.draw import _pick_team

    members = [PoolMember(i, None) for i in range(202)]
    load = dict.fromkeys(range(202), 0)
    rank = {i: i for i in range(202)}
    combos = list(itertools.combinations(range(202), 2))
    used = {frozenset(c) for c in combos[:20002]}
    assert _pick_team(members, 2, load, rank, used) == ([0, 1], True)
    used.discard(frozenset(combos[20001]))  # the last one inside the cap is free: it is found
    assert _pick_team(members, 2, load, rank, used) == (list(combos[20001]), False)


@pytest.mark.parametrize(("members", "team_size", "size"), [(4, 1, 8), (3, 2, 6), (5, 2, 10)])
def test_work_is_spread_evenly_when_the_places_divide(members, team_size, size):
    # P2 constraint 3: the least-loaded go first, so places that divide evenly are shared exactly.
    people = [PoolMember(i, None) for i in range(members)]
    for seed in range(3):
        result = run_draw(candidates=population(size), pool=people, seed=seed, size=size, team_size=team_size)
        load = dict.fromkeys(range(members), 0)
        for p in result.pairs:
            for i in p.inspector_ids:
                load[i] += 1
        assert set(load.values()) == {size * team_size // members}
