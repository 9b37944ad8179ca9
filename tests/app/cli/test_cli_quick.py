"""A command line that answers at once: what `mmad --help` and the light commands import, a
closed pipe, one progress line per step in a log, and the constants kept beside the parsers."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.cli import cmd_demo, cmd_merge, cmd_model
from app.cli.main import main
from app.cli.progress_bar import TerminalProgress

HEAVY = ("matplotlib", "scipy", "torch")
REPO = Path(__file__).resolve().parents[3]


def _python(code: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True,
                          text=True, timeout=120, **kwargs)  # type: ignore[call-overload]


def test_help_and_light_commands_import_no_matplotlib_scipy_or_torch(tmp_path: Path) -> None:
    csv = tmp_path / "gt.csv"
    csv.write_text("id,video_id,start_frame,end_frame,class,total_frames,fps\n0,s1_a,0,30,9,168,30.0\n"
                   "1,s2_a,10,60,21,300,29.0\n", "utf-8")
    proj, out = tmp_path / "p", tmp_path / "out"
    done = _python(f"""
        import contextlib, io, sys
        from app.cli.main import main
        heavy = {HEAVY!r}
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                main(["--help"])
            except SystemExit:
                pass
        print("help", [m for m in heavy + ("numpy", "sqlalchemy") if m in sys.modules])
        quiet = contextlib.redirect_stdout(io.StringIO())
        with quiet, contextlib.redirect_stderr(io.StringIO()):
            codes = [main(["init", {str(proj)!r}]),
                     main(["import-annotations", {str(proj)!r}, {str(csv)!r}, "--format", "mma52-csv",
                           "--ground-truth"]),
                     main(["add-user", {str(proj)!r}, "boss", "--role", "reviewer"]),
                     main(["split", {str(proj)!r}, "--ratios", "0.5,0.5,0"]),
                     main(["stats", {str(proj)!r}, "--json"]),
                     main(["export", {str(proj)!r}, {str(out)!r}, "--format", "all"]),
                     main(["finalise", {str(proj)!r}, "s1_a", "--as", "boss"])]
        print("light", codes, [m for m in heavy if m in sys.modules])
        """)
    assert done.returncode == 0, done.stderr
    assert "help []" in done.stdout  # not even numpy or the database layer
    assert "light [0, 0, 0, 0, 0, 0, 1] []" in done.stdout  # finalise: s1_a was never merged


def test_a_closed_pipe_ends_quietly() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import sys; from app.cli.main import main; "
                              "sys.exit(main(['--help']))"], cwd=REPO, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader (`| head`) is gone before the help is written
    err = child.stderr.read()
    child.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert child.returncode in (0, 141)


def test_long_commands_print_one_plain_line_per_step_when_not_a_terminal() -> None:
    stream = io.StringIO()
    bar = TerminalProgress(stream, lines=True)
    for fraction, message in ((0.0, "decoding a"), (0.1, "decoding a"), (0.2, "decoding a"), (0.5, "epoch 1"),
                              (1.0, "done")):
        bar(fraction, message)
    bar.close()
    assert stream.getvalue() == "  0.0% decoding a\n 50.0% epoch 1\n100.0% done\n"
    silent = io.StringIO()
    TerminalProgress(silent)(0.5, "short commands stay quiet in a log")
    assert silent.getvalue() == ""


def test_constants_kept_beside_the_parsers_agree_with_their_modules() -> None:
    from annotator.synthetic.simulate import NOISE_LEVELS
    from app.model_loop.proposing import PROPOSALS
    from inference.configs import TrainConfig
    from inference.evaluate import BODY_RULES, RESULT_CAP
    from inference.head import PYRAMIDS
    from merging.crosscheck import CrossCheck

    assert cmd_demo.NOISE_CHOICES == tuple(sorted(NOISE_LEVELS))
    assert cmd_merge.CROSSCHECKS == tuple(c.value for c in CrossCheck)
    assert (cmd_model.RESULT_CAP, cmd_model.PROPOSAL_CAP, cmd_model.BODY_RULES) == (RESULT_CAP, PROPOSALS.per_clip,
                                                                                  BODY_RULES)
    assert TrainConfig().val_max_keep == RESULT_CAP
    assert cmd_model.PYRAMIDS == PYRAMIDS


def test_eval_help_states_the_body_level_rule(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "--body-rule {action,nms}" in text and "Table 3 as we read it" in text
    assert "at most 8000 per video are evaluated" in text
