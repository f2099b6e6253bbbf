"""Results per kelurahan in the browser: hover lines, the table and the choropleth.

The figures are the model's own per-kelurahan table (:mod:`simulation.model.kelurahan`,
``model.kelurahan_recorder``): every column of :data:`KEL_COLUMNS` can be chosen. For a
chosen column the page shows, per kelurahan, this run's value, the baseline's (seed 0)
and the mean per-seed difference over the ensemble's common seeds with its verdict
(:mod:`simulation.results.stats`), as a table and as a map layer (the value, or the
difference where it is real). Hovering a kelurahan on the map shows its name and main
figures. Pure functions of a :class:`~simulation.viz.session.Snapshot` and the language.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib import colormaps

from simulation.model.kelurahan import KEL_COLUMNS
from simulation.model.kelurahan import Snapshot as KelState
from simulation.viz.i18n import number, t

if TYPE_CHECKING:
    from simulation.model import BlitarModel
    from simulation.viz.session import Snapshot

# decimals each column is shown with (every column of the model's table, in its order)
DIGITS: dict[str, int] = {
    "households": 0, "residents": 0, "employed_residents": 0, "unemployed_residents": 0,
    "informal_workers": 0, "jobs": 0, "firms": 0, "pm25_mean": 1, "pm25_max": 1,
    "exposure": 1, "households_above_standard": 0, "residents_above_standard": 0,
    "river_bod": 2, "mean_health": 3, "industrial_exposure": 2, "attributable_deaths": 2,
    "attributable_deaths_industry": 2, "dalys": 1, "respiratory_admissions": 1,
    "diarrhoea_cases": 1, "health_damage_cost": 3, "complaints": 1,
}
COLUMNS = tuple(c.name for c in KEL_COLUMNS)
DEFAULT = "pm25_mean"
# what the tooltip lists under the chosen column (NaN values, e.g. no river, are left out)
HOVER = ("residents", "employed_residents", "unemployed_residents", "jobs", "pm25_mean",
         "river_bod", "mean_health", "complaints")
MODES = ("value", "difference")
SAME_COLOUR = "#e3e3e3"      # kelurahan whose difference is within noise (difference map)
VALUE_CMAP, DIFF_CMAP = "YlOrRd", "RdBu_r"


def figures(model: BlitarModel) -> dict[str, np.ndarray]:
    """The per-kelurahan figures of the model's last month (at month 0: of its state)."""
    rec = model.kelurahan_recorder
    if model.month > 0 and rec.i >= model.month:
        return {c: rec.data[c][model.month - 1].copy() for c in COLUMNS}
    state = KelState(model, rec.geo)
    return {c.name: np.asarray(c.compute(state), dtype=float)[: rec.geo.n].copy()
            for c in KEL_COLUMNS}


def series(model: BlitarModel) -> dict[str, np.ndarray]:
    """A whole run's per-kelurahan table as ``"kel.<column>"`` -> (months, kelurahan)
    float32 (what the ensemble keeps of a background run)."""
    rec = model.kelurahan_recorder
    return {f"kel.{c}": rec.data[c].astype(np.float32) for c in COLUMNS}


def label(col: str, lang: str) -> str:
    return t(f"kel.{col}", lang)


def unit(col: str, lang: str) -> str:
    return t(f"kelunit.{col}", lang)


def _fmt(col: str, x: float, lang: str, sign: bool = False) -> str:
    return number(float(x), DIGITS[col], lang, sign=sign)


def _esc(x: Any) -> str:
    return html.escape(str(x))


def kecamatan_of(snap: Snapshot) -> list[str]:
    city = snap.map.city
    return [city.kecamatan_names[j] for j in city.kelurahan_to_kecamatan]


def row_order(snap: Snapshot) -> list[int]:
    """Kelurahan by kecamatan, then name (rows keep their place while the run plays)."""
    city, kec = snap.map.city, kecamatan_of(snap)
    return sorted(range(len(city.kelurahan_names)), key=lambda i: (kec[i],
                                                                   city.kelurahan_names[i]))


def _verdict_text(verdict: str, lang: str) -> str:
    return t(f"verdict.{verdict}", lang)


def summary(snap: Snapshot, col: str, lang: str) -> str:
    """One line: how many kelurahan differ from the baseline, and which most."""
    cmp_ = snap.kel_comparison(col)
    if snap.month == 0:
        return t("kel.at_start", lang)
    if cmp_ is None:
        return t("card.waiting", lang)
    names = snap.map.city.kelurahan_names
    real = [i for i, v in enumerate(cmp_.verdict) if v == "distinguishable"]
    if not real:
        if all(v == "identical" for v in cmp_.verdict):
            return t("kel.none_identical", lang)
        return t("kel.none_real", lang, n=cmp_.n)
    up = [i for i in real if cmp_.mean[i] > 0]
    down = [i for i in real if cmp_.mean[i] < 0]
    most = max(real, key=lambda i: abs(cmp_.mean[i]))
    return t("kel.some_real", lang, k=len(real), up=len(up), down=len(down), n=cmp_.n,
             name=names[most], d=_fmt(col, cmp_.mean[most], lang, sign=True),
             unit=unit(col, lang))


def table(snap: Snapshot, col: str, lang: str) -> str:
    """The chosen column per kelurahan: this run, the baseline, the mean difference over
    the seeds and its verdict (HTML)."""
    names = snap.map.city.kelurahan_names
    kec = kecamatan_of(snap)
    run = snap.kel[col]
    base = snap.kel_values(col, baseline=True)
    cmp_ = snap.kel_comparison(col)
    head = "".join(f'<th style="text-align:{a};padding:2px 6px">{_esc(t(k, lang))}</th>'
                   for k, a in (("kel.col_name", "left"), ("kel.col_kecamatan", "left"),
                                ("kel.col_run", "right"), ("kel.col_base", "right"),
                                ("kel.col_diff", "right"), ("kel.col_verdict", "left")))
    rows = []
    for i in row_order(snap):
        v = float(run[i])
        b = float(base[i]) if base is not None else math.nan
        if cmp_ is not None:
            verdict, d = str(cmp_.verdict[i]), float(cmp_.mean[i])
        else:
            verdict, d = ("start" if snap.month == 0 else "undetermined"), math.nan
        colour = "#000"
        if verdict == "distinguishable":
            colour = "#c62828" if d > 0 else "#1565c0"
        badge = "" if verdict == "start" else _verdict_text(verdict, lang)
        rows.append(
            f'<tr data-testid="kel-row" data-name="{_esc(names[i])}" data-value="{v:.6g}" '
            f'data-base="{b:.6g}" data-diff="{d:.6g}" data-verdict="{verdict}">'
            f'<td style="padding:1px 6px">{_esc(names[i])}</td>'
            f'<td style="padding:1px 6px;color:#555">{_esc(kec[i])}</td>'
            f'<td style="padding:1px 6px;text-align:right">{_fmt(col, v, lang)}</td>'
            f'<td style="padding:1px 6px;text-align:right;color:#555">{_fmt(col, b, lang)}</td>'
            f'<td style="padding:1px 6px;text-align:right;color:{colour}">'
            f'{_fmt(col, d, lang, sign=True)}</td>'
            f'<td style="padding:1px 6px;color:{colour};font-size:12px">{_esc(badge)}</td>'
            "</tr>")
    caption = (f'<div style="font-size:13px;margin:2px 0 6px 0" data-testid="kel-summary">'
               f'<b>{_esc(label(col, lang))}</b> ({_esc(unit(col, lang))}) · '
               f'{_esc(summary(snap, col, lang))}</div>')
    return (f'<div data-testid="kel-table" data-column="{col}" data-month="{snap.month}">'
            f'{caption}<div style="overflow-x:auto"><table style="border-collapse:collapse;'
            f'font-size:13px;white-space:nowrap"><thead><tr style="border-bottom:1px solid #ccc">'
            f'{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            f'<div style="font-size:12px;color:#666;margin-top:4px">'
            f'{_esc(t("kel.table_note", lang))}</div></div>')


def hover_lines(snap: Snapshot, col: str, lang: str) -> list[list[str]]:
    """Per kelurahan (index order): the tooltip's lines, name first."""
    names, kec = snap.map.city.kelurahan_names, kecamatan_of(snap)
    base = snap.kel_values(col, baseline=True)
    cmp_ = snap.kel_comparison(col)
    out = []
    for i, name in enumerate(names):
        lines = [f"{name} · {t('map.kecamatan', lang)} {kec[i]}"]
        chosen = f"{label(col, lang)}: {_fmt(col, snap.kel[col][i], lang)} {unit(col, lang)}"
        if base is not None and cmp_ is not None:
            chosen += (f" ({t('kel.base_short', lang)} {_fmt(col, base[i], lang)}; "
                       f"{_fmt(col, cmp_.mean[i], lang, sign=True)}, "
                       f"{_verdict_text(str(cmp_.verdict[i]), lang)})")
        lines.append(chosen)
        for c in HOVER:
            x = float(snap.kel[c][i])
            if c != col and math.isfinite(x):
                lines.append(f"{label(c, lang)}: {_fmt(c, x, lang)} {unit(c, lang)}")
        out.append(lines)
    return out


def _hex(rgba: np.ndarray) -> str:
    return "#" + "".join(f"{int(round(255 * c)):02x}" for c in rgba[:3])


def colours(snap: Snapshot, col: str, mode: str) -> tuple[list[str], float, float]:
    """Per kelurahan colour of the choropleth and its scale (lo, hi).

    "value": this run's value on a sequential scale spanning this run's and the
    baseline's values this month (so the two are comparable); "difference": the mean
    difference from the baseline on a diverging scale symmetric around 0, grey where it
    is within noise (or not known yet)."""
    n = len(snap.map.city.kelurahan_names)
    run = np.asarray(snap.kel[col], dtype=float)
    if mode == "difference":
        cmp_ = snap.kel_comparison(col)
        if cmp_ is None:
            return [SAME_COLOUR] * n, 0.0, 0.0
        d = np.where(cmp_.verdict == "distinguishable", cmp_.mean, np.nan)
        span = float(np.nanmax(np.abs(d))) if np.isfinite(d).any() else 0.0
        span = span or 1.0
        cmap = colormaps[DIFF_CMAP]
        return ([_hex(cmap(0.5 + 0.5 * x / span)) if math.isfinite(x) else SAME_COLOUR
                 for x in d], -span, span)
    base = snap.kel_values(col, baseline=True)
    both = np.concatenate([run, base]) if base is not None else run
    both = both[np.isfinite(both)]
    lo, hi = (float(both.min()), float(both.max())) if both.size else (0.0, 1.0)
    width = hi - lo or 1.0
    cmap = colormaps[VALUE_CMAP]
    return ([_hex(cmap(0.1 + 0.9 * (x - lo) / width)) if math.isfinite(x) else SAME_COLOUR
             for x in run], lo, hi)


def legend(snap: Snapshot, col: str, mode: str, lang: str) -> str:
    """The choropleth's colour scale (HTML)."""
    _, lo, hi = colours(snap, col, mode)
    name = _esc(f"{label(col, lang)} ({unit(col, lang)})")
    if mode == "difference":
        cmap, stops = colormaps[DIFF_CMAP], np.linspace(0, 1, 7)
        what = _esc(t("kel.legend_diff", lang))
        grey = (f' <span style="display:inline-block;width:12px;height:10px;'
                f'background:{SAME_COLOUR};border:1px solid #999"></span> '
                f'{_esc(t("kel.legend_noise", lang))}')
        ends = (_fmt(col, lo, lang, sign=True), _fmt(col, hi, lang, sign=True))
    else:
        cmap, stops = colormaps[VALUE_CMAP], np.linspace(0.1, 1, 6)
        what, grey = _esc(t("kel.legend_value", lang)), ""
        ends = (_fmt(col, lo, lang), _fmt(col, hi, lang))
    grad = ", ".join(_hex(cmap(x)) for x in stops)
    return (f'<span data-testid="legend-kelurahan" data-mode="{mode}">{name}, {what}: '
            f'{ends[0]} <span style="display:inline-block;width:160px;height:12px;'
            f'vertical-align:middle;background:linear-gradient(to right, {grad})"></span> '
            f'{ends[1]}{grey}</span>')
