"""Everything the annotation screen shows of one clip, read in ONE transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from annotator.model import AssignmentState
from annotator.store import convert
from annotator.store.api import ClipView
from annotator.store.assignments import AssignmentsMixin
from annotator.store.orm import AnnotatorRow, AssignmentRow
from annotator.store.proposals import ProposalsMixin


class ClipViewMixin(AssignmentsMixin, ProposalsMixin):
    """The open-clip read of the annotation screen."""

    @contextmanager
    def _one_read(self) -> Iterator[None]:
        """Every read inside shares one read-only transaction (fewer round trips, one snapshot)."""
        if self._session is not None:
            yield
            return
        with self._read() as s:
            self._session = s
            try:
                yield
            finally:
                self._session = None

    def clip_view(self, clip_id: int, author: str) -> ClipView:
        """The clip, `author`'s assignment state (None: not assigned), their live segments and the
        clip's proposals with the user's answers (blind mode applies), all from one snapshot."""
        with self._one_read():
            s = self._session
            assert s is not None
            clip = convert.clip(self._clip_row(s, clip_id))
            state = s.scalar(select(AssignmentRow.state).join(
                AnnotatorRow, AnnotatorRow.id == AssignmentRow.annotator_id).where(
                AssignmentRow.clip_id == clip_id, AnnotatorRow.name == author))
            return ClipView(clip, None if state is None else AssignmentState(state),
                            self.segments(clip_id, author), self.proposals(clip_id))
