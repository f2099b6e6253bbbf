"""Sub-commands of ``blitar-sim``, one module each.

Every module here defines ``register(subparsers) -> None``, which adds its parser with
``set_defaults(handler=fn)``; ``fn(args) -> int`` returns the exit status. The CLI finds
the modules by listing this package, so adding a command means adding a module.
"""
