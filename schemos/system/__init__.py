"""The system layer: canonical system graphs of evaluated operating systems."""
