"""Stage 5, map to RDF: extraction records -> quads in kg's ontology (see docs/rdf-model.md)."""
from kg.rdf.mapping import to_quads

__all__ = ["to_quads"]
