"""Infrastructure around runs: run folders (:mod:`.runner`), provenance, figures
(:mod:`.plots`), published runs and their reproduction (:mod:`.reproduce`) and the
stylized-facts check (:mod:`.facts`). It may import the domain packages; the domain never
imports it.
"""
