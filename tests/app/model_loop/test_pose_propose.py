"""The pose path of the model loop: a propose job extracts the clip's landmarks into the project's
cache, reads them from there the next time, and its proposals are stored for the clip."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.progress import CancelToken
from annotator.project import Project
from annotator.synthetic.demo import build_demo
from app.model_loop.jobs import train_version
from app.model_loop.loop_controller import store_proposals
from app.model_loop.proposing import clip_ref, propose_clips
from app.model_loop.records import Guards, TrainSpec
from inference.pose.cache import cache_path

pytestmark = pytest.mark.slow  # MediaPipe on one 160×120 demo clip: about 12 s on a loaded machine
VERSION = "pose-full@test"


def pose_checkpoint(project: Project) -> Path:
    """A pose detector with its initial weights (seeded): the plumbing, not the model, is tested here."""
    import torch

    from inference.checkpoint import save_checkpoint
    from inference.configs import pose_preset
    from inference.model import Detector

    torch.manual_seed(0)
    model = Detector(pose_preset(num_classes=len(project.taxonomy.actions)))
    return save_checkpoint(project.path / "models" / "1" / "best.pt", model, project.taxonomy.action_names)


@pytest.fixture(scope="module")
def one_clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    """A one-clip demo project (160×120) and a pose checkpoint in it."""
    folder = tmp_path_factory.mktemp("pose_loop") / "demo"
    build_demo(folder, subjects=1, clips_per_subject=1, size=(160, 120))
    project = Project.open(folder)
    return project, pose_checkpoint(project)


def test_a_pose_propose_job_caches_landmarks_and_its_proposals_are_stored(one_clip: tuple[Project, Path]) -> None:
    project, checkpoint = one_clip
    store = project.open_store()
    try:
        clip = store.clips()[0]
        media = project.media_path(clip)
        assert media is not None
        clips = [clip_ref(clip, media)]
        messages: list[str] = []
        result = propose_clips(checkpoint, VERSION, clips, pose_cache=project.path,
                               progress=lambda _f, m: messages.append(m), cancel=CancelToken())
        cached = cache_path(project.path, clip.name)
        assert cached.is_file()  # the landmarks stay in the project for the next run and for training
        rows = result.proposals[clip.id]
        assert rows and all(0 <= s < e < clip.frame_count for s, e, _a, _p in rows)
        assert messages[-1] == "proposals ready"
        stamp = cached.stat().st_mtime_ns
        again = propose_clips(checkpoint, VERSION + "2", clips, pose_cache=project.path)
        assert cached.stat().st_mtime_ns == stamp  # read from the cache, not extracted again
        assert again.proposals == result.proposals
        stored, refused = store_proposals(store, result.to_json(), VERSION)
        assert stored == len(rows) and refused == []
        kept = store.proposals(clip.id, VERSION)
        assert sorted((p.start_frame, p.end_frame, p.action_id) for p in kept) == sorted(
            (s, e, a) for s, e, a, _p in rows)
    finally:
        store.close()


def test_pose_refuses_a_weights_file_before_any_work(one_clip: tuple[Project, Path]) -> None:
    project, _ = one_clip
    spec = TrainSpec(project=str(project.path), source="ground-truth", backbone="pose", pretrained="videomae.pth",
                     epochs=1, guards=Guards(train_anyway=True))
    with pytest.raises(InputError, match="pretrained weights are for a VideoMAE backbone"):
        train_version(spec)
