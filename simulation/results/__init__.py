"""Infrastructure around runs: run folders (:mod:`.rundir`: atomic folders, names,
manifests; :mod:`.runner`: ``blitar-sim run``), provenance, figures (:mod:`.plots`,
:mod:`.figures`), published runs (:mod:`.registry`, :mod:`.publish`) and their
reproduction (:mod:`.reproduce`, :mod:`.compare`, :mod:`.rebuild`), defensive readers
(:mod:`.readers`), environment faults (:mod:`.errors`) and the stylized-facts check
(:mod:`.facts`). It may import the domain packages; the domain never imports it, and
nothing here imports the CLI (:mod:`simulation.commands`, :mod:`simulation.cli`).
"""
