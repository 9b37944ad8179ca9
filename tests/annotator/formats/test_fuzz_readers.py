"""Fuzz every reader (issue 15): each input is accepted, or refused with one InputError line
naming the file, with the project unchanged; no other exception ever escapes.

Derandomised, so CI runs the same inputs every time; bench/bench_fuzz.py runs a larger,
random campaign over the same targets.
"""

# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.annotator.formats.fuzz_inputs import TARGETS, Target, Workspace, check
from tests.annotator.store.db import db_url  # noqa: F401  (pytest fixture)

# Examples per target: about 2,000 inputs in all, most of them in the importers that write.
EXAMPLES = {"mma52-csv import": 300, "opentad-json import": 300, "pointtad-json import": 300,
            "elan-eaf import": 150, "boris-aggregated import": 150, "boris-project import": 150,
            "label-studio-json import": 150,
            "submission-csv read": 250, "opentad-results read": 250, "mmad eval predictions": 120,
            "taxonomy load": 250, "project.toml open": 200}
POSTGRESQL_EXAMPLES = 60  # per importer: the same refusals, through the other database


def _fuzz(target: Target, work: Workspace, examples: int) -> dict[str, int]:
    outcomes = {"accepted": 0, "refused": 0}

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
    @given(target.documents)
    def run(data: bytes) -> None:
        outcomes[check(target, data, work)] += 1

    run()
    return outcomes


@pytest.mark.parametrize("target", [t for t in TARGETS if not t.writes_project], ids=lambda t: t.name)
def test_readers_accept_or_refuse_in_one_line(target: Target, tmp_path: Path) -> None:
    work = Workspace(tmp_path)
    try:
        outcomes = _fuzz(target, work, EXAMPLES[target.name])
    finally:
        work.close()
    assert outcomes["refused"] > 0 and outcomes["accepted"] > 0, outcomes  # both paths were reached


@pytest.mark.parametrize("target", [t for t in TARGETS if t.writes_project], ids=lambda t: t.name)
def test_imports_accept_or_refuse_and_a_refusal_changes_nothing(target: Target, db_url: str) -> None:
    postgres = not db_url.startswith("sqlite")
    with tempfile.TemporaryDirectory() as tmp:
        work = Workspace(Path(tmp), db_url if postgres else None)
        try:
            outcomes = _fuzz(target, work, POSTGRESQL_EXAMPLES if postgres else EXAMPLES[target.name])
        finally:
            work.close()
    assert outcomes["refused"] > 0 and outcomes["accepted"] > 0, outcomes
