#!/usr/bin/env bash
# GPU smoke run for a lent CUDA machine: the GPU tests (figures printed), the data-pipeline bench
# and the window bench, each with its figures collected at the end.
#
#     bash bench/gpu_smoke.sh [OUT_DIR]      (OUT_DIR default: $OUT, else ./gpu_smoke_out)
#
# Needs the project's environment (.venv, made by `make install`) and a CUDA GPU; nothing is
# downloaded. Exits non-zero when a GPU test fails; every figure is also kept in OUT_DIR/figures.txt.
# The steps' time limits add up to 9 minutes: the whole run fits one 10-minute device command.
# The window bench reads the MMA-52 CSVs (../shared/data/mma52); without them it is skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${1:-${OUT:-gpu_smoke_out}}"
mkdir -p "$out"
py=.venv/bin/python
[ -x "$py" ] || py=python3
status=0

echo "== device" | tee "$out/figures.txt"
"$py" - <<'PY' | tee -a "$out/figures.txt"
import torch
print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.device_count()} GPU(s)")
for i in range(torch.cuda.device_count()):
    p = torch.cuda.get_device_properties(i)
    print(f"  cuda:{i} {p.name}, {p.total_memory / 2**30:.1f} GiB, bf16 {torch.cuda.is_bf16_supported()}")
if not torch.cuda.is_available():
    raise SystemExit("no CUDA GPU: the GPU tests would all be skipped")
PY
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 2

echo "== GPU tests (pytest -m gpu)" | tee -a "$out/figures.txt"
timeout 330 "$py" -m pytest -q -p no:cacheprovider -m gpu -s -rs tests/inference/test_gpu.py \
    > "$out/gpu_tests.log" 2>&1 || status=1
grep -E "GPU-FIGURE|passed|failed|skipped|error" "$out/gpu_tests.log" | tee -a "$out/figures.txt"

echo "== data pipeline (bench/bench_data_pipeline.py)" | tee -a "$out/figures.txt"
timeout 150 "$py" bench/bench_data_pipeline.py --clips 6 --seconds 8 --epochs 2 \
    > "$out/data_pipeline.log" 2>&1 || status=1
tail -n 15 "$out/data_pipeline.log" | tee -a "$out/figures.txt"

echo "== window fitted to MMA-52 clips (bench/bench_model_window.py)" | tee -a "$out/figures.txt"
timeout 60 "$py" bench/bench_model_window.py > "$out/model_window.log" 2>&1
case $? in
    0) tail -n 5 "$out/model_window.log" | tee -a "$out/figures.txt" ;;
    2) echo "skipped: $(tail -n 1 "$out/model_window.log")" | tee -a "$out/figures.txt" ;;  # no MMA-52 CSVs here
    *) tail -n 5 "$out/model_window.log" | tee -a "$out/figures.txt"; status=1 ;;
esac

echo "== exit status $status (logs in $out)"
exit "$status"
