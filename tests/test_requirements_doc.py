"""docs/requirements.md is the glossary of requirement ids: every id of the campaign's catalogue has a
row saying where it lives and how far it is realised, and every id the code cites is among them."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "requirements.md"
# The catalogue (DOMAIN): §2 O1–O5, §3 G1–G4, §4 A1–A7 … U1–U2, §5 P1–P2, §6 W1–W5.
CATALOGUE = (
    [f"O{i}" for i in range(1, 6)]
    + [f"G{i}" for i in range(1, 5)]
    + [f"A{i}" for i in range(1, 8)]
    + [f"B{i}" for i in range(1, 6)]
    + [f"C{i}" for i in range(1, 8)]
    + [f"D{i}" for i in range(1, 7)]
    + [f"E{i}" for i in range(1, 8)]
    + [f"F{i}" for i in range(1, 6)]
    + ["U1", "U2", "P1", "P2"]
    + [f"W{i}" for i in range(1, 6)]
)
ROW = re.compile(r"^\| ([OGABCDEFUPW][1-9]) \| (.+?) \| (.+?) \| (.+?) \| (.+?) \|$", re.M)
# An id in code or a template: not part of a longer word or number ("E1a" and "G2-1" cite E1 and G2).
CITED = re.compile(r"(?<![A-Za-z0-9_#%-])([OGABCDEFUPW][1-9])(?![0-9])")
APPS = ("accounts", "campaigns", "inspections", "ledgers", "dashboard", "notifications", "lib", "templates")


def _rows() -> dict[str, tuple[str, ...]]:
    return {m.group(1): m.groups()[1:] for m in ROW.finditer(DOC.read_text(encoding="utf-8"))}


def test_every_id_of_the_catalogue_has_one_row():
    rows = _rows()
    assert len(CATALOGUE) == 55
    assert sorted(rows) == sorted(CATALOGUE)


def test_every_row_says_where_how_and_how_far():
    for rid, (meaning, where, use, state) in _rows().items():
        assert meaning.strip() and where.strip() and use.strip(), rid
        assert state.split(":")[0].strip() in {"realised", "partly", "not"}, (rid, state)


def test_every_id_cited_in_the_code_is_documented():
    documented = set(_rows())
    strays = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix not in (".py", ".html") or "migrations" in path.parts:
                continue
            for cited in CITED.findall(path.read_text(encoding="utf-8")):
                if cited not in documented:
                    strays.setdefault(cited, path.relative_to(ROOT).as_posix())
    assert not strays, f"ids cited in the code but not in docs/requirements.md: {strays}"
