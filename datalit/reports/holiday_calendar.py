"""Which days are not ordinary days, for reports that compare an event with "usual" days.

A comparison is only fair against days that differ from the event's days by nothing but the event. Public
holidays (the official Korean calendar of the maintained ``holidays`` package: 설날·추석 연휴, 대체공휴일,
임시공휴일), the weekends joined to them, and seasons that draw crowds of their own (the cherry-blossom
weeks) are such differences. They are kept here once, with their source, so that every template leaves
out the same days and a reviewer can check one list.
"""
from __future__ import annotations

import datetime as dt

# Seasons that move ridership by themselves: (name, first day, last day, source). Seoul's cherry-blossom
# flowering date is observed by the Korea Meteorological Administration on the standard trees at its Seoul
# station (송월동); in 2023 they flowered on 25 March, the second earliest on record. The season is taken
# as the flowering date and the two weeks after it (full bloom follows flowering by about a week, and
# the petals fall about a week later): a documented convention, not an observation of each park.
SEASONS: list[tuple[str, dt.date, dt.date, str]] = [
    ("벚꽃철", dt.date(2023, 3, 25), dt.date(2023, 4, 8),
     "기상청 서울 벚꽃 개화 관측(2023-03-25) + 개화 뒤 2주"),
]


def days_off(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Public holidays between FIRST and LAST (a week of margin each side), plus the weekend days in one
    unbroken run of days off with a holiday (a Friday holiday makes its weekend a long weekend): {day: name}."""
    import holidays

    start, end = first - dt.timedelta(days=7), last + dt.timedelta(days=7)
    calendar = holidays.KR(years=range(start.year, end.year + 1), language="ko")
    names = {d: n for d, n in calendar.items() if start <= d <= end}
    run: list[dt.date] = []
    day = start
    while day <= end + dt.timedelta(days=1):
        off = day <= end and (day.weekday() >= 5 or day in names)
        if off:
            run.append(day)
        elif run:
            named = [names[d] for d in run if d in names]
            for d in run:
                if named and d not in names:
                    names[d] = f"{named[0]} 연휴"
            run = []
        day += dt.timedelta(days=1)
    return names


def season_days(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Days between FIRST and LAST inside a season of SEASONS: {day: season name}."""
    out = {}
    for name, start, end, _ in SEASONS:
        day = max(start, first)
        while day <= min(end, last):
            out[day] = name
            day += dt.timedelta(days=1)
    return out
