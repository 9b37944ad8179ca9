"""Prediction files: submission CSV and OpenTAD results, lossless and validated."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.errors import InputError
from annotator.formats import PREDICTION_FORMATS, PredictionRecord, read_predictions, write_predictions
from annotator.taxonomy import Taxonomy

PREDS = [
    PredictionRecord("train0000", 0.1, 1.0 / 3.0, 9, 0.875),
    PredictionRecord("train0000", 2.0, 5.5, 51, 1e-7),
    PredictionRecord("val0001", 0.0, 14.966666666666667, 0, 0.5),
]


@pytest.mark.parametrize("fmt", PREDICTION_FORMATS)
def test_predictions_round_trip_exactly(fmt: str, mma52: Taxonomy, tmp_path: Path) -> None:
    path = write_predictions(PREDS, tmp_path / "p", fmt, mma52)
    assert read_predictions(path, fmt, mma52) == PREDS


def test_submission_csv_layout(mma52: Taxonomy, tmp_path: Path) -> None:
    path = write_predictions(PREDS[:1], tmp_path / "s.csv", "submission-csv", mma52)
    assert (
        path.read_text()
        == ",video_id,t_start,t_end,class,score\n0,train0000,0.1,0.3333333333333333,9,0.875\n"
    )


def test_opentad_results_layout(mma52: Taxonomy, tmp_path: Path) -> None:
    path = write_predictions(PREDS[:1], tmp_path / "r.json", "opentad-results", mma52)
    assert path.read_text() == (
        '{"results": {"train0000": [{"segment": [0.1, 0.3333333333333333], "label": "nodding", '
        '"label_id": 9, "score": 0.875}]}}'
    )


SUB_HEAD = ",video_id,t_start,t_end,class,score\n"


@pytest.mark.parametrize(
    ("text", "place", "problem"),
    [
        ("video_id,t_start,t_end,class,score\n", "line 1", "bad header"),
        (SUB_HEAD + "0,v,1.0,0.5,3,0.9\n", "line 2", "t_end 0.5 is before t_start 1.0"),
        (SUB_HEAD + "0,v,1.0,2.0,52,0.9\n", "line 2", "unknown class id 52"),
        (SUB_HEAD + "0,v,1.0,2.0,3\n", "line 2", "5 columns"),
        (SUB_HEAD + "0,v,1.0,2.0,3,high\n", "line 2", "score must be a number"),
        (SUB_HEAD + "0,,1.0,2.0,3,0.1\n", "line 2", "empty video_id"),
    ],
)
def test_bad_submission_csv(text: str, place: str, problem: str, mma52: Taxonomy, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        read_predictions(path, "submission-csv", mma52)
    assert (info.value.place, info.value.file) == (place, str(path))
    assert problem in info.value.problem


@pytest.mark.parametrize(
    ("text", "place", "problem"),
    [
        ('{"results": {"v": [{"segment": [1, 2], "label": "nodding"', "line 1", "invalid JSON"),
        ('{"result": {}}', "top level", "missing key 'results'"),
        ('{"results": {"v": {}}}', "results.v", "expected an array"),
        (
            '{"results": {"v": [{"segment": [1, 2], "label": "nodding"}]}}',
            "results.v[0]",
            "missing key 'score'",
        ),
        (
            '{"results": {"v": [{"segment": [2, 1], "label": "nodding", "score": 1}]}}',
            "results.v[0].segment",
            "before start",
        ),
        (
            '{"results": {"v": [{"segment": [1, 2], "label": "x", "score": 1}]}}',
            "results.v[0].label",
            "unknown label",
        ),
        (
            '{"results": {"v": [{"segment": [1, 2], "label": "nodding", "score": true}]}}',
            "results.v[0].score",
            "expected a number",
        ),
    ],
)
def test_bad_opentad_results(text: str, place: str, problem: str, mma52: Taxonomy, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        read_predictions(path, "opentad-results", mma52)
    assert info.value.place is not None and info.value.place.startswith(place)
    assert problem in info.value.problem


times = st.floats(0, 1e4, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=st.lists(
        st.tuples(
            st.sampled_from(["a", "b_1", "c,d"]),
            times,
            times,
            st.integers(0, 51),
            st.floats(0, 1, allow_nan=False),
        ),
        max_size=20,
    )
)
def test_random_predictions_round_trip(
    raw: list[tuple[str, float, float, int, float]], mma52: Taxonomy, tmp_path_factory: pytest.TempPathFactory
) -> None:
    preds = [PredictionRecord(v, min(a, b), max(a, b), c, s) for v, a, b, c, s in raw]
    tmp = tmp_path_factory.mktemp("p")
    assert (
        read_predictions(
            write_predictions(preds, tmp / "s.csv", "submission-csv", mma52), "submission-csv", mma52
        )
        == preds
    )
    grouped = sorted(preds, key=lambda p: [p.video_id for p in preds].index(p.video_id))
    assert (
        read_predictions(
            write_predictions(preds, tmp / "r.json", "opentad-results", mma52), "opentad-results", mma52
        )
        == grouped
    )
