"""The JupyterHub deployment: launcher, authenticator, spawner, content hand-out, workshop accounts."""
