"""Graphs: the networkx account model, tie strength and the person graph."""
