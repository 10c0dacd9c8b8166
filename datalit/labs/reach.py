"""Can the grading sandbox's users reach a folder? They are ordinary unix users with no group in common with
the grader, so what counts is what *others* may do: enter (x) every folder on the way, read (r) the folder.

Two ways every team got 0 points with nothing said: a sandbox folder inside the hub's 0700 state folder
(issue #11), and datasets behind a private folder (a checkout in a 0700 home, ``../shared/datasets`` beside
it). Both are refused before grading starts, naming the folder that stops them."""
from __future__ import annotations

import os
from pathlib import Path


def blocking_folder(path: str | Path, read: bool = True) -> Path | None:
    """The first folder on the way to ``path`` (as written, then with links resolved) that others cannot enter,
    or ``path`` itself when they cannot enter it (a folder) or read it (``read``: list a folder, read a file);
    None when a sandbox user gets there."""
    given = Path(path).absolute()
    for candidate in (given, Path(os.path.realpath(given))):
        for parent in reversed(candidate.parents):
            if not os.stat(parent).st_mode & 0o001:
                return parent
        need = (0o004 if read else 0) | (0o001 if candidate.is_dir() else 0)
        if os.stat(candidate).st_mode & need != need:
            return candidate
    return None


def kernels_data_dir() -> Path | None:
    """The datasets folder a graded kernel looks in first: DATALIT_DATA_DIR (passed into the sandbox), else
    ``../shared/datasets`` beside the checkout; None when neither exists (kernels would download)."""
    from datalit.data.locate import data_dirs

    for folder in data_dirs()[:-1]:  # the last is the download cache, in each slot user's own home
        if folder.is_dir():
            return folder
    return None


def data_problem(datasets: list[str]) -> str | None:
    """Why the sandbox users could not read the lab's datasets (an admin's message), or None."""
    data = kernels_data_dir()
    if data is None:
        return None
    # the folder itself: enter; each of the lab's dataset folders: enter and list; their files: read
    wanted = [(data, False)]
    for name in datasets:
        if (data / name).is_dir():
            wanted.append((data / name, True))
            wanted += [(f, True) for f in sorted((data / name).iterdir()) if f.is_file()]
    for target, read in wanted:
        stop = blocking_folder(target, read=read)
        if stop is not None:
            mode = oct(os.stat(stop).st_mode & 0o777)
            return (f"the grading sandbox's users cannot read the datasets at {data}: {stop} (mode {mode}) stops "
                    "them, so every team would get 0 points. Let others read it (chmod o+x on the folders above, "
                    "o+rx on dataset folders, o+r on files), or set DATALIT_DATA_DIR (data.data_dir) to a copy "
                    "they can read, such as the hub's /srv/datalit/datasets")
    return None
