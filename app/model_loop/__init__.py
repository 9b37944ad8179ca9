"""The model loop inside the app: jobs run in a worker process (torch), the window drives them (Qt).

`protocol`, `jobs` and `worker` import no Qt; `process`, the dialogs and the controller import
no torch (docs/ARCHITECTURE.md, "The model loop").
"""
