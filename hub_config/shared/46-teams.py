# Team servers (datalit/hub/teamserver.py, teamhub.py): /hub/teams/<team> starts a team's shared JupyterLab
# for its members and instructors; shares (JupyterHub 5 sharing) follow the roster; the home page lists teams.
# Who leaves a team loses its server at once (datalit/hub/membership.py; `datalit team import` calls the
# hub's POST /hub/api/datalit/teams/sync, registered by teamhub.handlers()).
from datalit.hub import teamhub

teamhub.configure(settings["state_dir"])
c.JupyterHub.extra_handlers = teamhub.handlers()  # (deprecated in JupyterHub 3.1 for services, still supported in 5.x)
# the share is the permission: a member opening the team server is not asked to 'authorize' its OAuth client
c.JupyterHub.tornado_settings.update({"oauth_no_confirm_list": teamhub.NoConfirmTeamClients()})
c.JupyterHub.template_vars["teams"] = teamhub.team_list
