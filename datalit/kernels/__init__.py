"""Kernels started faster or confined: a pre-warmed fork server (forkserver.py, forkclient.py) used by
report batches and autograding workers, and the in-process sandbox of forked kernels (confine.py)."""
