"""MMAD Studio desktop app: composition root (parse args, open the store, start Qt)."""

from __future__ import annotations

import sys

from app.launch import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
