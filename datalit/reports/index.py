"""``index.html`` of a batch (Korean): every report with its parameters, status, duration and links."""
from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

from datalit.kst import shown


def show_value(value) -> str:
    """A parameter value in tables: ``None`` (not set) is shown as a dash."""
    return "—" if value is None else str(value)


STATUS_KO = {"ok": ("성공", "#1a7f37"), "cached": ("재사용(변경 없음)", "#0969da"), "failed": ("실패", "#cf222e")}


def _link(path: str | None, label: str) -> str:
    return f'<a href="{html.escape(quote(path))}">{label}</a>' if path else ""


def write_index(path: Path, summary: dict, specs: dict) -> Path:
    esc = html.escape
    rows = summary["reports"]
    names = sorted({k for r in rows for k in r["parameters"]}, key=lambda n: list(specs).index(n) if n in specs else 99)
    labels = [esc(getattr(specs.get(n), "label", "") or n) for n in names]
    body = []
    for r in rows:
        status, color = STATUS_KO.get(r["status"], (str(r["status"]), "#333"))
        dur = r["duration_s"]
        cells = [f'<td style="color:{color};font-weight:bold">{esc(status)}</td>']
        cells += [f"<td>{esc(show_value(r['parameters'].get(n)))}</td>" for n in names]
        cells.append(f"<td class='num'>{dur:.1f}</td>" if isinstance(dur, (int, float)) else "<td></td>")
        links = " · ".join(x for x in (_link(r["html"], "보고서(HTML)"), _link(r["pdf"], "PDF"),
                                       _link(r["ipynb"], "노트북"), _link(f"{r['folder']}/manifest.json", "manifest")) if x)
        cells.append(f"<td>{links}</td>")
        cells.append(f"<td class='err'>{esc(r['error'] or '')}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    c = summary["counts"]
    made = shown()
    title = Path(summary["notebook"]).stem
    doc = f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>보고서 목록 — {esc(title)}</title>
<style>
body{{font-family:'NanumGothic','Noto Sans KR',sans-serif;margin:2em;color:#222}}
table{{border-collapse:collapse}} th,td{{border:1px solid #ccc;padding:.3em .7em;text-align:left}}
th{{background:#eef3f8}} td.num{{text-align:right}} td.err{{color:#cf222e;font-size:.85em;max-width:30em}}
</style></head><body>
<h1>보고서 목록: {esc(title)}</h1>
<p>노트북: <code>{esc(summary['notebook'])}</code> (sha256 {esc(summary['notebook_sha256'][:12])}…)<br>
작성 일시: {esc(made)} · 실행: {esc(summary['backend'])} · 전체 소요 {summary['wall_s']:.1f}초</p>
<p>성공 {c['ok']}건 · 재사용 {c['cached']}건 · 실패 {c['failed']}건 · 전체 {len(rows)}건</p>
<table><thead><tr><th>상태</th>{''.join(f'<th>{x}</th>' for x in labels)}<th>소요(초)</th><th>결과</th><th>오류</th></tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table>
</body></html>
"""
    path.write_text(doc, encoding="utf-8")
    return path
