"""Workshop expiry as people read it: ``--expires DAY`` works through that day in Korea, is stored in UTC,
and the CSV, the credential sheet and the login refusal say ``DAY 23:59 (KST)``."""
from __future__ import annotations

import csv
import datetime as dt

from datalit import kst
from datalit.hub import workshop
from datalit.hub.authenticator import MSG_EXPIRED
from datalit.hub.state import ensure_state_dir

UTC = dt.timezone.utc


def test_expires_day_is_the_end_of_that_day_in_korea(tmp_path):
    state = ensure_state_dir(tmp_path / "state")
    day = dt.datetime.now(kst.SEOUL).date() + dt.timedelta(days=3)
    made = workshop.create_accounts(state, 2, day.isoformat(), "beginner")
    label = f"{day.isoformat()} 23:59 (KST)"

    entry = workshop.load_registry(state)["accounts"][made["users"][0]]
    stored = dt.datetime.fromisoformat(entry["expires_at"])
    assert stored.utcoffset() == dt.timedelta(0), entry["expires_at"]  # stored in UTC
    assert stored == dt.datetime.combine(day, dt.time(15, 0), UTC)  # = next midnight in Seoul
    assert not workshop.is_expired(entry, stored - dt.timedelta(seconds=1))
    assert workshop.is_expired(entry, stored)

    rows = list(csv.DictReader(made["csv"].open(encoding="utf-8-sig")))
    assert [r["expires"] for r in rows] == [label, label]
    sheet = made["html"].read_text(encoding="utf-8")
    assert f"{label}까지 사용할 수 있습니다" in sheet and f"유효 기간: {label}까지" in sheet
    assert "+09:00" not in sheet and "+00:00" not in sheet and "T00:00" not in sheet
    refusal = MSG_EXPIRED.format(username=made["users"][0], until=workshop.expiry_label(entry))
    assert label in refusal


def test_expiry_timestamp_without_offset_is_korea_time(tmp_path):
    state = ensure_state_dir(tmp_path / "state")
    made = workshop.create_accounts(state, 1, "2099-12-24", "beginner")
    workshop.set_expiry(state, [made["batch"]], "2099-06-30T18:30")
    entry = workshop.load_registry(state)["accounts"][made["users"][0]]
    assert entry["expires_at"] == "2099-06-30T09:30:00+00:00"
    assert workshop.expiry_label(entry) == "2099-06-30 18:30 (KST)"  # not a midnight: shown as is
    # an instant given in UTC keeps its meaning
    assert workshop.parse_expiry("2099-06-30T15:00:00+00:00") == dt.datetime(2099, 6, 30, 15, tzinfo=UTC)
    assert kst.until("2099-06-30T15:00:00+00:00") == "2099-06-30 23:59 (KST)"
    assert kst.shown("2099-06-30T15:00:00+00:00") == "2099-07-01 00:00 (KST)"
