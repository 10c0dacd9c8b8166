"""Course notebooks: built once at hub start, handed out into each learner's home on spawn.

Hand-out rule: a notebook the learner never changed is updated in place; a notebook the learner
edited is never overwritten -- when the lesson changed upstream, its new version goes beside it as
``NN-slug (새 버전).ipynb``, once per upstream version (an unchanged lesson adds nothing, however often
the hub restarts). The last version offered (sha256 per file) is recorded in
``~/courses/.datalit-handout.json``.

The sync runs *as the learner* (``python -m datalit.hub.content sync ...``) so that a symlink
planted in a home can never make the root hub read or write someone else's file.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path

from datalit import atomic
from datalit.hub.roles import TIERS, tiers_for  # noqa: F401 - tiers_for re-exported: the spawner uses it here

MANIFEST = ".datalit-handout.json"
NEW_SUFFIX = " (새 버전)"


def build_content(out_dir: Path, log=print) -> dict[str, list[Path]]:
    """Learner-form notebooks into ``out_dir/<tier>/`` (``hub.content_dir``, outside the hub's private state
    directory); world-readable so that the sync can run as the user."""
    # never a fallback to copying courses/<tier>/*.ipynb: those are the solution forms (instructor notes
    # included); a hub that cannot build the learner forms must not start
    from datalit.lessons.build import build_all

    out_dir.mkdir(parents=True, exist_ok=True)
    built = {tier: [Path(p) for p in paths] for tier, paths in build_all(out_dir).items()}
    for root, dirs, files in os.walk(out_dir):
        os.chmod(root, 0o755)
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)
    return built


def notebook_title(path: Path) -> str:
    """First markdown heading of a notebook, else its file name."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "markdown":
                for line in "".join(cell.get("source", "")).splitlines():
                    if line.startswith("#"):
                        return re.sub(r"^\d+\.\s*", "", line.lstrip("#").strip())  # the list numbers them
    except (OSError, ValueError):
        pass
    return path.stem


def course_list(content_dir: Path) -> dict[str, list[dict]]:
    """``{tier: [{"file": name, "title": heading}, ...]}`` for the hub's home and login pages."""
    out = {}
    for tier in TIERS:
        files = sorted((content_dir / tier).glob("*.ipynb"))
        out[tier] = [{"file": f.name, "title": notebook_title(f)} for f in files]
    return out


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync(content_dir: Path, dest_root: Path, tiers: list[str]) -> dict[str, list[str]]:
    """Hand out ``content_dir/<tier>/*.ipynb`` into ``dest_root/<tier>/``. Returns what happened."""
    dest_root.mkdir(parents=True, exist_ok=True)
    manifest_path = dest_root / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        manifest = {}
    report: dict[str, list[str]] = {"added": [], "updated": [], "kept": [], "beside": [], "same": []}
    for tier in tiers:
        for src in sorted((content_dir / tier).glob("*.ipynb")):
            rel = f"{tier}/{src.name}"
            dest = dest_root / tier / src.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            new_hash = _sha(src)
            if dest.is_symlink() or (dest.exists() and not dest.is_file()):
                report["kept"].append(rel)
                continue
            if not dest.exists():
                if rel in manifest and manifest[rel] == new_hash:
                    continue  # the learner deleted it on purpose; unchanged upstream
                shutil.copyfile(src, dest)
                manifest[rel] = new_hash
                report["added"].append(rel)
                continue
            current = _sha(dest)
            if current == new_hash:
                manifest[rel] = new_hash
                report["same"].append(rel)
            elif manifest.get(rel) == current:
                shutil.copyfile(src, dest)  # untouched by the learner: update in place
                manifest[rel] = new_hash
                report["updated"].append(rel)
            elif manifest.get(rel) == new_hash:
                report["kept"].append(rel)  # edited by the learner, unchanged upstream: nothing to offer
            else:
                # edited by the learner and changed upstream: the new version once, beside it; the manifest
                # then records it as offered, so neither a restart nor a deleted copy brings it back
                beside = dest.with_name(f"{dest.stem}{NEW_SUFFIX}{dest.suffix}")
                if beside.is_symlink() or (beside.exists() and not beside.is_file()):
                    report["kept"].append(rel)
                    continue
                shutil.copyfile(src, beside)
                manifest[rel] = new_hash
                report["beside"].append(rel)
    atomic.write_json(manifest_path, manifest, indent=1, sort_keys=True, ensure_ascii=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m datalit.hub.content")
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sync", help="hand out course notebooks (run as the learner)")
    s.add_argument("--content", required=True, type=Path)
    s.add_argument("--dest", required=True, type=Path)
    s.add_argument("--tiers", required=True, help="comma separated")
    args = parser.parse_args(argv)
    report = sync(args.content, args.dest, [t for t in args.tiers.split(",") if t])
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
