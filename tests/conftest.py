"""Shared fixtures: the real MMA-52 files and a PostgreSQL URL when one answers."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_MMA52 = REPO.parent / "shared" / "data" / "mma52"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def mma52_dir() -> Path:
    """The real MMA-52 annotation files; skips when ../shared is absent."""
    if not (SHARED_MMA52 / "train.csv").exists():
        pytest.skip(f"real MMA-52 files not found at {SHARED_MMA52}")
    return SHARED_MMA52
