"""The city government: the regulator agent, its levers in force, programmes and budget
(:mod:`.regulator`). Domain code: it may import ``config`` and ``model.state``; never
``results``, ``sweep``, ``viz``, ``commands``, ``api`` or ``cli``.
"""
