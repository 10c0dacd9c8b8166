# The single entry of the one-machine hub's configuration; `datalit hub` runs `jupyterhub -f` on this file.
# The hub definition (datalit/hub/definition.py, the same the Kubernetes chart's hub.extraConfig loads), then
# the admin's <state>/config.d/*.py (datalit/hub/layering.py).
from datalit.hub.layering import load_layers

c = get_config()  # noqa: F821
for _layer in load_layers(c):
    print(f"[datalit config] layer {_layer}", flush=True)  # in the log file, not on the terminal
