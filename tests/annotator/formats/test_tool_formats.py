"""ELAN, BORIS and Label Studio: round trips exact to the frame, files written by each tool's
conventions (tests/fixtures/formats/tools, built from the formats' documentation), mapping
files and refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import InputError
from annotator.formats import TOOL_FORMATS, read_annotations, read_label_map, read_works, write_annotations
from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from annotator.formats.timed import MAX_AUTHOR, LabelMap, frame_of_ms, ms_of_frame
from annotator.importing import import_annotations, import_annotators_from_file
from annotator.model import Role
from annotator.project import Project
from annotator.store.access import NAME_MAX
from annotator.taxonomy import Taxonomy

CLIP = "196_01_0005_L"
CLIPS = {CLIP: VideoRecord(CLIP, 29.97, 400, None, "196")}
WRITTEN = ("elan-eaf", "boris-aggregated", "label-studio-json")


def _sample() -> AnnotationSet:
    return AnnotationSet(
        videos={CLIP: VideoRecord(CLIP, 29.97, 400, "train", "196"),
                "9_01_0001": VideoRecord("9_01_0001", 30.0, 300, None, "9"),
                "s1_a": VideoRecord("s1_a", 24000 / 1001, 361, "val", "s1")},
        instances=[InstanceRecord(CLIP, 0, 17, 3), InstanceRecord(CLIP, 5, 399, 40), InstanceRecord(CLIP, 5, 399, 9),
                   InstanceRecord("9_01_0001", 33, 99, 51), InstanceRecord("s1_a", 1, 360, 0)])


def _key(aset: AnnotationSet) -> list[tuple[str, int, int, int]]:
    return sorted((i.video_id, i.start_frame, i.end_frame, i.action_id) for i in aset.instances)


def _out(tmp_path: Path, fmt: str) -> Path:
    return tmp_path / {"elan-eaf": "elan", "boris-aggregated": "b.tsv", "label-studio-json": "ls.json"}[fmt]


@pytest.mark.parametrize("fmt", WRITTEN)
def test_round_trip_is_exact_to_the_frame_without_the_project(fmt: str, mma52: Taxonomy, tmp_path: Path) -> None:
    aset = _sample()
    author = None if fmt == "boris-aggregated" else "alice"
    write_annotations(aset, _out(tmp_path, fmt), fmt, mma52, author=author, media={CLIP: "S01/196_01_0005_L.mp4"})
    works = read_works(_out(tmp_path, fmt), fmt, mma52)
    assert list(works) == [author]
    back = works[author]
    assert _key(back) == _key(aset)
    for name, video in aset.videos.items():
        assert (back.videos[name].fps, back.videos[name].total_frames, back.videos[name].subject) == \
            (video.fps, video.total_frames, video.subject)


def test_elan_keeps_subset_and_links_the_media(mma52: Taxonomy, tmp_path: Path) -> None:
    write_annotations(_sample(), tmp_path / "elan", "elan-eaf", mma52, media={CLIP: "/videos/196_01_0005_L.mp4"})
    text = (tmp_path / "elan" / f"{CLIP}.eaf").read_text()
    assert 'MEDIA_URL="file:///videos/196_01_0005_L.mp4"' in text and 'CVE_ID="B1"' in text
    back = read_works(tmp_path / "elan", "elan-eaf", mma52)[None]
    assert back.videos[CLIP].subset == "train" and back.videos["9_01_0001"].subset is None


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**31 - 2), st.floats(0.5, 1000.0))  # a last frame over MAX_FRAME is refused
def test_milliseconds_give_the_frame_back_at_any_fps(frame: int, fps: float) -> None:
    if frame / fps > 1e7:  # beyond the longest time a file may hold
        return
    assert frame_of_ms(ms_of_frame(frame, fps), fps, "f", "p") == frame


def test_elan_file_as_elan_writes_it_with_a_mapping(mma52: Taxonomy, fixtures: Path) -> None:
    mapping = read_label_map(fixtures / "tools" / "gestures_mapping.json")
    works = read_works(fixtures / "tools" / "gestures.eaf", "elan-eaf", mma52, clips=CLIPS, mapping=mapping)
    assert list(works) == ["Marta"]
    # 500-1500 ms at 29.97 fps: frames 14.985 and 44.955, so 15 and 45; "shaking head" by its name
    assert _key(works["Marta"]) == [(CLIP, 15, 45, 9), (CLIP, 60, 90, 10), (CLIP, 120, 150, 14)]


def test_elan_unknown_value_is_refused_with_file_tier_and_time(mma52: Taxonomy, fixtures: Path) -> None:
    path = fixtures / "tools" / "gestures.eaf"
    with pytest.raises(InputError) as caught:
        read_works(path, "elan-eaf", mma52, clips=CLIPS, mapping=LabelMap(tiers={"Comments": None}))
    assert str(caught.value).startswith(f"{path}, tier 'Head' at 500 ms: unknown value 'nod'")


def test_elan_value_on_another_body_parts_tier_is_refused(mma52: Taxonomy, fixtures: Path) -> None:
    mapping = LabelMap(actions={"nod": "rubbing hands", "rub": "rubbing hands"}, tiers={"Comments": None})
    with pytest.raises(InputError, match="'Head' at 500 ms: value 'nod' is a upper limb action"):
        read_works(fixtures / "tools" / "gestures.eaf", "elan-eaf", mma52, clips=CLIPS, mapping=mapping)


def test_elan_video_unknown_to_the_project_is_refused(mma52: Taxonomy, fixtures: Path) -> None:
    mapping = read_label_map(fixtures / "tools" / "gestures_mapping.json")
    with pytest.raises(InputError, match="video '196_01_0005_L' is not in the project"):
        read_works(fixtures / "tools" / "gestures.eaf", "elan-eaf", mma52, mapping=mapping)


@pytest.mark.parametrize("damage", ["<ANNOTATION_DOCUMENT", "", "\x00", "<a><b></a>"])
def test_damaged_elan_file_is_one_line(damage: str, mma52: Taxonomy, tmp_path: Path) -> None:
    path = tmp_path / "x.eaf"
    path.write_text(damage)
    with pytest.raises(InputError) as caught:
        read_works(path, "elan-eaf", mma52, clips=CLIPS)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_elan_folder_reads_every_file(mma52: Taxonomy, fixtures: Path, tmp_path: Path) -> None:
    write_annotations(_sample(), tmp_path / "elan", "elan-eaf", mma52)
    shutil.copy(fixtures / "tools" / "gestures.eaf", tmp_path / "elan" / "sub_gestures.eaf")
    (tmp_path / "elan" / "notes.txt").write_text("not read")
    mapping = read_label_map(fixtures / "tools" / "gestures_mapping.json")
    works = read_works(tmp_path / "elan", "elan-eaf", mma52, clips=CLIPS, mapping=mapping)
    assert sorted(works, key=str) == ["Marta", None]
    assert len(works[None].instances) == 5 and len(works["Marta"].instances) == 3


def test_boris_aggregated_events_as_boris_8_writes_them(mma52: Taxonomy, fixtures: Path) -> None:
    works = read_works(fixtures / "tools" / "aggregated_events.tsv", "boris-aggregated", mma52,
                       mapping=LabelMap(actions={"nod": "nodding"}))
    aset = works[None]
    assert _key(aset) == [(CLIP, 15, 45, 9), (CLIP, 120, 150, 14)]
    assert aset.videos[CLIP] == VideoRecord(CLIP, 29.97, 400, None, "P196")  # 13.347 s at 29.97 fps


def test_boris_7_csv_behaviour_by_code(mma52: Taxonomy, fixtures: Path) -> None:
    aset = read_works(fixtures / "tools" / "aggregated_events_v7.csv", "boris-aggregated", mma52)[None]
    assert _key(aset) == [("9_01_0001", 33, 99, 9)]
    assert aset.videos["9_01_0001"].subject is None and aset.videos["9_01_0001"].total_frames == 300


def test_boris_point_event_is_refused(mma52: Taxonomy, fixtures: Path, tmp_path: Path) -> None:
    path = tmp_path / "points.tsv"
    path.write_text((fixtures / "tools" / "aggregated_events.tsv").read_text().replace("STATE", "POINT", 1))
    with pytest.raises(InputError, match=r"line 2: behaviour 'nod' is a point event, which has no duration"):
        read_works(path, "boris-aggregated", mma52)


def test_boris_project_pairs_state_events(mma52: Taxonomy, fixtures: Path) -> None:
    mapping = LabelMap(actions={"nod": "nodding", "rub": "rubbing hands"})
    aset = read_works(fixtures / "tools" / "project.boris", "boris-project", mma52, mapping=mapping)[None]
    assert _key(aset) == [(CLIP, 15, 45, 9), (CLIP, 120, 150, 14)]
    assert aset.videos[CLIP].subject == "P196"


@pytest.mark.parametrize(("event", "problem"), [
    ([6.0, "P196", "blink", "", ""], "behaviour 'blink' is a point event"),
    ([6.0, "P196", "nod", "", ""], "unpaired state event 'nod'"),
])
def test_boris_project_refusals(event: list[object], problem: str, mma52: Taxonomy, fixtures: Path,
                                tmp_path: Path) -> None:
    data = json.loads((fixtures / "tools" / "project.boris").read_text())
    data["observations"]["session 3"]["events"].append(event)
    path = tmp_path / "p.boris"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError, match=problem):
        read_works(path, "boris-project", mma52, mapping=LabelMap(actions={"nod": "nodding", "rub": "rubbing hands"}))


def test_boris_unknown_behaviour_is_refused(mma52: Taxonomy, fixtures: Path) -> None:
    with pytest.raises(InputError, match=r"line 2, behaviour: unknown value 'nod'"):
        read_works(fixtures / "tools" / "aggregated_events.tsv", "boris-aggregated", mma52)


def test_label_studio_export_keeps_each_annotator(mma52: Taxonomy, fixtures: Path) -> None:
    works = read_works(fixtures / "tools" / "label_studio.json", "label-studio-json", mma52, clips=CLIPS)
    assert sorted(works, key=str) == ["label-studio-user-2", "li@lab.example"]  # the cancelled one skipped
    # ranges are 1-based frames, both ends in: {16, 45} is frames 15..44, our [15, 45]
    assert _key(works["label-studio-user-2"]) == [(CLIP, 15, 45, 9), (CLIP, 120, 150, 14), (CLIP, 199, 230, 14)]
    assert _key(works["li@lab.example"]) == [(CLIP, 15, 44, 9)]


def test_label_studio_frame_zero_is_refused(mma52: Taxonomy, tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "ls.json"
    path.write_text((fixtures / "tools" / "label_studio.json").read_text().replace('"start": 16, "end": 45',
                                                                                   '"start": 0, "end": 45'))
    with pytest.raises(InputError, match=r"\[0\]\.annotations\[0\]\.result\[0\]\.value\.ranges\[0\]\.start: "
                                         "frame 0: Label Studio counts frames from 1"):
        read_works(path, "label-studio-json", mma52, clips=CLIPS)


@pytest.mark.parametrize(("text", "problem"), [
    ('{"actions": {"nod": 3}}', "actions.nod: expected a string"),
    ('{"labels": {}}', "unknown key 'labels'"),
    ('{"tiers": {"\\u0000": "head"}}', "control character"),
    ("[", "invalid JSON"),
])
def test_bad_mapping_file_is_one_line(text: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    path.write_text(text)
    with pytest.raises(InputError, match=problem) as caught:
        read_label_map(path)
    assert str(caught.value).startswith(str(path))


def test_author_limit_is_the_stores() -> None:
    assert MAX_AUTHOR == NAME_MAX


def test_import_each_annotator_then_refuse_ground_truth_of_two(fixtures: Path, tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p", name="p")
    store = project.open_store()
    try:
        path = fixtures / "tools" / "label_studio.json"
        with pytest.raises(InputError, match="is not in the project"):  # no clip yet: no fps to read frames at
            import_annotators_from_file(store, path, "label-studio-json")
        import_annotations(store, fixtures / "tools" / "aggregated_events.tsv", "boris-aggregated",
                           mapping=LabelMap(actions={"nod": "nodding"}))
        with pytest.raises(InputError, match="holds the work of 2 annotators"):
            import_annotations(store, path, "label-studio-json")
        with pytest.raises(InputError, match="names 2 user.s. not in the project: 'label-studio-user-2', "
                                             "'li@lab.example'; add them first"):
            import_annotators_from_file(store, path, "label-studio-json")
        for name in ("label-studio-user-2", "li@lab.example"):
            store.add_annotator(name, Role.ANNOTATOR)
        reports = import_annotators_from_file(store, path, "label-studio-json")
        assert [r.author for r in reports] == ["label-studio-user-2", "li@lab.example"]
        clip = store.clips()[0]
        assert (clip.name, clip.subject, clip.frame_count) == (CLIP, "P196", 400)
        assert [(s.start_frame, s.end_frame) for s in store.segments(clip.id, "li@lab.example")] == [(15, 44)]
        assert {a.name for a in store.annotators()} >= {"label-studio-user-2", "li@lab.example"}
    finally:
        store.close()


def test_every_tool_format_is_importable() -> None:
    assert set(WRITTEN) | {"boris-project"} == set(TOOL_FORMATS)


def test_elan_entity_expansion_and_external_entities_are_refused(mma52: Taxonomy, tmp_path: Path) -> None:
    entities = "".join(f'<!ENTITY l{i + 1} "' + f"&l{i};" * 10 + '">' for i in range(1, 9))
    laughs = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l1 "lol">{entities}]><ANNOTATION_DOCUMENT VERSION="3.0">'
              '<HEADER><PROPERTY NAME="mmad:video">&l9;</PROPERTY></HEADER></ANNOTATION_DOCUMENT>')
    external = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ANNOTATION_DOCUMENT '
                'VERSION="3.0"><HEADER><PROPERTY NAME="mmad:video">&e;</PROPERTY></HEADER></ANNOTATION_DOCUMENT>')
    for text in (laughs, external):
        path = tmp_path / "x.eaf"
        path.write_text(text)
        with pytest.raises(InputError, match="not an ELAN file pympi can read"):
            read_works(path, "elan-eaf", mma52, clips=CLIPS)


def test_second_import_of_several_annotators_writes_none(fixtures: Path, tmp_path: Path) -> None:
    project = Project.create(tmp_path / "p", name="p")
    store = project.open_store()
    try:
        import_annotations(store, fixtures / "tools" / "aggregated_events.tsv", "boris-aggregated",
                           mapping=LabelMap(actions={"nod": "nodding"}))
        for name in ("label-studio-user-2", "li@lab.example"):
            store.add_annotator(name, Role.ANNOTATOR)
        path = fixtures / "tools" / "label_studio.json"
        data = json.loads(path.read_text())
        del data[0]["annotations"][0]  # li@lab.example alone first
        only_li = tmp_path / "li.json"
        only_li.write_text(json.dumps(data))
        import_annotators_from_file(store, only_li, "label-studio-json")
        with pytest.raises(InputError, match="'li@lab.example'.*already has segments on clip '196_01_0005_L'"):
            import_annotators_from_file(store, path, "label-studio-json")
        assert store.segments_by_clip("label-studio-user-2") == {}  # the first was not written
    finally:
        store.close()


def test_elan_tier_without_annotator_beside_named_ones_keeps_both(mma52: Taxonomy, fixtures: Path,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "mixed.eaf"
    path.write_text((fixtures / "tools" / "gestures.eaf").read_text().replace(
        'ANNOTATOR="Marta" TIER_ID="Hands"', 'TIER_ID="Hands"'))
    mapping = read_label_map(fixtures / "tools" / "gestures_mapping.json")
    works = read_works(path, "elan-eaf", mma52, clips=CLIPS, mapping=mapping)
    assert _key(works["Marta"]) == [(CLIP, 15, 45, 9), (CLIP, 60, 90, 10)] and _key(works[None]) == [(CLIP, 120, 150, 14)]
    with pytest.raises(InputError, match="holds the work of 2 annotators"):
        read_annotations(path, "elan-eaf", mma52, clips=CLIPS, mapping=mapping)
