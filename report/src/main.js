// Placeholder entry point; the full report front end replaces it.
const data = JSON.parse(document.getElementById("cibgraph-data").textContent);
const h = document.createElement("h1");
h.textContent = "cibgraph report " + String(data.version ?? "");
document.getElementById("app").append(h);
