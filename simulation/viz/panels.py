"""HTML pieces of the page: indicator cards, map legend and the agent inspector.

Pure functions of a :class:`~simulation.viz.session.Snapshot` (or plain values) and the
language, returning HTML strings; the Solara page renders them. Values are formatted in
the language's number style.
"""

from __future__ import annotations

import html
from typing import Any

from simulation.config import SECTOR_NAMES
from simulation.viz import mapdata as md
from simulation.viz.i18n import number, t
from simulation.viz.session import CARDS, Session, Snapshot

GOOD, BAD, NEUTRAL = "#2e7d32", "#c62828", "#616161"


def _esc(x: Any) -> str:
    return html.escape(str(x))


def card(session: Snapshot | Session, name: str, higher_better: bool, mult: float, digits: int,
         lang: str) -> str:
    """One indicator: value now, and the change against the baseline at the same month."""
    v = session.value(name) * mult
    b = session.value(name, baseline=True) * mult
    diff = v - b
    tol = 0.5 * 10 ** (-digits)
    if abs(diff) < tol:
        delta, colour = t("card.same", lang), NEUTRAL
    else:
        arrow = "▲" if diff > 0 else "▼"
        rel = f" ({number(100 * diff / b, 1, lang)} %)" if b else ""
        sign = "+" if diff > 0 else "−"
        delta = f"{arrow} {sign}{number(abs(diff), digits, lang)}{rel} {t('card.vs', lang)}"
        colour = GOOD if (diff > 0) == higher_better else BAD
    return (
        f'<div data-testid="card-{name}" data-value="{v:.6g}" data-delta="{diff:.6g}" '
        'style="border:1px solid #ddd;border-radius:6px;padding:6px 8px;margin:4px 0;'
        'background:#fff">'
        f'<div style="font-size:13px;color:#444">{_esc(t("ind." + name, lang))}</div>'
        f'<div style="font-size:20px;font-weight:600">{number(v, digits, lang)} '
        f'<span style="font-size:11px;font-weight:400;color:#666">'
        f'{_esc(t("ind." + name + ".unit", lang))}</span></div>'
        f'<div style="font-size:12px;color:{colour}">{_esc(delta)}</div></div>')


def pillar_cards(session: Snapshot | Session, pillar: str, lang: str) -> str:
    cards = "".join(card(session, n, hb, m, d, lang) for n, p, hb, m, d in CARDS if p == pillar)
    return (f'<div data-testid="pillar-{pillar}"><div style="font-weight:700;font-size:15px">'
            f'{_esc(t("pillar." + pillar, lang))}</div>{cards}</div>')


def _swatch(colour: str, label: str, ring: str | None = None, square: bool = False) -> str:
    radius = "2px" if square else "50%"
    border = f"2px solid {ring}" if ring else "1px solid #555"
    return (f'<span style="display:inline-block;margin-right:10px;white-space:nowrap">'
            f'<span style="display:inline-block;width:10px;height:10px;background:{colour};'
            f'border:{border};border-radius:{radius};vertical-align:middle"></span> '
            f"{_esc(label)}</span>")


def legend(snap: Snapshot, layer: str, show_firms: bool, show_households: bool,
           lang: str) -> str:
    """Colour scale of the layer and the agents' colours."""
    parts = []
    if layer == "landuse":
        parts.append("".join(_swatch(md.hex_colour(md.LANDUSE_COLORS[i]),
                                     t("landuse." + n, lang), square=True)
                             for i, n in enumerate(md.LANDUSE_NAMES)))
    else:
        lo, hi = md.colour_range(snap.map, layer)
        unit = "µg/m³" if layer == "air" else "mg/L BOD"
        grad = ", ".join(md.legend_gradient(layer))
        parts.append(
            f'<span>{_esc(t("layer." + layer, lang))}: {number(lo, 0, lang)} '
            f'<span style="display:inline-block;width:140px;height:10px;vertical-align:middle;'
            f'background:linear-gradient(to right, {grad})"></span> ≥ {number(hi, 0, lang)} '
            f"{unit}</span>")
    if show_firms:
        parts.append(f"<b>{_esc(t('map.legend_firms', lang))}:</b> " + "".join(
            _swatch(md.SECTOR_COLORS[i], t("sector." + s, lang))
            for i, s in enumerate(SECTOR_NAMES)) + _swatch("#ffffff", t("map.green", lang),
                                                            ring="#00c853"))
    if show_households:
        parts.append(f"<b>{_esc(t('map.legend_households', lang))}:</b> " + "".join(
            _swatch(c, t(k, lang), square=True)
            for c, k in zip(md.HOUSEHOLD_COLORS, md.HOUSEHOLD_KEYS, strict=True)))
    return ('<div data-testid="map-legend" style="font-size:12px;line-height:1.7">'
            + "<br>".join(parts) + "</div>")


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
    """The selected agent's state as a two-column table."""
    if selected is None:
        body = f'<div style="color:#666">{_esc(t("insp.none", lang))}</div>'
    elif state is None:
        body = f'<div style="color:#c62828">{_esc(t("insp.gone", lang))}</div>'
    else:
        kind = t("insp.firm" if state["kind"] == "firm" else "insp.household", lang)
        rows = "".join(
            f'<tr><td style="padding:1px 8px 1px 0;color:#555">{_esc(t("state." + k, lang))}'
            f'</td><td style="text-align:right"><b>{_esc(_format_state_value(k, v, lang))}</b>'
            "</td></tr>"
            for k, v in state.items() if k != "kind")
        body = (f'<div style="font-weight:600">{_esc(kind)} #{state["row"]}</div>'
                f'<table style="font-size:13px">{rows}</table>')
    return (f'<div data-testid="inspector"><div style="font-weight:700">'
            f'{_esc(t("insp.title", lang))}</div>{body}</div>')
