"""The run-time system: calling convention, primitives and control."""
