"""Pure renderers: each turns a frozen report into a string and does no I/O."""
