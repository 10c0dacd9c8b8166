# Team servers (one machine and Kubernetes): real-time collaboration keeps two SQLite databases, the document
# history (jupyter-collaboration's SQLiteYStore, by default .jupyter_ystore.db in the server's working folder)
# and the file-id index (jupyter_server_fileid, by default in JUPYTER_DATA_DIR). Both defaults are in the
# team folder, which on Kubernetes is a ReadWriteMany network volume: SQLite's locks and WAL do not hold
# there, and every member could edit the files. They live in the server's private runtime folder instead
# (one machine: runtime_base/<team>, mode 0700; Kubernetes: an emptyDir, datalit/hub/k8s_spawn.py), else in
# memory. So does the collaboration session record (by default <team folder>/.jupyter/collaboration_sessions.json).
# Documents themselves are saved to the team folder as always; only the history is local.
import os

c = get_config()  # noqa: F821
_runtime = os.environ.get("JUPYTER_RUNTIME_DIR")
c.SQLiteYStore.db_path = os.path.join(_runtime, "jupyter_ystore.db") if _runtime else ":memory:"
c.BaseFileIdManager.db_path = os.path.join(_runtime, "file_id_manager.db") if _runtime else ":memory:"
if _runtime:
    c.YDocExtension.session_store_path = os.path.join(_runtime, "collaboration_sessions.json")
