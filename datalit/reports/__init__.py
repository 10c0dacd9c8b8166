"""Parameterised department reports (papermill), as a pipeline:

    params.py    declare / parse / validate parameters (before any kernel starts)
    execute.py   run_report(): reuse? -> papermill -> render -> manifest
    render.py    HTML without code (Korean title block, data sources, when made), PDF via Chromium
    manifest.py  manifest.json and the reuse check (notebook, parameters, data files' sha256)
    batch.py     the cross product of --each values on a process pool or a Dask cluster; index.py: index.html
    (pre-warmed kernels for batch workers: datalit.kernels.forkserver)
    cli.py       ``datalit report run | params | batch | list``
"""
