"""MMAD Studio desktop app: composition root (parse args, open the store, start Qt)."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    from app.collector import collect_later

    collect_later()  # before any import: until the window is up (launch.main)
    from app.warm_start import reserve_early

    reserve_early(sys.argv[1:])  # first: it overlaps the imports below
    from app.launch import main
    from app.quitting import exit_now

    exit_now(main(sys.argv[1:]))  # the window has stored everything: skip the slow teardown
