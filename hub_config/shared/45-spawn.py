# What every user server gets, whatever the spawner: JupyterLab, the datasets path, limits, timeouts.
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180   # 50 spawns at once on 2 cores take about 90 s
c.Spawner.http_timeout = 120
c.Spawner.mem_limit = settings["mem_limit"]
c.Spawner.cpu_limit = float(settings["cpu_limit"])
c.Spawner.environment = {"DATALIT_DATA_DIR": settings["data_mount"]}
