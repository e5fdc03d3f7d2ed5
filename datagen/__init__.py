"""Deterministic synthetic raw data for journey-kpis (JourneyCo).

Usage: `python -m datagen --people 3000 --seed 42 --out seeds/raw --format csv`, or from
Python `generate(GeneratorConfig(...))`. See `datagen/README.md`.
"""

from .generate import GenerationResult, GeneratorConfig, generate
from .model import HEADERS, TABLES

__all__ = ["HEADERS", "TABLES", "GenerationResult", "GeneratorConfig", "generate"]
__version__ = "0.1.0"
