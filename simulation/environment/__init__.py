"""The physical city: the map and its geography (:mod:`.geography`), the numba air and
river kernels (:mod:`.kernels`) and the pollution state that runs them (:mod:`.pollution`).
Domain code: it may import ``config``; never ``results``, ``sweep``, ``viz``, ``commands``,
``api`` or ``cli``.
"""
