"""Reserving frame memory ahead of need: the pool's reservations, the launch hint, the early start."""

import threading
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

import annotator.media.frame_cache as frame_cache
from annotator.errors import Cancelled
from annotator.media.frame_cache import ChunkPool, largest_plan, plan_cache
from annotator.model import Clip
from annotator.progress import CancelToken
from app.settings import AppSettings, project_folder
from app.warm_start import early_hint, reserve_early

MIB = 1 << 20


def test_reserve_maps_the_chunks_still_missing_and_take_uses_them(monkeypatch: pytest.MonkeyPatch) -> None:
    mapped: list[int] = []
    real = frame_cache._map_chunk
    monkeypatch.setattr(frame_cache, "_map_chunk", lambda n: mapped.append(n) or real(n))
    pool = ChunkPool(limit_bytes=8 * MIB)
    pool.give([real(MIB)])
    assert pool.reserve(MIB, 3) == 2  # one was already spare
    assert pool.spare_bytes() == 3 * MIB and mapped == [MIB, MIB]
    assert pool.reserve(MIB, 3) == 0  # nothing missing: nothing mapped
    chunks = [pool.take(MIB) for _ in range(3)]
    assert len(mapped) == 2 and pool.spare_bytes() == 0  # all three came from the pool
    assert all(c.nbytes == MIB and not c.any() for c in chunks)  # committed, zeroed memory


def test_reserve_stays_within_the_pool_limit() -> None:
    pool = ChunkPool(limit_bytes=3 * MIB)
    assert pool.reserve(MIB, 10) == 3
    assert pool.spare_bytes() == 3 * MIB


def test_cancelled_reservation_maps_nothing_more() -> None:
    pool = ChunkPool(limit_bytes=8 * MIB)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        pool.reserve(MIB, 4, token)
    assert pool.spare_bytes() == 0
    assert pool.take(MIB).nbytes == MIB  # no pending reservation left to wait for


def test_take_waits_for_a_chunk_being_reserved_instead_of_mapping_another(monkeypatch: pytest.MonkeyPatch) -> None:
    real = frame_cache._map_chunk
    release = threading.Event()
    calls: list[str] = []

    def slow_map(n: int) -> np.ndarray:
        calls.append(threading.current_thread().name)
        release.wait(5)
        return real(n)

    monkeypatch.setattr(frame_cache, "_map_chunk", slow_map)
    pool = ChunkPool(limit_bytes=8 * MIB)
    reserver = threading.Thread(target=pool.reserve, args=(MIB, 1), name="reserver")
    reserver.start()
    while not calls:  # the reservation is now mapping its chunk
        threading.Event().wait(0.001)
    got: list[np.ndarray] = []
    taker = threading.Thread(target=lambda: got.append(pool.take(MIB)), name="taker")
    taker.start()
    taker.join(0.2)
    assert taker.is_alive() and not got  # waiting for the reserved chunk
    release.set()
    taker.join(5)
    reserver.join(5)
    assert len(got) == 1 and calls == ["reserver"]  # one mapping in all


def test_largest_plan_is_the_one_taking_most_memory() -> None:
    sizes = [(320, 240, 300), (1920, 1080, 450), (640, 360, 300)]
    plan = largest_plan(sizes, 1 << 30)
    assert plan == plan_cache(1920, 1080, 450, 1 << 30)
    assert largest_plan([], 1 << 30) is None


def test_settings_remember_the_frame_memory_per_project(tmp_path: Path) -> None:
    settings = AppSettings(str(tmp_path / "s.ini"))
    settings.set_frame_memory("/p/one", 32 * MIB, 22)
    assert settings.frame_memory("/p/one") == (32 * MIB, 22)
    assert settings.frame_memory("/p/two") is None
    for bad in ("lots", "0x22", "33554432x0", "-1x3"):  # hand-edited, unusable values
        settings._qs.setValue("frame_memory/|p|two", bad)
        assert settings.frame_memory("/p/two") is None


def test_early_hint_follows_the_project_main_py_will_open(tmp_path: Path) -> None:
    ini = tmp_path / "s.ini"
    settings = AppSettings(str(ini))
    folder = str(tmp_path / "proj")
    settings.last_project = project_folder(folder)
    settings.set_frame_memory(project_folder(folder), 32 * MIB, 22)
    settings.cache_budget_bytes = 256 * MIB  # the user's budget caps the hint
    settings.sync()
    assert early_hint([folder, "--settings", str(ini)]) == (32 * MIB, 8, 256 * MIB)
    assert early_hint(["--as", "alice", folder, "--settings", str(ini)]) == (32 * MIB, 8, 256 * MIB)
    assert early_hint(["--settings", str(ini)]) == (32 * MIB, 8, 256 * MIB)  # the last project
    assert early_hint(["--as", "alice", "--settings", str(ini)]) == (32 * MIB, 8, 256 * MIB)
    assert early_hint([str(tmp_path / "other"), "--settings", str(ini)]) is None
    assert early_hint(["--settings", str(tmp_path / "fresh.ini")]) is None


def test_reserve_early_fills_the_pool_on_its_own_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = ChunkPool()
    monkeypatch.setattr("app.warm_start.POOL", pool)
    ini = tmp_path / "s.ini"
    settings = AppSettings(str(ini))
    settings.set_frame_memory(project_folder(str(tmp_path)), MIB, 3)
    settings.sync()
    thread = reserve_early([str(tmp_path), "--as", "x", "--settings", str(ini)])
    assert thread is not None
    thread.join(10)
    assert pool.spare_bytes() == 3 * MIB
    assert reserve_early(["--settings", str(tmp_path / "fresh.ini")]) is None


def test_player_reserves_for_its_largest_clip(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.player.player_widget import Player
    from app.tasks import TaskRunner

    pool = ChunkPool()
    monkeypatch.setattr("app.player.player_widget.POOL", pool)
    player = Player(TaskRunner(max_threads=1))
    qtbot.addWidget(player)
    player.set_budget(64 * MIB)
    clips = [Clip(1, "a", "S1", 30.0, 60, 320, 240, "a.mp4"), Clip(2, "b", "S1", 30.0, 90, 640, 480, "b.mp4"),
             Clip(3, "c", "S1", 30.0, 900, None, None, None)]  # no media: not counted
    plan = plan_cache(640, 480, 90, 64 * MIB)
    assert player.reserve_memory(clips) == (plan.chunk_bytes, plan.chunks)
    qtbot.waitUntil(lambda: pool.spare_bytes() == plan.nbytes, timeout=10000)
    assert plan.nbytes == plan.chunks * plan.chunk_bytes
    assert player.reserve_memory([clips[2]]) is None  # nothing with media: nothing to reserve


def test_spares_and_chunks_in_use_stay_within_the_limit_together() -> None:
    pool = ChunkPool(limit_bytes=4 * MIB)
    in_use = [pool.take(MIB) for _ in range(3)]  # a cache holds 3 MiB
    assert pool.reserve(MIB, 4) == 1  # room for one more spare only
    assert pool.spare_bytes() == MIB
    pool.give(in_use)  # the cache is released: its chunks become spares
    assert pool.spare_bytes() == 4 * MIB
    again = [pool.take(MIB) for _ in range(4)]
    assert pool.spare_bytes() == 0
    extra = pool.take(MIB)  # a cache may map past the limit while it decodes ...
    pool.give([*again, extra])
    assert pool.spare_bytes() == 4 * MIB  # ... but only the limit is kept afterwards
