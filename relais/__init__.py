"""Relais: the digital backbone of a métropole's solidarity policy."""
