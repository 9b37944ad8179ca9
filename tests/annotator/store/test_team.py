# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""Team mode on PostgreSQL: each user's own login, and row-level security that holds for raw SQL.

Every check connects as the test's superuser and takes a user's login with SET ROLE (the
server trusts local connections); the logins get unique names and are dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import ProgrammingError

from annotator.errors import ConflictError, PermissionDenied, RuleViolation
from annotator.model import (
    AssignmentState,
    MergedInstance,
    MergedStatus,
    MergeRule,
    Origin,
    Proposal,
    ProposalStatus,
    Role,
    Segment,
)
from annotator.project import Project
from annotator.store.api import NewClip
from annotator.store.store import Store
from annotator.taxonomy import load_taxonomy
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)

PASSWORD = "not-checked-by-trust-auth"


@dataclass(frozen=True)
class Team:
    """A seeded team project: its URL, the logins by user name, and the ids the checks use."""

    url: str
    login: dict[str, str]
    open_clip: int
    final_clip: int


@pytest.fixture
def team(tmp_path: Path, db_url: str) -> Iterator[Team]:
    if db_url.startswith("sqlite"):
        pytest.skip("team mode is PostgreSQL's")
    tag = uuid.uuid4().hex[:8]
    login = {name: f"t{tag}_{name}" for name in ("ann1", "ann2", "rev")}
    project = Project.create(tmp_path / "proj", db_url=db_url)
    store = project.open_store()
    try:
        store.add_annotator("ann1", Role.ANNOTATOR, login["ann1"], PASSWORD)
        store.add_annotator("ann2", Role.ANNOTATOR, login["ann2"], PASSWORD)
        store.add_annotator("rev", Role.REVIEWER, login["rev"], PASSWORD)
        open_clip, final_clip = (c.id for c in store.add_clips([NewClip("s1_a", "s1", 30.0, 300),
                                                                NewClip("s2_b", "s2", 30.0, 300)]))
        for clip in (open_clip, final_clip):
            store.assign_many([clip], ["ann1", "ann2"])
            for who in ("ann1", "ann2"):
                store.as_user(who).add_segment(Segment(None, clip, who, 10, 40, 3))
        for clip in (open_clip, final_clip):  # merged: the clip to finalise needs a merge of its work
            seg_ids = [s.id or 0 for s in store.segments(clip, "ann1") + store.segments(clip, "ann2")]
            store.replace_unresolved_merged(clip, [MergedInstance(None, clip, 10, 40, 3, tuple(seg_ids),
                                                                  MergeRule.UNION, True, MergedStatus.RELIABLE)])
        (proposal,) = store.add_proposals(open_clip, "v1", [Proposal(None, open_clip, "v1", 50, 80, 4, 0.9)])
        store.as_user("ann1").set_proposal_status(proposal.id or 0, ProposalStatus.REJECTED)
        store.finalise_clip(final_clip)
    finally:
        store.close()
    yield Team(db_url, login, open_clip, final_clip)
    admin = create_engine(db_url)
    try:
        with admin.begin() as conn:
            for role in login.values():
                conn.execute(text(f'DROP OWNED BY "{role}"'))
                conn.execute(text(f'DROP ROLE "{role}"'))
    finally:
        admin.dispose()


def as_login(engine: Engine, login: str) -> Connection:
    """A connection acting as `login` (inside a transaction the caller rolls back)."""
    conn = engine.connect()
    conn.begin()
    conn.execute(text(f'SET LOCAL ROLE "{login}"'))
    return conn


@contextmanager
def stranger_login(engine: Engine, login: str, tables: str) -> Iterator[None]:
    """A login no user names, with SELECT on `tables` ({schema} stands for the project's schema),
    dropped again afterwards."""
    with engine.begin() as admin:
        admin.execute(text(f'CREATE ROLE "{login}"'))
        schema = admin.execute(text("SELECT current_schema()")).scalar_one()
        admin.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{login}"'))
        granted = tables.format(schema=f'"{schema}"')
        admin.execute(text(f'GRANT SELECT ON {granted} TO "{login}"'))
    try:
        yield
    finally:
        with engine.begin() as admin:
            admin.execute(text(f'DROP OWNED BY "{login}"'))
            admin.execute(text(f'DROP ROLE "{login}"'))


def rows(conn: Connection, sql: str, **values: object) -> list[tuple[object, ...]]:
    return [tuple(r) for r in conn.execute(text(sql), values)]


def changed(conn: Connection, sql: str, **values: object) -> int:
    return conn.execute(text(sql), values).rowcount  # type: ignore[attr-defined,no-any-return]


def refused(engine: Engine, login: str, sql: str, **values: object) -> bool:
    """Whether the server refuses the statement for `login` (insufficient privilege / policy)."""
    conn = as_login(engine, login)
    try:
        conn.execute(text(sql), values)
    except ProgrammingError as exc:
        return getattr(exc.orig, "sqlstate", None) == "42501"
    finally:
        conn.rollback()
        conn.close()
    return False


def test_an_annotators_login_reads_and_writes_only_their_own_work(team: Team) -> None:
    engine = create_engine(team.url)
    a, f = team.open_clip, team.final_clip
    try:
        conn = as_login(engine, team.login["ann1"])
        try:
            authors = rows(conn, "SELECT clip_id, author FROM segments ORDER BY clip_id, author")
            assert authors == [(a, "ann1"), (f, "ann1"), (f, "ann2")]  # ann2's open work is invisible
            assert changed(conn, "UPDATE segments SET end_frame = 50 WHERE author = 'ann2'") == 0
            assert changed(conn, "DELETE FROM segments") == 0
            assert changed(conn, "UPDATE segments SET end_frame = 50 WHERE clip_id = :f", f=f) == 0  # finalised
            assert changed(conn, "UPDATE segments SET end_frame = 50 WHERE clip_id = :a", a=a) == 1  # own, open
            assert rows(conn, "SELECT clip_id FROM merged_instances") == [(f,)]  # merge unseen before finalising
            assert rows(conn, "SELECT count(*) FROM merged_segments") == [(2,)]  # the finalised clip's links only
            assert rows(conn, "SELECT author FROM proposal_answers") == [("ann1",)]
            assert changed(conn, "UPDATE clips SET finalised = true") == 0
            assert changed(conn, "UPDATE proposals SET score = 1") == 0
            assert rows(conn, "SELECT DISTINCT annotator_id FROM assignments") == rows(
                conn, "SELECT id FROM annotators WHERE name = 'ann1'")
            assert {u for (u,) in rows(conn, 'SELECT DISTINCT "user" FROM audit_log')} == {"ann1"}
        finally:
            conn.rollback()
            conn.close()
        ann1 = team.login["ann1"]
        now = "now()"
        assert refused(engine, ann1, "INSERT INTO segments (clip_id, author, start_frame, end_frame, action_id, origin, "
                                     f"version, created_at, updated_at, deleted) VALUES (:a, 'ann2', 0, 9, 3, 'manual', "
                                     f"1, {now}, {now}, false)", a=a)
        assert refused(engine, ann1, "INSERT INTO segments (clip_id, author, start_frame, end_frame, action_id, origin, "
                                     f"version, created_at, updated_at, deleted) VALUES (:f, 'ann1', 0, 9, 3, 'manual', "
                                     f"1, {now}, {now}, false)", f=f)
        assert refused(engine, ann1, "INSERT INTO merged_instances (clip_id, start_frame, end_frame, action_id, "
                                     "proposed_start_frame, proposed_end_frame, proposed_action_id, rule, reliable, "
                                     "status, version) VALUES (:a, 0, 9, 3, 0, 9, 3, 'union', true, 'reliable', 1)", a=a)
        assert refused(engine, ann1, "INSERT INTO proposal_answers (proposal_id, author, status, answered_at) "
                                     "SELECT id, 'ann2', 'rejected', now() FROM proposals")
        assert refused(engine, ann1, "INSERT INTO annotators (name, role) VALUES ('mallory', 'reviewer')")
        assert refused(engine, ann1, "UPDATE annotators SET role = 'reviewer'")
        assert refused(engine, ann1, "INSERT INTO audit_log (at, \"user\", action, entity) "
                                     "VALUES (now(), 'ann2', 'x', 'y')")
    finally:
        engine.dispose()


def test_a_reviewers_login_reviews_but_manages_no_users(team: Team) -> None:
    engine = create_engine(team.url)
    try:
        conn = as_login(engine, team.login["rev"])
        try:
            assert rows(conn, "SELECT count(*) FROM segments") == [(4,)]
            assert rows(conn, "SELECT count(*) FROM merged_instances") == [(2,)]
            assert changed(conn, "UPDATE merged_instances SET status = 'resolved', decision = 'keep' "
                                 "WHERE clip_id = :a", a=team.open_clip) == 1
            assert changed(conn, "UPDATE clips SET finalised = true WHERE id = :a", a=team.open_clip) == 1
        finally:
            conn.rollback()
            conn.close()
        assert refused(engine, team.login["rev"], "INSERT INTO annotators (name, role) VALUES ('mallory', 'reviewer')")
        assert refused(engine, team.login["rev"], "INSERT INTO clips (name, subject_id, fps, frame_count, finalised) "
                                                  "VALUES ('x', 's1', 30, 10, false)")
        stranger = f"{team.login['rev']}_x"  # a login no user names sees nothing
        with stranger_login(engine, stranger, "segments, clips"):
            conn = as_login(engine, stranger)
            try:
                assert rows(conn, "SELECT count(*) FROM segments") == [(0,)]
                assert rows(conn, "SELECT count(*) FROM clips") == [(0,)]
            finally:
                conn.rollback()
                conn.close()
    finally:
        engine.dispose()


def _private_proposals(team: Team) -> dict[str, int]:
    """Seed, as the owner: a shared pending proposal, one of ann1's own (pending) and one answered,
    one of ann2's own, and a third clip assigned to nobody. Returns their ids by key."""
    store = Store.open(team.url, load_taxonomy("mma52"))
    try:
        (shared,) = store.add_proposals(team.open_clip, "v2", [Proposal(None, team.open_clip, "v2", 0, 20, 4, 0.5)])
        ann1, ann2 = store.as_user("ann1"), store.as_user("ann2")
        own, answered = ann1.add_proposals(team.open_clip, "v2", [Proposal(None, team.open_clip, "v2", 100, 120, 4, 0.5),
                                                                  Proposal(None, team.open_clip, "v2", 130, 150, 4, 0.5)])
        ann1.set_proposal_status(answered.id or 0, ProposalStatus.REJECTED)
        (theirs,) = ann2.add_proposals(team.open_clip, "v2", [Proposal(None, team.open_clip, "v2", 200, 220, 4, 0.5)])
        (nobodys,) = store.add_clips([NewClip("s3_c", "s3", 30.0, 300)])
        return {"shared": shared.id or 0, "own": own.id or 0, "answered": answered.id or 0,
                "theirs": theirs.id or 0, "unassigned": nobodys.id}
    finally:
        store.close()


INSERT_PROPOSAL = ("INSERT INTO proposals (clip_id, model_version, start_frame, end_frame, action_id, score, "
                   "requested_by) VALUES (:c, 'x', 1, 9, 4, 0.5, :r)")


def test_an_annotators_login_sees_and_changes_only_shared_and_own_proposals(team: Team) -> None:
    ids = _private_proposals(team)
    a, f, ann1 = team.open_clip, team.final_clip, team.login["ann1"]
    engine = create_engine(team.url)
    try:
        conn = as_login(engine, ann1)
        try:
            seen = rows(conn, "SELECT id, requested_by FROM proposals WHERE model_version = 'v2' ORDER BY id")
            assert seen == [(ids["shared"], None), (ids["own"], "ann1"), (ids["answered"], "ann1")]  # not ann2's
            assert changed(conn, "DELETE FROM proposals WHERE id = :i", i=ids["theirs"]) == 0
            assert changed(conn, "DELETE FROM proposals WHERE id = :i", i=ids["shared"]) == 0
            assert changed(conn, "DELETE FROM proposals WHERE id = :i", i=ids["answered"]) == 0  # answered stays
            assert changed(conn, "DELETE FROM proposals WHERE requested_by IS NULL OR requested_by <> 'ann1'") == 0
            assert changed(conn, "UPDATE proposals SET requested_by = NULL") == 0
            assert changed(conn, "DELETE FROM proposals WHERE id = :i", i=ids["own"]) == 1  # own, pending
            assert changed(conn, INSERT_PROPOSAL, c=a, r="ann1") == 1  # own, on an open clip of theirs
        finally:
            conn.rollback()
            conn.close()
        for clip, requested_by in ((a, "ann2"), (a, None), (f, "ann1"), (ids["unassigned"], "ann1")):
            assert refused(engine, ann1, INSERT_PROPOSAL, c=clip, r=requested_by), (clip, requested_by)
        assert refused(engine, ann1, "INSERT INTO proposal_answers (proposal_id, author, status, answered_at) "
                                     "VALUES (:p, 'ann1', 'rejected', now())", p=ids["theirs"])
        conn = as_login(engine, team.login["ann2"])
        try:
            seen = rows(conn, "SELECT id FROM proposals WHERE model_version = 'v2' ORDER BY id")
            assert seen == [(ids["shared"],), (ids["theirs"],)]  # ann1's own never reach ann2's lane
            assert changed(conn, "DELETE FROM proposals WHERE requested_by = 'ann1' OR requested_by IS NULL") == 0
        finally:
            conn.rollback()
            conn.close()
    finally:
        engine.dispose()


def test_reviewer_and_owner_logins_see_every_proposal_and_add_only_shared_ones(team: Team) -> None:
    ids = _private_proposals(team)
    engine = create_engine(team.url)
    try:
        conn = as_login(engine, team.login["rev"])
        try:
            assert rows(conn, "SELECT count(*) FROM proposals WHERE model_version = 'v2'") == [(4,)]
            assert changed(conn, INSERT_PROPOSAL, c=ids["unassigned"], r=None) == 1
            assert changed(conn, "DELETE FROM proposals WHERE id = :i", i=ids["theirs"]) == 1
        finally:
            conn.rollback()
            conn.close()
        assert refused(engine, team.login["rev"], INSERT_PROPOSAL, c=team.open_clip, r="ann1")
        with engine.connect() as owner:  # the tables' owner runs migrations and is not held by the policies
            assert owner.execute(text("SELECT count(*) FROM proposals WHERE model_version = 'v2'")).scalar_one() == 4
    finally:
        engine.dispose()


def test_an_annotators_model_loop_stores_through_their_login(team: Team) -> None:
    mma52 = load_taxonomy("mma52")
    ann1 = Store.open(f"{team.url}%20-crole%3D{team.login['ann1']}", mma52)
    ann2 = Store.open(f"{team.url}%20-crole%3D{team.login['ann2']}", mma52)
    a = team.open_clip
    try:
        first = ann1.add_proposals(a, "v3", [Proposal(None, a, "v3", 0, 20, 4, 0.5), Proposal(None, a, "v3", 30, 50, 4, 0.5)])
        ann1.set_proposal_status(first[1].id or 0, ProposalStatus.REJECTED)
        again = ann1.add_proposals(a, "v3", [Proposal(None, a, "v3", 60, 80, 4, 0.5)])  # replaces ann1's pending row
        assert [(p.start_frame, p.requested_by, p.status) for p in ann1.proposals(a, "v3")] == [
            (30, "ann1", ProposalStatus.REJECTED), (60, "ann1", ProposalStatus.PENDING)]
        assert ann2.proposals(a, "v3") == []
        with pytest.raises(ConflictError, match="does not exist"):  # ann2's login cannot even see it
            ann2.set_proposal_status(again[0].id or 0, ProposalStatus.REJECTED)
        (shared,) = ann2.proposals(a, "v1")  # the owner's, shared: ann2 still answers it through their login
        seg, accepted = ann2.accept_proposal(shared.id or 0, "ann2")
        assert accepted.status is ProposalStatus.ACCEPTED and seg.author == "ann2"
        assert [p.status for p in ann1.proposals(a, "v1")] == [ProposalStatus.REJECTED]  # ann1's own answer
    finally:
        ann1.close()
        ann2.close()


def test_the_store_on_a_login_acts_as_its_user_only(team: Team) -> None:
    url = f"{team.url}%20-crole%3D{team.login['ann1']}"  # the connection takes ann1's login
    mma52 = load_taxonomy("mma52")
    store = Store.open(url, mma52)
    try:
        assert store.user is not None and store.user.name == "ann1"  # no --as needed: the login says who
        with pytest.raises(PermissionDenied, match="may not see"):
            store.segments(team.open_clip, "ann2")
        assert [s.author for s in store.segments(team.open_clip, "ann1")] == ["ann1"]
        added = store.add_segment(Segment(None, team.open_clip, "ann1", 100, 130, 4))  # audited as ann1
        assert store.audit_log(limit=1)[0].user == "ann1" and added.id is not None
        with pytest.raises(PermissionDenied):
            store.add_segment(Segment(None, team.final_clip, "ann1", 100, 130, 4))
    finally:
        store.close()
    with pytest.raises(PermissionDenied, match="cannot act as 'rev'"):
        Store.open(url, mma52, "rev")


def test_a_reviewers_login_finalises_only_a_clip_merged_after_its_last_change(team: Team) -> None:
    mma52 = load_taxonomy("mma52")
    login = lambda who: Store.open(f"{team.url}%20-crole%3D{team.login[who]}", mma52)  # noqa: E731
    ann1 = login("ann1")
    try:
        (seg,) = ann1.segments(team.open_clip, "ann1")
        ann1.update_segment(replace(seg, end_frame=45))  # after the fixture's merge
    finally:
        ann1.close()
    rev = login("rev")
    try:  # the check reads the audit log, assignments and segments through the reviewer's policies
        with pytest.raises(RuleViolation, match=r"changed after its merge \(ann1 edited at .*\): merge it again"):
            rev.finalise_clip(team.open_clip)
        assert not rev.clip(team.open_clip).finalised
        segs = tuple(s.id or 0 for who in ("ann1", "ann2") for s in rev.segments(team.open_clip, who))
        rev.replace_unresolved_merged(team.open_clip, [MergedInstance(
            None, team.open_clip, 10, 45, 3, segs, MergeRule.UNION, True, MergedStatus.RELIABLE)])
        assert rev.finalise_clip(team.open_clip).finalised
    finally:
        rev.close()


def test_add_user_makes_a_login_and_join_makes_a_desktop_folder(tmp_path: Path, db_url: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli.main import main

    if db_url.startswith("sqlite"):
        pytest.skip("team mode is PostgreSQL's")
    login = f"t{uuid.uuid4().hex[:8]}_carol"
    folder = tmp_path / "owner"
    assert main(["init", str(folder), "--db", db_url]) == 0
    try:
        assert main(["add-user", str(folder), "carol", "--role", "annotator", "--login", login]) == 0
        out = capsys.readouterr().out
        password = out.rsplit(": ", 1)[1].strip()
        assert f"database login {login!r}" in out and len(password) >= 20
        assert password not in "".join(p.read_text("utf-8", "replace") for p in folder.rglob("*") if p.is_file()
                                       and p.suffix in (".toml", ".json"))
        engine = create_engine(db_url)
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r"), {"r": login}
                                    ).scalar_one() is True
        finally:
            engine.dispose()
        assert main(["add-user", str(folder), "dave", "--role", "annotator", "--login", login]) == 2  # taken
        joined_url = db_url.replace("postgres@", f"{login}:{password}@") + f"%20-crole%3D{login}"
        desk = tmp_path / "carol-desk"
        assert main(["join", joined_url, str(desk), "--as", "carol", "--media", str(tmp_path / "videos")]) == 0
        assert "was not stored" in capsys.readouterr().out
        toml = (desk / "project.toml").read_text("utf-8")
        assert password not in toml and login in toml
        project = Project.open(desk)
        assert project.media_dir == tmp_path / "videos" and project.taxonomy.name == "MMA-52"
        assert project.name == "owner"  # the team project's name, not this desktop's folder's
        assert main(["join", joined_url, str(tmp_path / "other"), "--as", "owner"]) == 2  # not carol's login
    finally:
        engine = create_engine(db_url)
        try:
            with engine.begin() as conn:
                if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).scalar():
                    conn.execute(text(f'DROP OWNED BY "{login}"'))
                    conn.execute(text(f'DROP ROLE "{login}"'))
        finally:
            engine.dispose()


def test_a_login_that_is_no_member_is_told_so_in_one_line(tmp_path: Path, db_url: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli.main import main

    if db_url.startswith("sqlite"):
        pytest.skip("team mode is PostgreSQL's")
    login = f"t{uuid.uuid4().hex[:8]}_stranger"
    assert main(["init", str(tmp_path / "owner"), "--db", db_url]) == 0
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE ROLE "{login}" LOGIN'))
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{login}"'))  # as public's is to everyone
        capsys.readouterr()
        assert main(["join", db_url + f"%20-crole%3D{login}", str(tmp_path / "desk"), "--as", "x"]) == 2
        err = capsys.readouterr().err.strip()
        assert f"the database login {login!r} is not a member of this project" in err
        assert len(err.splitlines()) == 1 and "project_meta" not in err
        assert not (tmp_path / "desk").exists()
    finally:
        with engine.begin() as conn:
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).scalar():
                conn.execute(text(f'DROP OWNED BY "{login}"'))
                conn.execute(text(f'DROP ROLE "{login}"'))
        engine.dispose()


def test_a_members_desktop_waits_for_the_owner_to_upgrade_the_schema(team: Team, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli.main import main
    from tests.annotator.store.test_upgrade import _alembic

    ann1_url = f"{team.url}%20-crole%3D{team.login['ann1']}"
    desk = Project.join(ann1_url, tmp_path / "ann1-desk", "ann1", None)[0].path
    owner = Project.create(tmp_path / "owner-desk", db_url=team.url, name="team")  # the owner's own folder
    engine = create_engine(team.url)
    try:
        _alembic(engine, "downgrade", "0005")  # as if this MMAD Studio were newer than the project's schema
        with pytest.raises(PermissionDenied, match=r"at schema revision 0005 .* needs 0012: the project's owner must "
                                                   r"upgrade the database first \(mmad upgrade PROJECT_FOLDER"):
            Store.open(ann1_url, load_taxonomy("mma52"))
        capsys.readouterr()
        assert main(["stats", str(desk)]) == 2
        err = capsys.readouterr().err.strip()
        assert "the project's owner must upgrade the database first" in err and len(err.splitlines()) == 1
        assert main(["upgrade", str(desk)]) == 2  # the member's own login may not
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0005"  # untouched
        assert main(["upgrade", str(owner.path)]) == 0
        assert "upgraded from 0005" in capsys.readouterr().out
        assert main(["upgrade", str(owner.path)]) == 0 and "already up to date" in capsys.readouterr().out
    finally:
        engine.dispose()
    store = Project.open(desk).open_store()  # the member's desktop opens now, as its login's user
    try:
        assert store.user is not None and store.user.name == "ann1"
    finally:
        store.close()


def test_a_login_that_is_neither_the_owner_nor_a_user_is_refused(team: Team) -> None:
    stranger = f"{team.login['rev']}_y"
    engine = create_engine(team.url)
    try:
        with stranger_login(engine, stranger, "ALL TABLES IN SCHEMA {schema}"):
            for user in (None, "ann1"):  # neither as the owner (seeing nothing) nor as anyone else
                with pytest.raises(PermissionDenied, match=f"login '{stranger}' is neither the project's owner nor"):
                    Store.open(f"{team.url}%20-crole%3D{stranger}", load_taxonomy("mma52"), user)
    finally:
        engine.dispose()


# ----- red team (issue 15): attacks on the policies' helpers and on columns the policies cannot see -----

def own_login_engine(team: Team, login: str) -> Engine:
    """An engine connecting AS `login` (trust auth), so that session_user is the login itself, as on
    a member's desktop; SET ROLE from the superuser would hide what session_user guards."""
    return create_engine(team.url.replace("postgres@", f"{login}@", 1))


def test_a_temporary_table_cannot_stand_in_for_the_policies_tables(team: Team) -> None:
    # pg_temp is searched first for tables unless a function's search_path puts it last: an annotator's
    # own temporary `annotators` naming them a reviewer made every helper say so (revision 0006 and before)
    engine = own_login_engine(team, team.login["ann1"])
    a, f = team.open_clip, team.final_clip
    try:
        with engine.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()  # before temp tables shadow it
            for table, columns in (("annotators", "id int, name text, role text, login text"),
                                   ("clips", "id int, finalised boolean"),
                                   ("assignments", "clip_id int, annotator_id int")):
                conn.execute(text(f"CREATE TEMPORARY TABLE {table} ({columns})"))
            conn.execute(text("INSERT INTO pg_temp.annotators VALUES (1, 'ann2', 'reviewer', current_user)"))
            conn.execute(text("INSERT INTO pg_temp.clips VALUES (:f, false)"), {"f": f})
            assert conn.execute(text("SELECT mmad_is_reviewer(current_user), mmad_finalised(:f)"),
                                {"f": f}).one() == (False, True)
            seen = rows(conn, f'SELECT clip_id, author FROM "{schema}".segments ORDER BY clip_id, author')
            assert seen == [(a, "ann1"), (f, "ann1"), (f, "ann2")]
            assert rows(conn, f'SELECT clip_id FROM "{schema}".merged_instances') == [(f,)]  # the open clip's: no
            assert changed(conn, f'UPDATE "{schema}".clips SET finalised = NOT finalised') == 0
            assert changed(conn, f'UPDATE "{schema}".segments SET end_frame = 45 WHERE clip_id = :f', f=f) == 0
            conn.rollback()
    finally:
        engine.dispose()


def test_the_policies_helpers_answer_nothing_about_another_login(team: Team) -> None:
    # the helpers are SECURITY DEFINER and callable by any login: asked about ann2's login they told
    # ann1 ann2's assignments, which of ann2's private proposals exist, and whether anyone answered one
    ids = _private_proposals(team)
    store = Store.open(team.url, load_taxonomy("mma52"))
    try:
        store.as_user("ann2").set_proposal_status(ids["shared"], ProposalStatus.REJECTED)
        store.assign_many([ids["unassigned"]], ["ann2"])
    finally:
        store.close()
    ann2 = team.login["ann2"]
    engine = own_login_engine(team, team.login["ann1"])
    try:
        with engine.connect() as conn:
            one = lambda sql, **values: conn.execute(text(sql), values).scalar()  # noqa: E731
            assert not one("SELECT mmad_assigned(:w, :c)", w=ann2, c=ids["unassigned"])
            assert not one("SELECT mmad_sees_proposal(:w, :p)", w=ann2, p=ids["theirs"])
            assert not one("SELECT mmad_proposal_answered(:p)", p=ids["shared"])  # ann2's answer, not ann1's
            assert one("SELECT mmad_proposal_clip(:p)", p=ids["theirs"]) is None
            assert one("SELECT mmad_proposal_answered(:p)", p=ids["answered"])  # ann1's own still answers
            assert one("SELECT mmad_proposal_clip(:p)", p=ids["own"]) == team.open_clip
            assert one("SELECT count(*) FROM merged_segments") == 2  # the finalised clip's; the open one's hidden
            conn.rollback()
        assert refused(engine, team.login["ann1"], "SELECT mmad_merged_clip(id) FROM generate_series(1, 9) id")
    finally:
        engine.dispose()
    owner = Store.open(team.url, load_taxonomy("mma52"))
    try:
        owner.finalise_clip(team.open_clip)
    finally:
        owner.close()
    engine = own_login_engine(team, team.login["ann1"])
    try:
        with engine.connect() as conn:  # once the clip is final, its merge is everyone's to read
            assert conn.execute(text("SELECT count(*) FROM merged_segments")).scalar() == 4  # both clips' links
    finally:
        engine.dispose()


def test_an_annotators_login_neither_moves_nor_reopens_an_assignment(team: Team) -> None:
    # an annotator could UPDATE their assignment's clip_id onto any clip (assigning themselves, and so
    # seeing its shared proposals), and mark a finalised clip done or not done (the export and the
    # agreement report read that)
    a, f, ann1 = team.open_clip, team.final_clip, team.login["ann1"]
    store = Store.open(team.url, load_taxonomy("mma52"))
    try:
        (nobodys,) = store.add_clips([NewClip("s3_c", "s3", 30.0, 300)])
        store.add_proposals(nobodys.id, "v9", [Proposal(None, nobodys.id, "v9", 0, 20, 4, 0.5)])
    finally:
        store.close()
    engine = create_engine(team.url)
    try:
        for login in (ann1, team.login["rev"]):
            assert refused(engine, login, "UPDATE assignments SET clip_id = :n WHERE clip_id = :a",
                           n=nobodys.id, a=a), login
            assert refused(engine, login, "UPDATE assignments SET annotator_id = (SELECT id FROM annotators "
                                          "WHERE name = 'rev') WHERE clip_id = :a", a=a), login
        conn = as_login(engine, ann1)
        try:
            assert changed(conn, "UPDATE assignments SET state = 'done' WHERE clip_id = :f", f=f) == 0
            assert changed(conn, "UPDATE assignments SET state = 'done' WHERE clip_id = :a", a=a) == 1
            assert rows(conn, "SELECT count(*) FROM proposals WHERE clip_id = :n", n=nobodys.id) == [(0,)]
        finally:
            conn.rollback()
            conn.close()
    finally:
        engine.dispose()
    ann1_store = Store.open(f"{team.url}%20-crole%3D{ann1}", load_taxonomy("mma52"))
    try:
        with pytest.raises(PermissionDenied, match="finalised"):
            ann1_store.set_assignment_state(f, "ann1", AssignmentState.DONE)
        assert ann1_store.set_assignment_state(a, "ann1", AssignmentState.DONE).state is AssignmentState.DONE
    finally:
        ann1_store.close()


def test_a_reviewers_login_changes_no_clip_the_owner_imported(team: Team) -> None:
    # "only the owner manages imports": a reviewer finalises, splits and attaches media, but a clip's
    # name, subject and source are the import's (names key every later import; subjects key the split)
    engine = create_engine(team.url)
    rev = team.login["rev"]
    try:
        for column, value in (("name", "'renamed'"), ("subject_id", "'s2'"), ("source", "'x.mp4'"),
                              ("source_offset_frame", "7")):
            assert refused(engine, rev, f"UPDATE clips SET {column} = {value} WHERE id = :a", a=team.open_clip), column
        conn = as_login(engine, rev)
        try:
            assert changed(conn, "UPDATE clips SET subset = 'train', media_path = 'v.mp4', finalised = true "
                                 "WHERE id = :a", a=team.open_clip) == 1
        finally:
            conn.rollback()
            conn.close()
        with engine.begin() as owner:  # the owner still may (e.g. a re-import)
            assert owner.execute(text("UPDATE clips SET source = 'x.mp4' WHERE id = :a"),
                                 {"a": team.open_clip}).rowcount == 1
    finally:
        engine.dispose()


def test_an_annotator_changes_no_progress_on_a_finalised_clip(store: Store) -> None:
    """The data layer's own check (both backends), with the clear message."""
    for name, role in (("ann1", Role.ANNOTATOR), ("rev", Role.REVIEWER)):
        store.add_annotator(name, role)
    (clip,) = store.add_clips([NewClip("s1_a", "s1", 30.0, 300)])
    store.assign_many([clip.id], ["ann1"])
    store.as_user("ann1").set_assignment_state(clip.id, "ann1", AssignmentState.IN_PROGRESS)
    store.finalise_clip(clip.id)
    with pytest.raises(PermissionDenied, match="clip 's1_a' is finalised: only a reviewer may change"):
        store.as_user("ann1").set_assignment_state(clip.id, "ann1", AssignmentState.DONE)
    assert store.assignments("ann1")[0].state is AssignmentState.IN_PROGRESS  # nothing changed
    assert store.as_user("rev").set_assignment_state(clip.id, "ann1", AssignmentState.DONE).state is AssignmentState.DONE


def test_an_annotator_cannot_mark_their_own_segment_reviewed(team: Team) -> None:
    engine = create_engine(team.url)
    try:
        for origin in ("reviewed", "merged"):
            assert refused(engine, team.login["ann1"], "UPDATE segments SET origin = :o WHERE author = 'ann1' "
                           "AND clip_id = :c", o=origin, c=team.open_clip)
            assert refused(engine, team.login["ann1"], "INSERT INTO segments (clip_id, author, start_frame, "
                           "end_frame, action_id, origin, version, created_at, updated_at, deleted) VALUES "
                           "(:c, 'ann1', 100, 150, 3, :o, 1, now(), now(), false)", o=origin, c=team.open_clip)
        assert not refused(engine, team.login["ann1"], "UPDATE segments SET origin = 'proposal-edited' "
                           "WHERE author = 'ann1' AND clip_id = :c", c=team.open_clip)
        assert not refused(engine, team.login["rev"], "UPDATE segments SET origin = 'reviewed' "
                           "WHERE author = 'ann1' AND clip_id = :c", c=team.open_clip)
    finally:
        engine.dispose()
    store = Store.open(team.url, load_taxonomy("mma52"))
    try:  # the store says the same on either database
        ann1 = store.as_user("ann1")
        (seg,) = ann1.segments(team.open_clip, "ann1")
        with pytest.raises(PermissionDenied, match="only a reviewer or the merge"):
            ann1.update_segment(replace(seg, origin=Origin.REVIEWED))
    finally:
        store.close()


def test_the_store_refuses_a_review_origin_from_an_annotator_on_sqlite(project: Project) -> None:
    store = project.open_store()
    try:
        store.add_annotator("a1", Role.ANNOTATOR)
        (clip,) = store.add_clips([NewClip("c", "s", 30.0, 300)])
        store.assign(clip.id, "a1")
        a1 = store.as_user("a1")
        with pytest.raises(PermissionDenied):
            a1.add_segment(Segment(None, clip.id, "a1", 10, 40, 3, origin=Origin.MERGED))
        seg = a1.add_segment(Segment(None, clip.id, "a1", 10, 40, 3))
        with pytest.raises(PermissionDenied):
            a1.update_segment(replace(seg, origin=Origin.REVIEWED))
        assert store.update_segment(replace(seg, origin=Origin.REVIEWED)).origin is Origin.REVIEWED  # the owner may
    finally:
        store.close()


def test_a_login_reads_and_adds_only_its_own_edit_receipts(team: Team) -> None:
    engine = create_engine(team.url)
    try:
        with engine.begin() as owner:  # receipts two logins' desktops wrote
            for who in ("ann1", "ann2"):
                owner.execute(text("INSERT INTO edit_receipts (edit_id, at, login) VALUES (:e, now(), :l)"),
                              {"e": f"edit-of-{who}", "l": team.login[who]})
        conn = as_login(engine, team.login["ann1"])
        try:
            seen = conn.execute(text("SELECT edit_id FROM edit_receipts")).scalars().all()
        finally:
            conn.rollback()
            conn.close()
        assert seen == ["edit-of-ann1"]  # another's edit ids (and the rows they bound) stay hidden
        assert refused(engine, team.login["ann1"], "INSERT INTO edit_receipts (edit_id, at, login) "
                       "VALUES ('planted', now(), :l)", l=team.login["ann2"])  # no receipt in another's name
        assert not refused(engine, team.login["ann1"], "INSERT INTO edit_receipts (edit_id, at) "
                           "VALUES ('mine', now())")
    finally:
        engine.dispose()


def test_a_reviewers_login_stores_a_whole_merge(team: Team) -> None:
    """store_merge's bulk inserts go through the reviewer's policies (the server refuses COPY under
    row-level security: the rows go in as INSERTs there), with the rows and audit the owner's gives."""
    mma52 = load_taxonomy("mma52")
    rev = Store.open(f"{team.url}%20-crole%3D{team.login['rev']}", mma52)
    try:
        segs = tuple(s.id or 0 for who in ("ann1", "ann2") for s in rev.segments(team.open_clip, who))
        wrote = rev.store_merge({team.open_clip: [MergedInstance(
            None, team.open_clip, 12, 40, 3, segs, MergeRule.UNION, True, MergedStatus.RELIABLE)]})
        assert (wrote.clips, wrote.written) == (1, 1)
        (inst,) = rev.merged_instances(team.open_clip)
        assert (inst.start_frame, inst.segment_ids) == (12, segs)
        assert rev.audit_log(limit=1)[0].user == "rev" and rev.audit_log(limit=1)[0].action == "merge"
    finally:
        rev.close()
