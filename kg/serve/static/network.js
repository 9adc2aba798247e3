// Actor pages: the network of the actor's relations, drawn with cytoscape.js (served by kg itself).
(function () {
  var box = document.getElementById("network");
  if (!box || typeof cytoscape === "undefined") return;
  var graph = JSON.parse(box.dataset.graph);
  var cy = cytoscape({
    container: box,
    minZoom: 0.2,
    maxZoom: 1.6,  // two or three actors are not blown up to fill the box
    elements: graph.nodes.concat(graph.edges),
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 8000 },
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 10, "background-color": "#90a4ae",
                                   "width": 14, "height": 14, "text-valign": "bottom", "text-margin-y": 3 } },
      { selector: "node[?focus]", style: { "background-color": "#1565c0", "width": 22, "height": 22,
                                           "font-weight": "bold" } },
      { selector: "edge", style: { "width": 1.5, "line-color": "#b0bec5", "target-arrow-color": "#b0bec5",
                                   "target-arrow-shape": "triangle", "curve-style": "bezier", "label": "data(label)",
                                   "font-size": 8, "color": "#607d8b" } },
      { selector: "edge[type = 'supports']", style: { "line-color": "#2e7d32", "target-arrow-color": "#2e7d32" } },
      { selector: "edge[type = 'opposes']", style: { "line-color": "#c62828", "target-arrow-color": "#c62828" } }
    ]
  });
  cy.on("tap", "node", function (e) {
    var href = e.target.data("href");
    if (href) window.location.href = href;
  });
  box.dataset.rendered = String(cy.nodes().length);
})();
