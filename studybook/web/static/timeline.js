// Swap a timeline's static preview for the interactive Plotly chart when the reader asks.
// plotly.js (the basic bundle, one cached file in _static/studybook/) is fetched on first hover or focus.
"use strict";
(() => {
  const here = document.currentScript.src;
  const plotlyUrl = new URL("plotly-basic.min.js", here).href;
  let plotlyLoading = null;

  function loadPlotly() {
    plotlyLoading ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = plotlyUrl;
      script.onload = () => resolve(window.Plotly);
      script.onerror = reject;
      document.head.append(script);
    });
    return plotlyLoading;
  }

  async function activate(button) {
    const figure = button.closest("figure");
    const payload = JSON.parse(figure.querySelector("script.timeline-data").textContent);
    const Plotly = await loadPlotly();
    const chart = document.createElement("div");
    chart.className = "timeline-chart";
    // A labelled group, not an image: the chart holds Plotly's buttons (axe nested-interactive).
    chart.setAttribute("role", "group");
    chart.setAttribute("aria-label", figure.querySelector("img").alt);
    figure.querySelector("img").replaceWith(chart);
    button.remove();
    const config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["toImage", "lasso2d", "select2d"] };
    const layout = { ...payload.figure.layout, autosize: true, width: undefined };
    await Plotly.newPlot(chart, payload.figure.data, layout, config);
    chart.tabIndex = -1; // the button is gone: keep a keyboard reader's place on the chart
    chart.focus();
    chart.on("plotly_click", (event) => {
      const [id, page] = event.points[0].customdata;
      const target = payload.links[page];
      if (target) window.location.href = `${target}#event-${id}`;
    });
  }

  for (const button of document.querySelectorAll("button.timeline-activate")) {
    button.addEventListener("pointerover", loadPlotly, { once: true });
    button.addEventListener("focus", loadPlotly, { once: true });
    button.addEventListener("click", () => activate(button));
  }
})();
