"""The random spot-check draw (双随机: random businesses, random inspectors), as a pure function.

Everything the result depends on is an argument (the population and the pool as recorded lists, the
seed, the size), so anyone can re-run a recorded draw and get the same pairs (P2 随机抽查, audit).
It uses only random.Random(seed).sample/shuffle, which are stable across Python 3 releases.

Constraints, in order of precedence, each kept "when avoidable":
1. never an inspector to a business in their own village, when enough others can go;
2. never the same team (two inspectors together) twice in one draw, when an unused team can go;
3. spread the work: the least-loaded inspectors go first (ties broken by the seeded shuffle).
Whenever a constraint had to give way the pair says so (own_village / repeated_team), nothing silent.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field


class DrawError(ValueError):
    """Inputs a draw cannot be made from; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class PoolMember:
    user_id: int
    village_id: int | None  # an inspector's own village; None for department staff


@dataclass(frozen=True)
class Candidate:
    business_id: int
    village_id: int


@dataclass
class DrawnPair:
    business_id: int
    inspector_ids: tuple[int, ...]
    own_village: bool = False  # constraint 1 had to give way
    repeated_team: bool = False  # constraint 2 had to give way


@dataclass
class DrawResult:
    pairs: list[DrawnPair] = field(default_factory=list)

    def as_data(self) -> list[dict]:
        return [
            {
                "business": p.business_id,
                "inspectors": list(p.inspector_ids),
                "own_village": p.own_village,
                "repeated_team": p.repeated_team,
            }
            for p in self.pairs
        ]


def draw_size(*, population: int, count: int | None = None, percentage: float | None = None) -> int:
    """How many businesses to draw: a count, or a percentage of the population rounded up."""
    if (count is None) == (percentage is None):
        raise DrawError("请填写抽取数量或抽取比例（二选一）。")
    if percentage is not None:
        if not 0 < percentage <= 100:
            raise DrawError("抽取比例应在 0 到 100% 之间。")
        size = math.ceil(population * percentage / 100)
    else:
        size = count
    if size is None or size < 1:
        raise DrawError("抽取数量至少为 1。")
    if size > population:
        raise DrawError(
            f"抽取数量（{size} 家）超过符合条件的经营单位数（{population} 家），请调整条件或数量。"
        )
    return size


def run_draw(
    *,
    candidates: list[Candidate],
    pool: list[PoolMember],
    seed: int,
    size: int,
    team_size: int = 2,
) -> DrawResult:
    """Draw `size` businesses from `candidates` and a team of `team_size` inspectors from `pool` for each."""
    if team_size < 1:
        raise DrawError("每组检查人员至少 1 人。")
    if len({m.user_id for m in pool}) < team_size:
        raise DrawError(f"检查人员库只有 {len(pool)} 人，不足每组 {team_size} 人。")
    if size > len(candidates):
        raise DrawError(
            f"抽取数量（{size} 家）超过符合条件的经营单位数（{len(candidates)} 家），请调整条件或数量。"
        )
    rng = random.Random(seed)
    # Sort first: the result must not depend on the order the database returned rows in.
    ordered = sorted(candidates, key=lambda c: c.business_id)
    chosen = rng.sample(ordered, size)
    members = sorted({m.user_id: m for m in pool}.values(), key=lambda m: m.user_id)
    rng.shuffle(members)
    rank = {m.user_id: i for i, m in enumerate(members)}  # the seeded tie-break
    load = dict.fromkeys(rank, 0)
    used_teams: set[frozenset[int]] = set()
    result = DrawResult()
    for business in chosen:
        others = [m for m in members if m.village_id != business.village_id]
        own_village = len(others) < team_size
        eligible = members if own_village else others
        team, repeated = _pick_team(eligible, team_size, load, rank, used_teams)
        for uid in team:
            load[uid] += 1
        used_teams.add(frozenset(team))
        result.pairs.append(
            DrawnPair(
                business_id=business.business_id,
                inspector_ids=tuple(sorted(team)),
                own_village=own_village
                and any(m.village_id == business.village_id for m in eligible if m.user_id in team),
                repeated_team=repeated and team_size > 1,
            )
        )
    return result


def _pick_team(eligible, team_size, load, rank, used_teams) -> tuple[list[int], bool]:
    """The least-loaded team not used yet in this draw; a used one only if every team was used."""
    by_load = sorted(eligible, key=lambda m: (load[m.user_id], rank[m.user_id]))
    ids = [m.user_id for m in by_load]
    if team_size == 1:
        return [ids[0]], False
    # Combinations come in lexicographic order of the load-sorted list: the first unused is the
    # least-loaded team. The pool is small (a township's inspectors), so enumerating is cheap; cap it.
    first = None
    for n, combo in enumerate(itertools.combinations(ids, team_size)):
        if first is None:
            first = combo
        if frozenset(combo) not in used_teams:
            return list(combo), False
        if n > 20000:
            break
    return list(first), True
