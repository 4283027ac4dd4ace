// Progressive enhancement for pages watching background work (templates/components/progress.html):
// a generated file, or an uploaded chronology being checked or added. Ask the server where the
// work has got to every two seconds; show the download link when a file is ready, or make the
// page again when the server says it is finished ("reload": the page then shows the outcome).
// Without JavaScript the page has a "Check again" link instead.
export function initFileProgress(root = document) {
  for (const element of root.querySelectorAll('[data-module="app-file-progress"]')) {
    const url = element.dataset.statusUrl;
    const percent = element.querySelector("[data-file-percent]");
    const note = element.querySelector("[data-file-note]");
    const label = element.querySelector("[data-file-label]");
    const bar = element.querySelector("[data-file-bar]");
    const download = element.querySelector("[data-file-download]");
    const refresh = element.querySelector("[data-file-refresh]");
    if (!url || !percent) continue; // already finished when the page was made

    const poll = async () => {
      let state;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(String(response.status));
        state = await response.json();
      } catch {
        return; // the "Check again" link is still there
      }
      if (state.status === "failed" || state.reload) {
        window.location.reload(); // the page shows the outcome (or the error summary)
        return;
      }
      label.textContent = state.label;
      percent.textContent = `${state.progress}% done`;
      if (note) note.textContent = state.note ? `: ${state.note}` : "";
      if (bar) {
        bar.value = state.progress;
        bar.textContent = `${state.progress}%`;
      }
      if (state.status === "ready") {
        label.className = "govuk-tag govuk-tag--green";
        if (bar) bar.hidden = true;
        if (refresh) refresh.hidden = true;
        download.hidden = false;
        return;
      }
      window.setTimeout(poll, 2000);
    };
    window.setTimeout(poll, 1000);
  }
}
