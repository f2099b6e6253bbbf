"""The policymakers' browser view: a bilingual Solara scenario explorer.

Modules: :mod:`i18n` (Bahasa Indonesia / English labels), :mod:`levers` (lever metadata
and validation), :mod:`session` (one browser session's run and its baseline),
:mod:`mapdata` (map layers and agent points), :mod:`app` (the Solara page) and
:mod:`server` (starting ``solara run`` offline on loopback). Start it with
``blitar-sim viz``.
"""
