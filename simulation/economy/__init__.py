"""The economy: firms, production and demand, the labour market, green technology.

Owns the firm table's behaviour (:mod:`.production`, :mod:`.firms`), the labour-market
kernels (:mod:`.labour`) and green-technology adoption (:mod:`.green`). Domain code: it
may import ``config``, ``model.state`` and ``environment.geography``; never ``results``,
``sweep``, ``viz``, ``commands``, ``api`` or ``cli``.
"""
