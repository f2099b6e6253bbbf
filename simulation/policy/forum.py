"""The stakeholder dialogue forum (Disperindag): every six months, with
``policy.dialogue = on``, it reads complaints, unemployment and firms' losses and moves
levers one step towards the bounds in ``config.forum``:

* complaints above the trigger: more inspections and workshop places, and (unless many
  firms are losing money) a higher emission charge;
* many manufacturers losing money: a lower charge;
* unemployment above the trigger: more training seats.

A lever is never moved past its bound nor against the move's direction (a lever the
council set beyond the forum's bound stays where it is).
"""

from __future__ import annotations

from simulation.config import ForumSection
from simulation.policy.regulator import Regulator


def _bounds(fc: ForumSection) -> dict[str, tuple[float, float, float]]:
    """(low, high, step) of each lever the forum may move."""
    return {"inspection_rate": (0.0, fc.inspection_max, fc.inspection_step),
            "emission_charge": (0.0, fc.charge_max, fc.charge_step),
            "workshop_slots_per_year": (0, fc.workshops_max, fc.workshops_step),
            "skills_training_seats_per_year": (0, fc.training_max, fc.training_step)}


def meet(reg: Regulator, fc: ForumSection, month: int, complaints_per_1000: float,
         unemployment: float, loss_share: float) -> None:
    """One meeting; logs what it read and the levers after it."""
    if reg.levers.dialogue != "on":
        return
    moves: dict[str, int] = {}
    if complaints_per_1000 > fc.complaint_trigger:
        moves.update(inspection_rate=+1, workshop_slots_per_year=+1)
        if loss_share <= fc.loss_trigger:
            moves["emission_charge"] = +1
    if loss_share > fc.loss_trigger:
        moves["emission_charge"] = -1
    if unemployment > fc.unemployment_trigger:
        moves["skills_training_seats_per_year"] = +1
    bounds = _bounds(fc)
    changes = {}
    for name, sign in moves.items():
        lo, hi, step = bounds[name]
        current = getattr(reg.levers, name)
        value = current + sign * step
        value = max(current, min(value, hi)) if sign > 0 else min(current, max(value, lo))
        changes[name] = type(current)(value)
    reg.set_levers(changes)
    reg.forum_log.append({"month": month, "complaints_per_1000": round(complaints_per_1000, 3),
                          "unemployment": round(unemployment, 4),
                          "loss_share": round(loss_share, 3),
                          **{k: getattr(reg.levers, k) for k in bounds}})
