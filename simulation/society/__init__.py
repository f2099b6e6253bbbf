"""Households as residents: the synthetic population and its growth (:mod:`.population`),
exposure, health, complaints and relocation (:mod:`.exposure`). Domain code: it may import
``config``, ``model.state`` and ``environment``; never ``results``, ``sweep``, ``viz``,
``commands``, ``api`` or ``cli``.
"""
