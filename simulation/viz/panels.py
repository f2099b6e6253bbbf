"""HTML pieces of the page: indicator cards, map legend, timeline and agent inspector.

Pure functions of a :class:`~simulation.viz.session.Snapshot` (or plain values) and the
language, returning HTML strings. An indicator's name, unit, pillar and direction come
from the registry (:data:`simulation.model.indicators.INDICATOR`); shares are shown in
percent and their changes in percentage points.
"""

from __future__ import annotations

import html
import math
from typing import Any

from simulation.config import SECTOR_NAMES
from simulation.config.levers import LEVERS
from simulation.model.indicators import INDICATOR
from simulation.viz import kelurahan as kv
from simulation.viz import levers as lv
from simulation.viz import mapdata as md
from simulation.viz.i18n import has, is_share, number, t, unit_text
from simulation.viz.session import CARDS, Snapshot, month_label

GOOD, BAD, NEUTRAL = "#2e7d32", "#c62828", "#616161"
PILLARS = ("economy", "environment", "social")


def _esc(x: Any) -> str:
    return html.escape(str(x))


def display_factor(name: str) -> float:
    """Shares are shown in percent."""
    return 100.0 if is_share(INDICATOR[name].unit) else 1.0


def _delta_text(name: str, run: float, base: float, digits: int, lang: str) -> str:
    diff = run - base
    if is_share(INDICATOR[name].unit):  # rates: the change in percentage points
        return f"{number(100 * diff, digits, lang, sign=True)} {t('card.points', lang)}"
    rel = (f" ({number(100 * diff / abs(base), 1, lang, sign=True)} %)"
           if base and math.isfinite(base) else "")
    return f"{number(diff, digits, lang, sign=True)}{rel}"


def card(snap: Snapshot, name: str, digits: int, lang: str) -> str:
    """One indicator: its value now, the change against the baseline at the same month
    and whether that change is distinguishable from seed-to-seed noise."""
    ind = INDICATOR[name]
    f = display_factor(name)
    v = snap.value(name)
    b = snap.value(name, baseline=True)
    cmp_ = snap.comparison(name)
    verdict = cmp_.verdict if cmp_ else "start"
    colour, delta, badge = NEUTRAL, "", ""
    if snap.month == 0:
        delta = t("card.start", lang)
    elif not math.isfinite(b):
        delta = t("card.waiting", lang)
    elif verdict == "identical" or round((v - b) * f, digits) == 0:
        delta = t("card.same", lang)
    else:
        arrow = "▲" if v > b else "▼"
        delta = f"{arrow} {_delta_text(name, v, b, digits, lang)} {t('card.vs', lang)}"
        if verdict == "distinguishable" and ind.higher_is_better is not None:
            colour = GOOD if (v > b) == ind.higher_is_better else BAD
    if cmp_ is not None and math.isfinite(b):
        lo, hi = cmp_.low * f, cmp_.high * f
        tip = (t("verdict.help", lang, n=cmp_.n, lo=number(lo, digits, lang),
                 hi=number(hi, digits, lang)) if cmp_.n >= 2 else "")
        done, total = snap.progress
        label = t(f"verdict.{verdict}", lang) + (
            f" ({done}/{total})" if verdict == "undetermined" else "")
        strong = verdict == "distinguishable"
        badge = (f'<span data-testid="verdict-{name}" data-verdict="{verdict}" title="{_esc(tip)}"'
                 f' style="font-size:11px;padding:0 5px;border-radius:8px;white-space:nowrap;'
                 f'border:1px solid {colour if strong else "#bbb"};'
                 f'color:{colour if strong else "#666"};font-weight:{600 if strong else 400}">'
                 f'{_esc(label)}</span>')
    unit = unit_text(ind.unit, lang)
    prefix = ""
    if unit.startswith("Rp "):  # "Rp 731,0 miliar per bulan", not "731,0 Rp miliar"
        prefix, unit = "Rp ", unit[3:]
    return (
        f'<div data-testid="card-{name}" data-value="{v:.6g}" data-delta="{v - b:.6g}" '
        f'data-verdict="{verdict}" class="blitar-card">'
        f'<div style="font-size:13px;color:#444">{_esc(t("ind." + name, lang))}</div>'
        f'<div style="font-size:19px;font-weight:600;line-height:1.3">'
        f'{prefix}{number(v * f, digits, lang)} '
        f'<span style="font-size:11px;font-weight:400;color:#666">{_esc(unit)}</span></div>'
        f'<div style="font-size:12px;color:{colour}">{_esc(delta)} {badge}</div></div>')


def pillar_cards(snap: Snapshot, pillar: str, lang: str) -> str:
    cards = "".join(card(snap, n, d, lang) for n, d in CARDS if INDICATOR[n].pillar == pillar)
    return (f'<div data-testid="pillar-{pillar}" class="blitar-pillar">'
            f'<div style="font-weight:700;font-size:15px">{_esc(t("pillar." + pillar, lang))}'
            f'</div>{cards}</div>')


def all_cards(snap: Snapshot, lang: str) -> str:
    """Every card, grouped by pillar, with the ensemble's progress underneath."""
    done, total = snap.progress
    note = t("band.ready" if done >= total else "band.progress", lang, done=done,
             total=total if done < total else total // 2)
    pillars = [p for p in PILLARS if any(INDICATOR[n].pillar == p for n, _ in CARDS)]
    return (f'<div class="blitar-cards" data-month="{snap.month}">'
            + "".join(pillar_cards(snap, p, lang) for p in pillars)
            + f'</div><div data-testid="band-progress" data-done="{done}" data-total="{total}"'
            f' style="font-size:12px;color:#555;margin-top:4px">{_esc(note)}</div>')


def _swatch(colour: str, label: str, ring: str | None = None, square: bool = False) -> str:
    radius = "2px" if square else "50%"
    border = f"2px solid {ring}" if ring else "1px solid #555"
    return (f'<span style="display:inline-block;margin-right:10px;white-space:nowrap">'
            f'<span style="display:inline-block;width:10px;height:10px;background:{colour};'
            f'border:{border};border-radius:{radius};vertical-align:middle"></span> '
            f"{_esc(label)}</span>")


def _gradient(snap: Snapshot, layer: str, lang: str) -> str:
    lo, hi = md.colour_range(snap.map, layer)
    env = snap.map.env
    std, unit = ((env.air_standard, "µg/m³") if layer == "air"
                 else (env.water_standard_mg_l, "mg/L BOD"))
    at = 100 * (std - lo) / (hi - lo)
    grad = ", ".join(md.legend_gradient(layer))
    return (f'<span data-testid="legend-{layer}">{_esc(t("layer." + layer, lang))}: '
            f'{number(lo, 0, lang)} <span style="position:relative;display:inline-block;'
            f'width:160px;height:12px;vertical-align:middle;background:linear-gradient(to right,'
            f' {grad})"><span style="position:absolute;left:{at:.1f}%;top:-3px;bottom:-3px;'
            f'border-left:2px solid #000"></span></span> ≥ {number(hi, 0, lang)} {unit} · '
            f'<b>| {_esc(t("map.standard", lang, v=number(std, 0, lang)))} {unit}</b></span>')


def legend(snap: Snapshot, layer: str, show_firms: bool, show_households: bool,
           lang: str, kel_column: str = kv.DEFAULT, kel_mode: str = "value") -> str:
    """Colour scale of the layer (with the standard marked) and the agents' colours."""
    parts = []
    if layer == "kelurahan":
        parts.append(kv.legend(snap, kel_column, kel_mode, lang))
    elif layer == "landuse":
        parts.append("".join(_swatch(md.hex_colour(md.LANDUSE_COLORS[i]),
                                     t("landuse." + n, lang), square=True)
                             for i, n in enumerate(md.LANDUSE_NAMES)))
    else:
        parts.append(_gradient(snap, layer, lang))
    if show_firms:
        parts.append(f"<b>{_esc(t('map.legend_firms', lang))}:</b> " + "".join(
            _swatch(md.SECTOR_COLORS[i], t("sector." + s, lang))
            for i, s in enumerate(SECTOR_NAMES)) + _swatch("#ffffff", t("map.green", lang),
                                                            ring="#00c853"))
    if show_households:
        k = md.household_step(snap.map.n_households)
        sample = f" ({_esc(t('map.sample', lang, k=k))})" if k > 1 else ""
        parts.append(f"<b>{_esc(t('map.legend_households', lang))}{sample}:</b> " + "".join(
            _swatch(c, t(key, lang), square=True)
            for c, key in zip(md.HOUSEHOLD_COLORS, md.HOUSEHOLD_KEYS, strict=True)))
    geo = md.geometry(snap.map)
    if geo["illustrative"]:
        parts.append(f'<i data-testid="map-illustrative">'
                     f'{_esc(t("map.illustrative", lang, reason=geo["illustrative_reason"]))}</i>')
    return ('<div data-testid="map-legend" style="font-size:12px;line-height:1.7">'
            + "<br>".join(parts) + "</div>")


def _changes_text(changes: dict[str, Any], lang: str) -> str:
    parts = []
    for name, value in changes.items():
        if name not in LEVERS:
            continue
        meta = LEVERS[name]
        if isinstance(value, tuple):
            before, after = value
            parts.append(f"{t(f'lever.{name}.label', lang)}: {lv.value_text(meta, before, lang)}"
                         f" → {lv.value_text(meta, after, lang)}")
        else:
            parts.append(f"{t(f'lever.{name}.label', lang)}: {lv.value_text(meta, value, lang)}")
    return "; ".join(parts)


def timeline(snap: Snapshot, lang: str) -> str:
    """Scheduled lever changes (upcoming or in force) and the forum's decisions so far."""
    y0 = snap.settings.start_year
    rows = []
    applied = {e.month for e in snap.events if e.who == "schedule"}
    for month, changes in sorted(snap.schedule.items()):
        if month in applied:
            continue  # shown below with the values before and after
        state = t("tl.applied" if month < snap.month else "tl.upcoming", lang)
        rows.append((month, "schedule", f"{t('tl.schedule', lang)} ({state})",
                     _changes_text(changes, lang)))
    for e in snap.events:
        who = t("tl.schedule" if e.who == "schedule" else "tl.forum", lang)
        rows.append((e.month, e.who, f"{who} ({t('tl.applied', lang)})",
                     _changes_text(e.changes, lang)))
    if not rows:
        body = f'<div style="color:#666">{_esc(t("tl.none", lang))}</div>'
    else:
        body = "".join(
            f'<div data-testid="tl-{who}" data-month="{m}" style="margin:2px 0">'
            f'<b>{month_label(y0, m)}</b> · {_esc(title)}: {_esc(text)}</div>'
            for m, who, title, text in sorted(rows, key=lambda r: r[0]))
    return (f'<div data-testid="timeline" style="font-size:13px">'
            f'<div style="font-weight:700">{_esc(t("tl.title", lang))}</div>{body}</div>')


def _format_state_value(key: str, value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if key == "sector":
        return t("sector." + str(value), lang)
    if isinstance(value, float):
        return number(value, 2, lang)
    if isinstance(value, int):
        return number(value, 0, lang)
    return str(value)


def inspector(state: dict[str, Any] | None, selected: dict[str, Any] | None, lang: str) -> str:
    """The selected agent's state (``Firm.state()`` / ``Household.state()``) as a table."""
    if selected is None:
        body = f'<div style="color:#666">{_esc(t("insp.none", lang))}</div>'
    elif state is None:
        body = f'<div style="color:#c62828">{_esc(t("insp.gone", lang))}</div>'
    else:
        kind = t("insp.firm" if state["kind"] == "firm" else "insp.household", lang)
        rows = "".join(
            f'<tr><td style="padding:1px 8px 1px 0;color:#555">'
            f'{_esc(t("state." + k, lang) if has("state." + k) else k)}'
            f'</td><td style="text-align:right"><b>{_esc(_format_state_value(k, v, lang))}</b>'
            "</td></tr>"
            for k, v in state.items() if k not in ("kind", "row"))
        body = (f'<div style="font-weight:600">{_esc(kind)} {t("state.row", lang)} '
                f'{state["row"]}</div><table style="font-size:13px">{rows}</table>')
    return (f'<div data-testid="inspector"><div style="font-weight:700">'
            f'{_esc(t("insp.title", lang))}</div>{body}</div>')
