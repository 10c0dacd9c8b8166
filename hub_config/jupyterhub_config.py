# The single entry of the hub configuration; `datalit hub` runs `jupyterhub -f` on this file.
# Layers (see datalit/hub/layering.py): shared/*.py, then local/*.py or k8s/*.py, then <state>/config.d/*.py.
from pathlib import Path

from datalit.hub.layering import load_layers, load_settings

c = get_config()  # noqa: F821
for _layer in load_layers(c, Path(__file__).resolve().parent, load_settings()):
    print(f"[datalit config] layer {_layer}", flush=True)  # in the log file, not on the terminal
