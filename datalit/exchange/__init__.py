"""The hub-mediated exchange: a JupyterHub service that knows who submitted (see service.py)."""
