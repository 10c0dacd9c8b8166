"""Fill a datasets folder (on Kubernetes: the ``datalit-datasets`` volume) from the catalog, every file checked.

    python -m datalit.data.fill --dest /srv/datalit/datasets [--from DIR] [--no-download] [DATASET ...]

For every file of the catalog (``datasets/*.yaml``), ``DEST/<dataset>/<file>``:

* already there with the catalog's sha256: kept;
* else a copy the admin provides (``--from DIR``, laid out the same way, e.g. ``../shared/datasets``)
  with the right sha256: copied;
* else downloaded from the catalog's pinned URL (``data.mirror`` replaces the host, as for learners),
  checked, then moved into place. A file whose sha256 does not match is never put in DEST.

Exit status 1 when any file is still missing or wrong (the Job fails and says which). Used by the fill
Job of datalit/hub/k8s_fill.py; works the same on one machine.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from datalit.data.catalog import all_datasets
from datalit.data.locate import download_url, fetch_checked, sha256_of


def _place(src: Path, dest: Path, copy: bool) -> None:
    """Move (or copy) SRC to DEST atomically: a reader never sees half a file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    if copy:
        shutil.copyfile(src, tmp)
    else:
        shutil.move(src, tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, dest)


def fill(dest: Path, source: Path | None = None, download: bool = True, only: list[str] | None = None,
         log=print) -> dict[str, list[str]]:
    """{"kept", "copied", "downloaded", "failed"}: lists of ``dataset/file`` (failed: with the reason)."""
    out: dict[str, list[str]] = {"kept": [], "copied": [], "downloaded": [], "failed": []}
    datasets = all_datasets()
    unknown = sorted(set(only or []) - set(datasets))
    if unknown:
        raise ValueError(f"unknown dataset(s): {', '.join(unknown)}")
    for ds in datasets.values():
        if only and ds.id not in only:
            continue
        for entry in ds.files:
            key = f"{ds.id}/{entry.name}"
            target = dest / ds.id / entry.name
            if target.is_file() and sha256_of(target) == entry.sha256:
                out["kept"].append(key)
                continue
            reasons = []
            if target.exists():
                reasons.append(f"{target}: wrong sha256")
            copy = source / ds.id / entry.name if source else None
            if copy is not None and copy.is_file():
                if sha256_of(copy) == entry.sha256:
                    _place(copy, target, copy=True)
                    out["copied"].append(key)
                    log(f"copied     {key}")
                    continue
                reasons.append(f"{copy}: wrong sha256")
            if download:
                with tempfile.TemporaryDirectory(dir=dest) as tmp:
                    try:  # the loaders' own checked download (pooch, sha256), then moved into place
                        _place(fetch_checked(ds, entry, Path(tmp)), target, copy=False)
                        out["downloaded"].append(key)
                        log(f"downloaded {key}")
                        continue
                    except Exception as exc:  # noqa: BLE001 - network, HTTP or a wrong sha256: reported, the others go on
                        reasons.append(f"{download_url(ds, entry)}: {exc}")
            out["failed"].append(f"{key} ({'; '.join(reasons) or 'not found'})")
            log(f"FAILED     {out['failed'][-1]}")
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m datalit.data.fill", description=__doc__.split("\n\n")[0])
    p.add_argument("--dest", required=True, type=Path)
    p.add_argument("--from", dest="source", type=Path, default=None, help="a copy the admin provides")
    p.add_argument("--no-download", action="store_true")
    p.add_argument("datasets", nargs="*")
    a = p.parse_args(argv)
    a.dest.mkdir(parents=True, exist_ok=True)
    result = fill(a.dest, a.source, not a.no_download, a.datasets or None)
    print(" ".join(f"{k}={len(v)}" for k, v in result.items()), flush=True)
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
