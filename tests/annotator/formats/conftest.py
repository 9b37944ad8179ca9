"""Fixtures of the format tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.taxonomy import Taxonomy, load_taxonomy

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"


@pytest.fixture(scope="session")
def mma52() -> Taxonomy:
    """The bundled MMA-52 taxonomy."""
    return load_taxonomy("mma52")


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """tests/fixtures/formats."""
    return FIXTURES
