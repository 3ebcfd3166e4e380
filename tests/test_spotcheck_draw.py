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
