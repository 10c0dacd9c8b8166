"""Groups and JupyterHub roles, for both platforms: the hub definition (datalit/hub/definition.py) loads them
on one machine and on Kubernetes alike; hub_config/k8s/values.yaml restates none (tests/hub/test_definition.py).
"""
from __future__ import annotations

TIERS = ("beginner", "intermediate", "advanced", "citizen")  # citizen: the Big Data Campus workshop course
# what people read: "입문 과정", "시민 과정" (the hub pages, the workshop credential sheet)
TIER_NAMES = {"beginner": "입문", "intermediate": "중급", "advanced": "고급", "citizen": "시민"}
INSTRUCTOR_GROUPS = tuple(f"instructors-{tier}" for tier in TIERS)
GROUPS = (*TIERS, "citizens", "instructors", "analysts", "admins", *INSTRUCTOR_GROUPS)
TEACHING_GROUPS = frozenset({"instructors", "admins", *INSTRUCTOR_GROUPS})

GROUP_DESCRIPTIONS = {
    "beginner": "입문 과정 학습자",
    "intermediate": "중급 과정 학습자",
    "advanced": "고급 과정 학습자",
    "citizen": "시민 과정 학습자 (빅데이터 캠퍼스 워크숍)",
    "citizens": "빅데이터 캠퍼스 워크숍 시민 계정",
    "instructors": "강사 (담당 과정의 채점만)",
    "analysts": "분석가 (부서 보고서 실행)",
    "admins": "관리자",
    **{f"instructors-{t}": f"{t} 과정 강사 (이 과정만 채점)" for t in TIERS},
}

# services that get an API token from the state directory
CLI_SERVICE = "datalit-cli"
CULLER_SERVICE = "idle-culler"
EXPIRY_SERVICE = "workshop-expiry"
EXCHANGE_SERVICE = "datalit-exchange"  # hub-mediated nbgrader exchange (datalit/exchange/service.py)
EXCHANGE_ACCESS = f"access:services!service={EXCHANGE_SERVICE}"
PROGRESS_SERVICE = "datalit-progress"  # the learning record (datalit/progress/service.py)
PROGRESS_ACCESS = f"access:services!service={PROGRESS_SERVICE}"

# $JUPYTERHUB_API_TOKEN of a user server: JupyterHub's "server" role, plus the exchange (the token
# names its owner, so the exchange takes the submitter from the hub) and the owner's groups; the learning
# record, where the kernel's lesson checks go (the owner is the learner).
SERVER_TOKEN_SCOPES = ["users:activity!user", "access:servers!server", "read:users!user", EXCHANGE_ACCESS,
                       PROGRESS_ACCESS]


def tiers_for(groups: set[str]) -> list[str]:
    """Which courses a person receives: their tier groups (and the tiers they teach); staff without a
    tier get every course; a workshop account (``citizens``) without a tier gets the citizen course;
    anyone else starts with the beginner course. A rule on group names, so here: the hub hands out the
    courses by it and the progress service (below the hub) shows a person's record by it."""
    tiers = {t for t in TIERS if t in groups or f"instructors-{t}" in groups}
    if not tiers and groups & {"admins", "analysts", "instructors"}:
        tiers = set(TIERS)
    if not tiers:
        tiers = {"citizen"} if "citizens" in groups else {"beginner"}
    return [t for t in TIERS if t in tiers]


def teaches(user) -> bool:
    """A hub admin or a member of a teaching group: their server gets the grading tools (formgrader)."""
    return bool(user.admin or {g.name for g in user.groups} & TEACHING_GROUPS)


def load_groups() -> dict:
    """``c.JupyterHub.load_groups``: the groups exist; membership is kept in the database.

    No ``users`` key, so a restart never removes anyone from a group (load_groups only adds).
    """
    return {name: {"properties": {"description": GROUP_DESCRIPTIONS[name]}} for name in GROUPS}


def load_roles() -> list[dict]:
    """``c.JupyterHub.load_roles``.

    An instructor of a course is in ``instructors`` and ``instructors-<tier>``; the per-tier role lets
    them see only that tier's learners (their servers get the formgrader, datalit/hub/spawn_options.py).
    Roles are assigned to groups, never to users by list, so a restart keeps every assignment made with
    ``datalit users move``.
    """
    roles = [
        {"name": "admin", "groups": ["admins"]},
        {"name": "user", "description": "Everyone: own account, the grading exchange and the learning record",
         "scopes": ["self", EXCHANGE_ACCESS, PROGRESS_ACCESS]},
        {
            "name": "analyst",
            "description": "Runs department reports in their own server; reads group lists.",
            "scopes": ["self", "read:groups"],
            "groups": ["analysts"],
        },
        {
            "name": "instructor",
            "description": "Instructors: read learner lists of the groups they teach.",
            "scopes": ["self", "read:groups", "list:users"],
            "groups": ["instructors"],
        },
        {
            "name": CLI_SERVICE,
            "description": "datalit hub status / users / workshop commands",
            "scopes": ["admin:users", "admin:groups", "admin:servers", "read:roles", "tokens", EXCHANGE_ACCESS],
            "services": [CLI_SERVICE],
        },
        {
            "name": CULLER_SERVICE,
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": [CULLER_SERVICE],
        },
        {   # who may read which record is decided from the caller's admin flag and groups
            "name": PROGRESS_SERVICE,
            "scopes": ["read:users", "read:groups"],
            "services": [PROGRESS_SERVICE],
        },
        {
            "name": EXPIRY_SERVICE,
            "scopes": ["list:users", "read:users", "read:servers", "delete:servers", "tokens"],
            "services": [EXPIRY_SERVICE],
        },
    ]
    for tier in TIERS:
        roles.append(
            {
                "name": f"instructor-{tier}",
                "description": f"Instructor of the {tier} course: read its learners and their activity.",
                "scopes": [f"read:users!group={tier}", f"read:users:activity!group={tier}"],
                "groups": [f"instructors-{tier}"],
            }
        )
    return roles
